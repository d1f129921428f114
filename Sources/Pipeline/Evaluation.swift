import Forms
import Foundation

/// The truth file written beside each generated sample (`Samples/README.md`).
public struct TruthDocument: Decodable, Sendable {
    public var form: String?
    public var procedure: String?
    public var pages: [String]
    public var fields: [String: String?]?
    /// A text file with the page's printed text (clean text pages).
    public var text: String?
}

/// How one field of one document came out against its truth.
public struct FieldOutcome: Sendable {
    public var key: String
    public var expected: String?
    public var got: String?
    public var flagged: Bool
    public var confidence: Double
    public var right: Bool { Evaluator.same(expected, got) }
}

public struct DocumentScore: Sendable {
    public var name: String
    public var expectedForm: String?
    public var form: String?
    public var fields: [FieldOutcome]
    /// Character error rate of the OCR text against the printed text, for text pages.
    public var cer: Double?
    public var pages: Int
    public var seconds: Double
    public var error: String?

    public init(name: String, expectedForm: String?, form: String?, fields: [FieldOutcome], cer: Double?, pages: Int,
                seconds: Double, error: String? = nil) {
        self.name = name
        self.expectedForm = expectedForm
        self.form = form
        self.fields = fields
        self.cer = cer
        self.pages = pages
        self.seconds = seconds
        self.error = error
    }

    public var formRight: Bool { expectedForm == form }
}

/// Totals over a set of documents.
public struct EvalSummary: Sendable {
    public var documents: Int
    public var formRecognised: Double
    public var fields: Int
    public var fieldAccuracy: Double
    public var straightThrough: Double
    public var silentErrors: Double
    public var flagged: Double
    public var cer: Double?
    public var medianSecondsPerPage: Double
}

public enum Evaluator {
    /// Scores a draft's fields against truth. Keys in either count; a form not recognised leaves every truth field
    /// unread.
    public static func score(truth: TruthDocument, form: String?,
                             fields: [(key: String, value: String?, flagged: Bool, confidence: Double)]) -> [FieldOutcome] {
        let expected = truth.fields ?? [:]
        let got = Dictionary(fields.map { ($0.key, ($0.value, $0.flagged, $0.confidence)) }, uniquingKeysWith: { a, _ in a })
        let keys = Set(expected.keys).union(got.keys).sorted()
        return keys.map { key in
            let e = expected[key] ?? nil
            let g = got[key]
            return FieldOutcome(key: key, expected: e, got: g?.0 ?? nil, flagged: g?.1 ?? true, confidence: g?.2 ?? 0)
        }
    }

    static func canonical(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = s.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return t.isEmpty ? nil : t
    }

    public static func same(_ a: String?, _ b: String?) -> Bool { canonical(a) == canonical(b) }

    /// Character error rate: edit distance over the truth's length, whitespace runs counted as one space.
    public static func cer(truth: String, ocr: String) -> Double {
        let t = Array(canonical(truth) ?? ""), o = Array(canonical(ocr) ?? "")
        guard !t.isEmpty else { return o.isEmpty ? 0 : 1 }
        return Double(VietnameseText.levenshtein(t, o)) / Double(t.count)
    }

    public static func summarise(_ docs: [DocumentScore]) -> EvalSummary {
        let outcomes = docs.filter { $0.expectedForm != nil }.flatMap(\.fields)
        let n = Double(max(1, outcomes.count))
        let right = outcomes.filter(\.right)
        let perPage = docs.filter { $0.pages > 0 }.map { $0.seconds / Double($0.pages) }.sorted()
        let cers = docs.compactMap(\.cer)
        return EvalSummary(
            documents: docs.count,
            formRecognised: Double(docs.filter(\.formRight).count) / Double(max(1, docs.count)),
            fields: outcomes.count,
            fieldAccuracy: Double(right.count) / n,
            straightThrough: Double(right.filter { !$0.flagged }.count) / n,
            silentErrors: Double(outcomes.filter { !$0.right && !$0.flagged }.count) / n,
            flagged: Double(outcomes.filter(\.flagged).count) / n,
            cer: cers.isEmpty ? nil : cers.reduce(0, +) / Double(cers.count),
            medianSecondsPerPage: perPage.isEmpty ? 0 : perPage[perPage.count / 2])
    }
}
