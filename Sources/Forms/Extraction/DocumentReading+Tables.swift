import Foundation

extension DocumentReading {
    /// Best accepted match of any of `labels` (full, or its first two words) on row `r`, with the words it covers.
    func match(_ labels: [String], onRow r: Int, allowHead: Bool) -> (score: Double, box: TextBox)? {
        let row = rows[r]
        var best: (Double, TextBox)?
        for label in labels {
            let full = Fold.string(label)
            var variants = [full]
            if allowHead {
                let tokens = full.split(separator: " ")
                if tokens.count > 2 { variants.append(Array(tokens.prefix(2).joined(separator: " "))) }
            }
            for (vi, v) in variants.enumerated() {
                guard let m = PhraseMatcher.find(v, in: row.folded), PhraseMatcher.accepts(m) else { continue }
                let words = row.words(row.originalStart(ofFolded: m.start), row.originalEnd(ofFolded: m.end))
                guard let box = words.map(\.box).reduce(nil, { $0?.union($1) ?? $1 }) else { continue }
                let score = m.score - (vi > 0 ? 0.05 : 0)
                if best == nil || score > best!.0 { best = (score, box) }
            }
        }
        return best
    }

    func firstRow(matching phrases: [String], from: Int = 0) -> Int? {
        guard from < rows.count else { return nil }
        for r in from..<rows.count where match(phrases, onRow: r, allowHead: false) != nil { return r }
        return nil
    }

    /// Row indices from `start` until an end anchor, a signing-date row, a page change or `limit` rows.
    func bodyRows(after start: Int, table: FormTemplate.Table, limit: Int) -> [Int] {
        var out: [Int] = []
        var r = start + 1
        while r < rows.count, out.count < limit, rows[r].row.page == rows[start].row.page {
            if let ends = table.endAnchors, match(ends, onRow: r, allowHead: false) != nil { break }
            if signingDateMatch(rows[r]) != nil { break }
            out.append(r)
            r += 1
        }
        return out
    }

    /// Column boundaries (x) between consecutive header boxes.
    static func boundaries(_ boxes: [TextBox]) -> [Int] {
        zip(boxes, boxes.dropFirst()).map { a, b in (a.maxX + b.x) / 2 }
    }

    /// One record per printed row (ct01 "Những thành viên…"): TT | Họ, chữ đệm và tên | Ngày sinh | Giới tính | …
    mutating func readRowTable(_ table: FormTemplate.Table) {
        let anchor = table.anchors.flatMap { firstRow(matching: $0) } ?? -1
        let window = Array((anchor + 1)..<min(rows.count, anchor + 6))
        var found: [(column: Int, box: TextBox, row: Int)] = []
        for (ci, column) in table.columns.enumerated() {
            var best: (Double, TextBox, Int)?
            for r in window {
                guard let m = match(column.labels, onRow: r, allowHead: column.labels[0].count > 4) else { continue }
                if best == nil || m.score > best!.0 { best = (m.score, m.box, r) }
            }
            if let best { found.append((ci, best.1, best.2)) }
        }
        guard found.count >= 3 else { return }
        if anchor >= 0 { tableRows.insert(anchor) }
        let headerRows = Set(found.map(\.row))
        tableRows.formUnion(headerRows)
        let headerBottom = found.map(\.box.maxY).max()!
        found.sort { $0.box.midX < $1.box.midX }
        let cuts = Self.boundaries(found.map(\.box))
        let lastHeader = headerRows.max()!
        // Rows after the header (header captions may wrap onto a second line: skip rows above headerBottom).
        let body = bodyRows(after: lastHeader, table: table, limit: 40).filter { rows[$0].row.box.midY > headerBottom }
        let indexColumn = table.columns.firstIndex { $0.field == "_index" }

        typealias Cell = (words: [TextWord], rows: Set<Int>)
        var records: [[Int: Cell]] = []
        var lastRowBottom = headerBottom
        for r in body {
            tableRows.insert(r)
            var cells: [Int: Cell] = [:]
            for word in rows[r].row.words {
                let clean = word.text.trimmingCharacters(in: CharacterSet(charactersIn: "|[]!"))
                guard !clean.isEmpty else { continue }
                let slot = cuts.firstIndex { word.box.midX < $0 } ?? cuts.count
                let column = found[slot].column
                var w = word
                w.text = clean
                cells[column, default: ([], [])].words.append(w)
                cells[column, default: ([], [])].rows.insert(r)
            }
            guard !cells.isEmpty else { continue }
            let hasIndex = indexColumn.map { cells[$0] != nil } ?? false
            let onlyIndex = cells.keys.allSatisfy { $0 == indexColumn }
            if onlyIndex { continue }
            let close = rows[r].row.box.y - lastRowBottom < rows[r].row.box.height
            if !hasIndex, close, !records.isEmpty {
                for (c, cell) in cells {
                    records[records.count - 1][c, default: ([], [])].words += cell.words
                    records[records.count - 1][c, default: ([], [])].rows.formUnion(cell.rows)
                }
            } else {
                records.append(cells)
            }
            lastRowBottom = rows[r].row.box.maxY
        }
        let prefix = table.rowPrefix ?? table.id
        let xs = [0] + cuts + [pages[rows[lastHeader].row.page].width]
        var n = 0
        for record in records {
            let filled = record.filter { $0.key != indexColumn }
            guard !filled.isEmpty else { continue }
            n += 1
            let rowBoxes = Set(record.values.flatMap(\.rows)).map { rows[$0].row.box }
            let band = rowBoxes.reduce(rowBoxes[0]) { $0.union($1) }
            for (slot, f) in found.enumerated() where table.columns[f.column].field != "_index" {
                let column = table.columns[f.column]
                let key = "\(prefix).\(n).\(column.field)"
                tableKeys.append(key)
                let words = record[f.column]?.words ?? []
                let cellBox = TextBox(x: xs[slot], y: band.y - 4, width: xs[slot + 1] - xs[slot], height: band.height + 8)
                candidates[key] = Candidate(
                    key: key, raw: words.map(\.text).joined(separator: " "), words: words,
                    page: rows[lastHeader].row.page, box: words.map(\.box).reduce(nil) { $0?.union($1) ?? $1 },
                    labelScore: 1, type: column.type, dateRole: column.dateRole, vocabulary: column.vocabulary,
                    corroborate: nil, optional: false, rereadBox: cellBox)
            }
        }
    }

