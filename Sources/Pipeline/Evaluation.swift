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
    /// Flagged whatever the review threshold: a failed check, two readings that disagree, nothing read.
    public var hardFlag: Bool
    /// The truth has a value and the draft has no such field at all (a table row left out).
    public var missing: Bool
    public var right: Bool { Evaluator.same(expected, got) }

    public init(key: String, expected: String?, got: String?, flagged: Bool, confidence: Double, hardFlag: Bool,
                missing: Bool = false) {
        self.key = key
        self.expected = expected
        self.got = got
        self.flagged = flagged
        self.confidence = confidence
        self.hardFlag = hardFlag
        self.missing = missing
    }

    /// Flagged under review threshold `t` (the hard flags stay).
    public func flagged(at t: Double) -> Bool { hardFlag || confidence < t }
}

/// One row of the risk–coverage table: what a review threshold would let through, and at what risk.
public struct RiskCoveragePoint: Sendable, Encodable {
    public var threshold: Double
    public var straightThrough: Double
    public var silentErrors: Double
    public var cleanDossiers: Double
    public var flagged: Double
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
    /// Form documents without a single wrong field that nobody is asked to check.
    public var cleanDossiers: Double
    /// Fields the truth has that the draft left out (counted as silent errors).
    public var missingFields: Int
    public var cer: Double?
    public var medianSecondsPerPage: Double
}

public enum Evaluator {
    /// One field of a draft as scoring sees it.
    public struct Reading: Sendable {
        public var key: String
        public var value: String?
        public var flagged: Bool
        public var confidence: Double
        public var hardFlag: Bool

        public init(key: String, value: String?, flagged: Bool, confidence: Double, hardFlag: Bool) {
            self.key = key
            self.value = value
            self.flagged = flagged
            self.confidence = confidence
            self.hardFlag = hardFlag
        }
    }

    /// Scores a draft's fields against truth. Keys in either count. A field the truth has and a draft of a
    /// recognised form lacks is a silent error: nothing asks anybody to look for it. A form not recognised sends
    /// the whole document to review, so its truth fields count as flagged.
    public static func score(truth: TruthDocument, form: String?, fields: [Reading]) -> [FieldOutcome] {
        let expected = truth.fields ?? [:]
        let got = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let keys = Set(expected.keys).union(got.keys).sorted()
        return keys.map { key in
            let e = expected[key] ?? nil
            guard let g = got[key] else {
                let reviewed = form == nil || e == nil
                return FieldOutcome(key: key, expected: e, got: nil, flagged: reviewed, confidence: reviewed ? 0 : 1,
                                    hardFlag: reviewed, missing: e != nil)
            }
            return FieldOutcome(key: key, expected: e, got: g.value, flagged: g.flagged, confidence: g.confidence,
                                hardFlag: g.hardFlag)
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
            cleanDossiers: cleanShare(docs) { $0.flagged },
            missingFields: outcomes.filter { $0.missing && !$0.flagged }.count,
            cer: cers.isEmpty ? nil : cers.reduce(0, +) / Double(cers.count),
            medianSecondsPerPage: perPage.isEmpty ? 0 : perPage[perPage.count / 2])
    }

    /// The share of form documents where no wrong field goes unflagged.
    static func cleanShare(_ docs: [DocumentScore], flagged: (FieldOutcome) -> Bool) -> Double {
        let forms = docs.filter { $0.expectedForm != nil }
        let clean = forms.filter { d in !d.fields.contains { !$0.right && !flagged($0) } }
        return Double(clean.count) / Double(max(1, forms.count))
    }

    /// Straight-through against silent errors as the review threshold on confidence goes from strict to loose,
    /// on the same readings (the hard flags stay whatever the threshold).
    public static func riskCoverage(_ docs: [DocumentScore],
                                    thresholds: [Double] = stride(from: 0.95, through: 0.3, by: -0.05).map { $0 })
        -> [RiskCoveragePoint] {
        let outcomes = docs.filter { $0.expectedForm != nil }.flatMap(\.fields)
        let n = Double(max(1, outcomes.count))
        return thresholds.map { t in
            RiskCoveragePoint(
                threshold: t,
                straightThrough: Double(outcomes.filter { $0.right && !$0.flagged(at: t) }.count) / n,
                silentErrors: Double(outcomes.filter { !$0.right && !$0.flagged(at: t) }.count) / n,
                cleanDossiers: cleanShare(docs) { $0.flagged(at: t) },
                flagged: Double(outcomes.filter { $0.flagged(at: t) }.count) / n)
        }
    }
}
