import Foundation

/// Recognises which form a document is and reads its fields by printed label and structure.
public struct FormExtractor: Sendable {
    public let templates: [FormTemplate]
    public var policy: ReviewPolicy

    public init(templates: [FormTemplate], policy: ReviewPolicy = .init()) {
        self.templates = templates
        self.policy = policy
    }

    // MARK: Classification

    /// The best-matching template and its title score, or nil when no form's title is found.
    public func classify(_ pages: [TextPage]) -> (template: FormTemplate, score: Double)? {
        let rows = pages.enumerated().flatMap { TextRow.rows(of: $1, index: $0) }.map(RowText.init)
        return classify(rows)
    }

    func classify(_ rows: [RowText]) -> (template: FormTemplate, score: Double)? {
        var best: (FormTemplate, Double)?
        for template in templates {
            let title = template.titlePhrases.map { bestScore(Fold.string($0), in: rows, alone: true) }.max() ?? 0
            guard title >= 0.8 else { continue }
            let support = (template.supportPhrases ?? []).map { bestScore(Fold.string($0), in: rows) }
            let supportScore = support.isEmpty ? 0 : support.filter { $0 >= 0.8 }.count
            let score = title + 0.01 * Double(supportScore)
            if best == nil || score > best!.1 { best = (template, score) }
        }
        return best.map { ($0.0, min(1, $0.1)) }
    }

    /// Best match of a phrase on any row; with `alone`, only on a row that holds little else (a title stands on its
    /// own line; the same words inside a sentence do not make a form).
    private func bestScore(_ phrase: [Character], in rows: [RowText], alone: Bool = false) -> Double {
        var best = 0.0
        for row in rows {
            guard let m = PhraseMatcher.find(phrase, in: row.folded), PhraseMatcher.accepts(m, minScore: 0.8) else { continue }
            if alone && Double(m.end - m.start) < 0.7 * Double(row.folded.count) { continue }
            best = max(best, m.score)
        }
        return best
    }

    // MARK: Extraction

    public func extract(_ pages: [TextPage], reader: CropReader? = nil, context: CheckContext = .init()) async -> Extraction {
        let rows = pages.enumerated().flatMap { TextRow.rows(of: $1, index: $0) }.map(RowText.init)
        guard let (template, score) = classify(rows) else {
            return Extraction(form: nil, procedure: nil, formScore: 0, fields: [])
        }
        var reading = DocumentReading(template: template, rows: rows, pages: pages, policy: policy, context: context,
                                      reader: reader)
        let fields = await reading.run()
        return Extraction(form: template.id, procedure: template.procedure, formScore: score, fields: fields)
    }
}
