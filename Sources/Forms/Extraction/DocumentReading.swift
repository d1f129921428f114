import Foundation

/// A value found for a key, before it is checked.
struct Candidate {
    var key: String
    var raw: String
    var words: [TextWord]
    var page: Int
    var box: TextBox?
    var labelScore: Double
    var type: FieldType
    var dateRole: DateRole?
    var vocabulary: [String]?
    var corroborate: FieldType?
    var optional: Bool
    /// Where to read again if the first reading is doubtful.
    var rereadBox: TextBox?
    /// A date written in three slots (day, month, year) between printed words: read each slot's digits.
    var parts: [TextBox]? = nil
    /// A cell of a ruled table row the page's words left out: only the crop can say whether it holds anything.
    var unreadRow = false
    /// Fixed text the value begins with (the template's `opensWith`).
    var opensWith: [String] = []
}

/// One document being read against one template.
struct DocumentReading {
    let template: FormTemplate
    let rows: [RowText]
    let pages: [TextPage]
    let policy: ReviewPolicy
    let context: CheckContext
    let reader: CropReader?

    /// Rows that belong to a table (not searched for labels).
    var tableRows = Set<Int>()
    var candidates: [String: Candidate] = [:]
    /// Keys of table records found, in order.
    var tableKeys: [String] = []
    /// Table rows (key prefix "members.3.") that the page's words left out, to be read from their crops.
    var unreadRows: [String] = []

    init(template: FormTemplate, rows: [RowText], pages: [TextPage], policy: ReviewPolicy, context: CheckContext,
         reader: CropReader?) {
        self.template = template
        self.rows = rows
        self.pages = pages
        self.policy = policy
        self.context = context
        self.reader = reader
    }

    // MARK: Items and spans

    /// An entry of the template in printed order: a field, or a section anchor (key nil).
    struct Item {
        var field: FormTemplate.Field?
        var labels: [[Character]]
    }

    /// A label found on a row.
    struct Span {
        var row: Int
        var start: Int
        var end: Int
        var score: Double
        var label: [Character]
    }

    var items: [Item] {
        var out: [Item] = []
        for section in template.sections {
            for anchor in section.anchors ?? [] { out.append(Item(field: nil, labels: [Fold.string(anchor)])) }
            for field in section.fields where field.layout != .signingDate {
                out.append(Item(field: field, labels: field.labels.map(Fold.string)))
            }
        }
        return out
    }

    mutating func run() async -> [ExtractedField] {
        for table in template.tables ?? [] {
            switch table.orientation {
            case .rows: readRowTable(table)
            case .columns: readColumnTable(table)
            }
        }
        let items = self.items
        let spans = findSpans(items)
        let assignment = align(items, spans)
        for (itemIndex, spanIndex) in assignment {
            guard let field = items[itemIndex].field else { continue }
            if let c = candidate(for: field, span: spans[spanIndex], spans: spans) { candidates[field.key] = c }
        }
        readSigning(spans: spans)

        var finished: [String: ExtractedField] = [:]
        for (key, c) in candidates { finished[key] = await finish(c) }
        dropEmptyUnreadRows(&finished)
        crossCheck(&finished)

        var out: [ExtractedField] = []
        let keys = template.fixedKeys + tableKeys
        for key in keys {
            out.append(finished[key] ?? ExtractedField(key: key, issues: [.empty]))
        }
        return out
    }

    /// A table row the page's words left out stays in the draft, every field flagged, when its crops hold
    /// something; otherwise it was an empty printed row, and the rows after it move up.
    mutating func dropEmptyUnreadRows(_ finished: inout [String: ExtractedField]) {
        for prefix in unreadRows.reversed() {
            let keys = tableKeys.filter { $0.hasPrefix(prefix) }
            if keys.contains(where: { finished[$0]?.value != nil }) { continue }
            keys.forEach { finished[$0] = nil }
            tableKeys.removeAll { $0.hasPrefix(prefix) }
            // "members.3." → rows "members.4…" become "members.3…".
            let parts = prefix.dropLast().split(separator: ".")
            guard let number = parts.last.flatMap({ Int($0) }) else { continue }
            let table = parts.dropLast().joined(separator: ".")
            tableKeys = tableKeys.map { key in
                let rest = key.dropFirst(table.count + 1)
                guard key.hasPrefix(table + "."), let dot = rest.firstIndex(of: "."), let n = Int(rest[..<dot]),
                      n > number else { return key }
                let renamed = "\(table).\(n - 1)\(rest[dot...])"
                if var f = finished.removeValue(forKey: key) {
                    f.key = renamed
                    finished[renamed] = f
                }
                return renamed
            }
        }
    }

