import Foundation
import Store

/// The draft contract of FORMS.md.
struct DraftJSON: Codable {
    var id: String
    var form: String?
    var procedure: String?
    var status: String
    var fields: [FieldJSON]
    var warnings: [String]

    struct FieldJSON: Codable {
        var key: String
        var value: String?
        var confidence: Double
        var needsReview: Bool
        var page: Int?
        var box: [Int]?
        var raw: String?
    }

    init(draft: Draft, fields: [DraftField], warnings: [String] = []) {
        id = draft.id
        form = draft.form
        procedure = draft.procedure
        status = draft.status.rawValue
        self.fields = fields.map {
            FieldJSON(key: $0.key, value: $0.value, confidence: ($0.confidence * 1000).rounded() / 1000,
                      needsReview: $0.needsReview, page: $0.page, box: $0.box, raw: $0.raw)
        }
        self.warnings = warnings
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        // Explicit nulls: every field appears, found or not.
        return String(decoding: (try? encoder.encode(NullPreserving(self))) ?? Data(), as: UTF8.self)
    }
}

/// Encodes optionals as JSON null instead of leaving the key out.
private struct NullPreserving: Encodable {
    let draft: DraftJSON
    init(_ draft: DraftJSON) { self.draft = draft }

    enum Keys: String, CodingKey { case id, form, procedure, status, fields, warnings }
    enum FieldKeys: String, CodingKey { case key, value, confidence, needsReview, page, box, raw }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(draft.id, forKey: .id)
        try c.encode(draft.form, forKey: .form)
        try c.encode(draft.procedure, forKey: .procedure)
        try c.encode(draft.status, forKey: .status)
        var list = c.nestedUnkeyedContainer(forKey: .fields)
        for f in draft.fields {
            var fc = list.nestedContainer(keyedBy: FieldKeys.self)
            try fc.encode(f.key, forKey: .key)
            try fc.encode(f.value, forKey: .value)
            try fc.encode(f.confidence, forKey: .confidence)
            try fc.encode(f.needsReview, forKey: .needsReview)
            try fc.encode(f.page, forKey: .page)
            try fc.encode(f.box, forKey: .box)
            try fc.encode(f.raw, forKey: .raw)
        }
        try c.encode(draft.warnings, forKey: .warnings)
    }
}

/// Prints a draft on stdout: the FORMS.md contract as JSON, or the terminal rendering.
func printDraft(_ draft: Draft, _ fields: [DraftField], warnings: [String] = [], json: Bool) {
    if json {
        print(DraftJSON(draft: draft, fields: fields, warnings: warnings).encoded())
    } else {
        print(renderDraft(draft, fields, warnings: warnings), terminator: "")
    }
}

/// A draft as a person reads it in a terminal.
func renderDraft(_ draft: Draft, _ fields: [DraftField], warnings: [String]) -> String {
    var out = "Hồ sơ nháp \(draft.id) — biểu mẫu: \(draft.form ?? "không nhận ra") — thủ tục: \(draft.procedure ?? "-") — \(draft.status.rawValue)\n"
    let width = min(34, (fields.map(\.key.count).max() ?? 10) + 1)
    for f in fields {
        let key = f.key.padding(toLength: width, withPad: " ", startingAt: 0)
        let mark = f.needsReview ? "⚠ cần xem lại" : "✓"
        let conf = String(format: "%.2f", f.confidence)
        out += "\(key) \(f.value ?? "—")  [\(conf) \(mark)]\n"
    }
    let flagged = fields.filter(\.needsReview).count
    out += "\(fields.count) trường, \(flagged) cần xem lại\n"
    for w in warnings { out += "Cảnh báo: \(w)\n" }
    return out
}
