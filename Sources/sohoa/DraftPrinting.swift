import Foundation
import Store

/// Prints a draft on stdout: the draft contract as JSON (`DraftDocument`), or the terminal rendering.
func printDraft(_ draft: Draft, _ fields: [DraftField], warnings: [String] = [], json: Bool) {
    if json {
        let data = (try? DraftDocument(draft: draft, fields: fields, warnings: warnings).jsonData(pretty: true)) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    } else {
        print(renderDraft(draft, fields, warnings: warnings), terminator: "")
    }
}

/// What a person is told when the pages hold no form the station knows: Vietnamese, then English.
let unknownFormNotice = [
    "Không nhận ra biểu mẫu nào trên các trang này: kiểm tra đó là tờ khai trạm đọc được (khai-sinh, ct01, ket-hon), "
        + "đặt đúng chiều và rõ chữ, rồi quét lại.",
    "No known form was recognised on these pages: check they are a form the station reads (khai-sinh, ct01, "
        + "ket-hon), the right way up and legible, then scan again.",
]

/// A draft as a person reads it in a terminal.
func renderDraft(_ draft: Draft, _ fields: [DraftField], warnings: [String]) -> String {
    var out = "Hồ sơ nháp \(draft.id) — biểu mẫu: \(draft.form ?? "không nhận ra (not recognised)") — thủ tục: \(draft.procedure ?? "-") — \(draft.status.rawValue)\n"
    if draft.form == nil {
        for line in unknownFormNotice { out += line + "\n" }
    }
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