    /// One record per column (kết hôn "Thông tin | Bên nữ | Bên nam"): row labels on the left.
    mutating func readColumnTable(_ table: FormTemplate.Table) {
        guard let records = table.records, records.count >= 1 else { return }
        var header: (row: Int, boxes: [TextBox])?
        for r in rows.indices {
            let boxes = records.compactMap { match($0.labels, onRow: r, allowHead: false)?.box }
            if boxes.count == records.count { header = (r, boxes); break }
        }
        guard let header else { return }
        tableRows.insert(header.row)
        // Record columns are of equal width; the label column is left of the first.
        let centers = header.boxes.map(\.midX)
        let pitch = centers.count > 1 ? centers[1] - centers[0] : header.boxes[0].width * 3
        var cuts = [centers[0] - pitch / 2]
        cuts += zip(centers, centers.dropFirst()).map { ($0 + $1) / 2 }
        let body = bodyRows(after: header.row, table: table, limit: 40)
        var current: Int?
        var cells: [Int: [Int: [TextWord]]] = [:]   // column (row label) → record → words
        var bands: [Int: TextBox] = [:]
        for r in body {
            tableRows.insert(r)
            let words = rows[r].row.words
            let labelWords = words.filter { $0.box.midX < cuts[0] }
            if !labelWords.isEmpty {
                let labelRow = TextRow(page: rows[r].row.page, words: labelWords,
                                       box: labelWords.map(\.box).reduce(labelWords[0].box) { $0.union($1) })
                let text = RowText(labelRow)
                var best: (Int, Double)?
                for (ci, column) in table.columns.enumerated() {
                    for label in column.labels {
                        let l = Fold.string(label)
                        guard let m = PhraseMatcher.find(l, in: text.folded) else { continue }
                        // Labels may wrap: accept a good match of the label's start too.
                        let prefixOK = m.start == 0 && text.folded.count >= 6 && text.folded.count < l.count
                            && Array(l.prefix(text.folded.count)) == text.folded
                        guard PhraseMatcher.accepts(m) || prefixOK else { continue }
                        let s = prefixOK && !PhraseMatcher.accepts(m) ? 0.85 : m.score
                        if best == nil || s > best!.1 { best = (ci, s) }
                    }
                }
                if let best, best.0 != current || cells[best.0] == nil { current = best.0 }
            }
            guard let column = current else { continue }
            bands[column] = bands[column].map { $0.union(rows[r].row.box) } ?? rows[r].row.box
            for word in words where word.box.midX >= cuts[0] {
                let clean = word.text.trimmingCharacters(in: CharacterSet(charactersIn: "|[]!"))
                guard !clean.isEmpty else { continue }
                let record = cuts.lastIndex { word.box.midX >= $0 }!
                var w = word
                w.text = clean
                cells[column, default: [:]][record, default: []].append(w)
            }
        }
        let pageWidth = pages[rows[header.row].row.page].width
        let xs = cuts + [pageWidth - pageWidth / 30]
        for (ci, column) in table.columns.enumerated() {
            for (ri, record) in records.enumerated() {
                let key = "\(record.prefix).\(column.field)"
                guard let band = bands[ci] else { continue }
                let words = cells[ci]?[ri] ?? []
                candidates[key] = Candidate(
                    key: key, raw: words.map(\.text).joined(separator: " "), words: words,
                    page: rows[header.row].row.page, box: words.map(\.box).reduce(nil) { $0?.union($1) ?? $1 },
                    labelScore: 1, type: column.type, dateRole: column.dateRole, vocabulary: column.vocabulary,
                    corroborate: nil, optional: false,
                    rereadBox: TextBox(x: xs[ri], y: band.y - 4, width: xs[ri + 1] - xs[ri], height: band.height + 8))
            }
        }
    }
}