    /// Every accepted, non-overlapping label occurrence on rows outside tables, in document order.
    func findSpans(_ items: [Item]) -> [Span] {
        var labels: [[Character]] = []
        for item in items {
            for l in item.labels where !labels.contains(l) { labels.append(l) }
        }
        var spans: [Span] = []
        for (r, row) in rows.enumerated() where !tableRows.contains(r) {
            var found: [Span] = []
            for label in labels {
                guard let m = PhraseMatcher.find(label, in: row.folded), PhraseMatcher.accepts(m) else { continue }
                // An inexact short match must look like a label: followed by ':' or at the start of the row.
                if m.distance > 0 && label.count < 12 && !followedByColon(row, m.end) && m.start > 2
                    && !(m.distance == 1 && label.count >= 7 && wordBounded(row, m)) { continue }
                found.append(Span(row: r, start: m.start, end: m.end, score: m.score, label: label))
            }
            // Better matches first; among equally good ones, the longer label ("…tên người mẹ" over "…tên").
            found.sort { a, b in
                abs(a.score - b.score) > 0.02 ? a.score > b.score : a.end - a.start > b.end - b.start
            }
            var kept: [Span] = []
            for s in found where !kept.contains(where: { $0.start < s.end && s.start < $0.end }) {
                kept.append(s)
            }
            spans += kept.sorted { $0.start < $1.start }
        }
        return spans
    }

    /// Whether a match starts and ends on word boundaries of the row ("Dântộc Kinh", not "…nam Định").
    private func wordBounded(_ row: RowText, _ m: PhraseMatch) -> Bool {
        let a = row.originalStart(ofFolded: m.start), b = row.originalEnd(ofFolded: m.end)
        let startOK = a == 0 || row.original[a - 1] == " "
        let endOK = b >= row.original.count || row.original[b] == " " || row.original[b] == ":"
        // A place name one letter away from a label ("Nam Định" for "Năm sinh") is a value, not a label.
        return startOK && endOK && !WardNames.placeNames.contains(VietnameseText.fold(row.text(a, b)))
    }

    private func followedByColon(_ row: RowText, _ foldedEnd: Int) -> Bool {
        var i = row.originalEnd(ofFolded: foldedEnd)
        while i < row.original.count, row.original[i] == " " { i += 1 }
        return i < row.original.count && (row.original[i] == ":" || row.original[i] == ";")
    }

