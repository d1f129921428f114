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
        if let byTitle = classifyByTitle(rows) { return byTitle }
        // A title OCR could not read ("TO KH.VI ĐĂNG KÝ KILATSINE"): the printed labels that only one form has
        // still name it, when enough of them stand where labels stand (start of a line, or before a colon).
        let evidence = templates.map { ($0, distinctLabelsFound($0, in: rows)) }.sorted { $0.1 > $1.1 }
        guard let top = evidence.first, top.1 >= 4, top.1 >= (evidence.dropFirst().first?.1 ?? 0) + 3 else { return nil }
        return (top.0, 0.7)
    }

    private func distinctLabelsFound(_ template: FormTemplate, in rows: [RowText]) -> Int {
        func labels(_ t: FormTemplate) -> Set<String> {
            var out = Set<String>()
            for section in t.sections {
                for a in section.anchors ?? [] { out.insert(String(Fold.string(a))) }
                for f in section.fields { for l in f.labels { out.insert(String(Fold.string(l))) } }
            }
            for table in t.tables ?? [] {
                for r in table.records ?? [] { for l in r.labels { out.insert(String(Fold.string(l))) } }
                for c in table.columns { for l in c.labels { out.insert(String(Fold.string(l))) } }
            }
            return out
        }
        var own = labels(template)
        for other in templates where other.id != template.id { own.subtract(labels(other)) }
        var found = 0
        for label in own where label.count >= 6 {
            let pattern = Array(label)
            let hit = rows.contains { row in
                guard let m = PhraseMatcher.find(pattern, in: row.folded), PhraseMatcher.accepts(m) else { return false }
                let end = row.originalEnd(ofFolded: m.end)
                let colon = row.original[end...].drop { $0 == " " }.first == ":"
                return m.start <= 3 || colon
            }
            if hit { found += 1 }
        }
        return found
    }

    func classifyByTitle(_ rows: [RowText]) -> (template: FormTemplate, score: Double)? {
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