    /// Order-preserving assignment of items to spans that maximises the summed match score.
    func align(_ items: [Item], _ spans: [Span]) -> [(Int, Int)] {
        let n = items.count, m = spans.count
        guard n > 0, m > 0 else { return [] }
        var dp = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: n + 1)
        for i in 1...n {
            for j in 1...m {
                var best = max(dp[i - 1][j], dp[i][j - 1])
                if items[i - 1].labels.contains(spans[j - 1].label) {
                    best = max(best, dp[i - 1][j - 1] + spans[j - 1].score + 1)
                }
                dp[i][j] = best
            }
        }
        var pairs: [(Int, Int)] = []
        var i = n, j = m
        // Backtrack preferring to leave later items out: when a block is missing from the page (no father), its
        // labels' twins belong to the block before it (the mother's "Năm sinh"), not to the missing one.
        while i > 0 && j > 0 {
            if abs(dp[i][j] - dp[i - 1][j]) < 1e-9 {
                i -= 1
            } else if items[i - 1].labels.contains(spans[j - 1].label),
                      abs(dp[i][j] - (dp[i - 1][j - 1] + spans[j - 1].score + 1)) < 1e-9 {
                pairs.append((i - 1, j - 1))
                i -= 1
                j -= 1
            } else {
                j -= 1
            }
        }
        return pairs.reversed()
    }

    // MARK: Values after labels

    func candidate(for field: FormTemplate.Field, span: Span, spans: [Span]) -> Candidate? {
        let row = rows[span.row]
        let next = spans.first { $0.row == span.row && $0.start >= span.end }
        let from = row.originalEnd(ofFolded: span.end)
        var to = next.map { row.originalStart(ofFolded: $0.start) } ?? row.original.count
        if field.layout == .signingPlace {
            if let cut = dateStart(in: row, after: from) {
                to = min(to, cut)
            } else if let (d, _, _) = signingWords(row) {
                // Cut before the word "ngày": its first character in the row text.
                let before = row.row.words[..<d].map(\.text).joined(separator: " ")
                to = min(to, before.count + (d > 0 ? 1 : 0))
            }
        }
        var raw = row.text(from, to)
        var words = row.words(from, to)
        var box = words.unionBox
        let labelRight = row.words(row.originalStart(ofFolded: span.start), from).last?.box.maxX ?? row.row.box.x
        let rightEdge = next.flatMap { n in row.words(row.originalStart(ofFolded: n.start), row.original.count).first?.box.x }
            ?? (pages[row.row.page].width - pages[row.row.page].width / 30)
        let h = row.row.box.height
        var reread = TextBox(x: labelRight + 2, y: row.row.box.y - h / 4, width: max(10, rightEdge - labelRight - 4),
                             height: h + h / 2)

        var lastRow = span.row
        let layout = field.layout ?? .sameLine
        let valueEmpty = VietnameseText.normalize(raw).isEmpty
        if layout == .continues || (valueEmpty && layout == .sameLine) {
            var k = span.row + 1
            let limit = layout == .continues ? 3 : 1
            var taken = 0
            while k < rows.count, taken < limit, isContinuation(k, of: lastRow, spans: spans) {
                let extra = rows[k]
                raw += (raw.isEmpty ? "" : " ") + extra.text(0, extra.original.count)
                words += extra.row.words
                box = extra.row.box.union(box ?? extra.row.box)
                reread = reread.union(extra.row.box)
                lastRow = k
                taken += 1
                k += 1
            }
        }
        if layout == .count {
            // "Số lượng: 2 bản" on the label's line or the next one.
            raw = ""
            for r in [span.row, span.row + 1] where r < rows.count && rows[r].row.page == row.row.page {
                let folded = String(rows[r].folded)
                guard let found = folded.range(of: "so luong") else { continue }
                let f = folded.distance(from: folded.startIndex, to: found.upperBound)
                let start = rows[r].originalEnd(ofFolded: f)
                raw = rows[r].text(start, rows[r].original.count)
                words = rows[r].words(start, rows[r].original.count)
                box = words.unionBox
                reread = box.map { TextBox(x: $0.x - 10, y: $0.y - 6, width: $0.width + 20, height: $0.height + 12) } ?? reread
                break
            }
        }
        var boxes: [TextBox]?
        // The label's end as read can run into the boxes' digits: the boxes are looked for from the line's start.
        if layout == .digitBoxes { boxes = digitBoxes(after: row.row.box.x, row: row.row) }
        var made = Candidate(key: field.key, raw: raw, words: words, page: row.row.page, box: box, labelScore: span.score,
                         type: field.type, dateRole: field.dateRole, vocabulary: field.vocabulary,
                         corroborate: field.corroborate,
                         optional: field.type == .email || layout == .signingPlace,
                         rereadBox: layout == .signingPlace ? nil : reread)
        made.parts = boxes
        made.opensWith = field.opensWith ?? []
        return made
    }

    /// The printed boxes of a number written one digit per box: between the vertical rules right of the label, on
    /// the label's line. Nil unless at least nine evenly spaced boxes are there.
    func digitBoxes(after x: Int, row: TextRow) -> [TextBox]? {
        let page = pages[row.page]
        let band = row.box.height
        let edges = TableGrid.dedupe(page.verticalRules.filter {
            $0.midX > x - 4 && $0.y < row.box.maxY + band / 2 && $0.maxY > row.box.y - band / 2 && $0.height < band * 4
        }.map(\.midX), within: max(4, page.dpi / 60))
        guard edges.count >= 10 else { return nil }
        let widths = zip(edges, edges.dropFirst()).map { $1 - $0 }
        let typical = widths.sorted()[widths.count / 2]
        // Keep the run of boxes of the typical width, starting at the first.
        var cells: [TextBox] = []
        let tops = page.verticalRules.filter { edges.contains($0.midX) && abs($0.midY - row.box.midY) < band * 2 }
        let top = tops.map(\.y).min() ?? row.box.y - band / 3
        let bottom = tops.map(\.maxY).max() ?? row.box.maxY + band / 3
        for (a, b) in zip(edges, edges.dropFirst()) {
            if abs((b - a) - typical) > typical / 4 { if cells.isEmpty { continue } else { break } }
            let inset = max(3, typical / 10)
            cells.append(TextBox(x: a + inset, y: top + inset, width: b - a - 2 * inset, height: bottom - top - 2 * inset))
        }
        return cells.count >= 9 ? cells : nil
    }

    /// Whether row `k` continues the value that ended on row `last` (no label on it, same page, close below).
    private func isContinuation(_ k: Int, of last: Int, spans: [Span]) -> Bool {
        let a = rows[last].row, b = rows[k].row
        guard !tableRows.contains(k), a.page == b.page, !spans.contains(where: { $0.row == k }) else { return false }
        guard dateStart(in: rows[k], after: 0) == nil else { return false }
        let gap = b.box.y - a.box.maxY
        return gap < max(a.box.height, 20) * 3 / 2
    }

    /// Original index where a ", ngày <d> tháng <m> năm <y>" phrase starts on the row (after `after`), if any.
    func dateStart(in row: RowText, after: Int) -> Int? {
        guard let m = signingDateMatch(row) else { return nil }
        let start = row.originalStart(ofFolded: m.lowerBound)
        return start >= after ? start : nil
    }

    /// Indices of the printed words "ngày", "tháng", "năm" of a date written in slots, tolerating one OCR slip each.
    func signingWords(_ row: RowText) -> (Int, Int, Int?)? {
        let folded = row.row.words.map { Fold.string($0.text).filter { $0 != " " } }
        func looks(_ w: [Character], like word: String) -> Bool {
            let target = Array(word)
            // OCR may drop a letter ("thán") or glue the digits on ("ngày22").
            guard w.count >= target.count - 1 else { return false }
            return VietnameseText.levenshtein(Array(w.prefix(target.count)), target) <= 1
        }
        guard let d = folded.lastIndex(where: { looks($0, like: "ngay") }),
              let m = folded[(d + 1)...].firstIndex(where: { looks($0, like: "thang") }) else { return nil }
        // "năm" may be lost to the leader dots around it; the year is then read with the month.
        return (d, m, folded[(m + 1)...].firstIndex(where: { looks($0, like: "nam") }))
    }

    /// Folded range of "ngay <d> thang <m> nam <yyyy>" in the row.
    func signingDateMatch(_ row: RowText) -> Range<Int>? {
        let s = String(row.folded)
        guard let r = s.range(of: #"ngay\s*[0-9oOlIi|]{1,2}\s*thang\s*[0-9oOlIi|]{1,2}\s*nam\s*[0-9oOlIi|]{4}"#,
                              options: .regularExpression) else { return nil }
        return s.distance(from: s.startIndex, to: r.lowerBound)..<s.distance(from: s.startIndex, to: r.upperBound)
    }

    /// The signing date (and place when no "Làm tại" label was printed): the lowest "ngày … tháng … năm …" row.
    mutating func readSigning(spans: [Span]) {
        let fields = template.sections.flatMap(\.fields)
        guard let dateField = fields.first(where: { $0.layout == .signingDate }) else { return }
        for r in rows.indices.reversed() where !tableRows.contains(r) {
            guard let m = signingDateMatch(rows[r]) else { continue }
            let row = rows[r]
            let from = row.originalStart(ofFolded: m.lowerBound), to = row.originalEnd(ofFolded: m.upperBound)
            let words = row.words(from, to)
            candidates[dateField.key] = Candidate(
                key: dateField.key, raw: row.text(from, to), words: words, page: row.row.page,
                box: words.unionBox, labelScore: 1, type: .date,
                dateRole: dateField.dateRole, vocabulary: nil, corroborate: nil, optional: false, rereadBox: nil)
            if let place = fields.first(where: { $0.layout == .signingPlace }) {
                placeBefore(row.words(0, from), page: row.row.page, field: place)
            }
            return
        }
        // "ngày …22… tháng …08… năm …2026…" with handwriting OCR could not read: the printed words are still
        // found, and the digits between them are read slot by slot.
        for r in rows.indices.reversed() where !tableRows.contains(r) {
            guard let (d, m, y) = signingWords(rows[r]) else { continue }
            let words = rows[r].row.words
            let row = rows[r].row
            let pageWidth = pages[row.page].width
            func after(_ w: TextWord, _ prefix: Int) -> Int {
                // Where the printed word ends, even when OCR glued the first digits to it.
                w.text.contains(where: \.isNumber)
                    ? w.box.x + w.box.width * min(prefix, w.text.count) / max(1, w.text.count) : w.box.maxX + 2
            }
            // The printed words' own band (the row's union may reach into the line above).
            let printed = [words[d], words[m]] + (y.map { [words[$0]] } ?? [])
            let lineTop = printed.map(\.box.y).min()!, lineBottom = printed.map(\.box.maxY).max()!
            let lineHeight = lineBottom - lineTop
            let top = lineTop - lineHeight / 3, height = lineHeight * 5 / 3
            let dayStart = after(words[d], 4), monthStart = after(words[m], 5)
            var parts = [TextBox(x: dayStart, y: top, width: max(10, words[m].box.x - dayStart), height: height)]
            let yearStart: Int
            if let y {
                yearStart = after(words[y], 3)
                parts.append(TextBox(x: monthStart, y: top, width: max(10, words[y].box.x - monthStart), height: height))
                parts.append(TextBox(x: yearStart, y: top, width: min(pageWidth - yearStart, lineHeight * 6), height: height))
            } else {
                // Month and year in one read: the last four digits are the year.
                yearStart = monthStart
                parts.append(TextBox(x: monthStart, y: top, width: min(pageWidth - monthStart, lineHeight * 11), height: height))
            }
            let slotWords = Array(words[d...].prefix(while: { $0.box.x < yearStart + lineHeight * 6 }))
            let raw = slotWords.map(\.text).joined(separator: " ")
            var candidate = Candidate(
                key: dateField.key, raw: raw, words: slotWords, page: row.page,
                box: slotWords.unionBox, labelScore: 0.9, type: .date,
                dateRole: dateField.dateRole, vocabulary: nil, corroborate: nil, optional: false, rereadBox: nil)
            candidate.parts = parts
            candidates[dateField.key] = candidate
            if let place = fields.first(where: { $0.layout == .signingPlace }) {
                placeBefore(Array(words[..<d]), page: row.page, field: place)
            }
            return
        }
    }

    /// The signing place when no "Làm tại:" label gave one: the words before "ngày" on the signing line. An empty
    /// prefix proves nothing (the place may stand on the line above), so it claims nothing.
    mutating func placeBefore(_ words: [TextWord], page: Int, field: FormTemplate.Field) {
        let prefix = words.map(\.text).joined(separator: " ")
        guard candidates[field.key] == nil, !VietnameseText.normalize(prefix).isEmpty else { return }
        candidates[field.key] = Candidate(
            key: field.key, raw: prefix, words: words, page: page, box: words.unionBox, labelScore: 0.9,
            type: field.type, dateRole: nil, vocabulary: field.vocabulary, corroborate: field.corroborate,
            optional: false, rereadBox: nil)
    }
}
