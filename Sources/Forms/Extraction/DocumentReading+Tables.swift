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
                guard let box = words.unionBox else { continue }
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
        if anchor >= 0 {
            let a = rows[anchor].row
            let page = pages[a.page]
            if let grid = TableGrid.below(a.box.maxY, within: max(a.box.height, 30) * 4, in: page) {
                tableRows.insert(anchor)
                readRowTable(table, grid: grid, page: a.page)
                return
            }
        }
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
        let headerBox = found.map(\.box).reduce(found[0].box) { $0.union($1) }
        let pageIndex = rows[found[0].row].row.page
        if let grid = TableGrid.around(headerBox, in: pages[pageIndex]) {
            readRowTable(table, grid: grid, page: pageIndex)
            return
        }
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
                candidates[key] = Candidate.cell(key, words: words, page: rows[lastHeader].row.page, column: column,
                                                 rereadBox: cellBox)
            }
            addUnplacedColumns(table, mapped: Set(found.map(\.column)), row: n, page: rows[lastHeader].row.page)
        }
    }

    /// A ruled row table: header cells name the columns (in printed order where a caption cannot be read), then
    /// one record per row band.
    mutating func readRowTable(_ table: FormTemplate.Table, grid: TableGrid, page pageIndex: Int) {
        let slotCount = grid.cuts.count - 1
        var slots: [Int: Int] = [:]  // slot → column
        let captions = headerCells(grid, page: pageIndex)
        for slot in 0..<slotCount {
            if let words = captions[slot], let ci = rowLabel(words, labels: table.columns.map(\.labels)),
               !slots.values.contains(ci) {
                slots[slot] = ci
            }
        }
        if slotCount == table.columns.count {
            // As many cells as columns: the printed order decides what the captions could not.
            for slot in 0..<slotCount where slots[slot] == nil && !slots.values.contains(slot) { slots[slot] = slot }
        }
        let records = gridRecords(grid, page: pageIndex, slots: slots)
        let prefix = table.rowPrefix ?? table.id
        func isFilled(_ record: (band: (top: Int, bottom: Int), cells: [Int: [TextWord]])) -> Bool {
            record.cells.contains { table.columns[$0.key].field != "_index" && !$0.value.isEmpty }
        }
        // A row band without words before a filled one, or just after the last, may be a row the page's reading
        // dropped (shade, a photo, a faint pen): its cells are read from their crops later.
        let lastFilled = records.lastIndex(where: isFilled) ?? -1
        var n = 0
        for (b, record) in records.enumerated() {
            let filled = isFilled(record)
            guard filled || b <= lastFilled + 1, lastFilled >= 0 || reader != nil else { continue }
            n += 1
            if !filled { unreadRows.append("\(prefix).\(n).") }
            for (slot, ci) in slots.sorted(by: { $0.key < $1.key }) where table.columns[ci].field != "_index" {
                let column = table.columns[ci]
                let key = "\(prefix).\(n).\(column.field)"
                tableKeys.append(key)
                let words = record.cells[ci] ?? []
                var c = Candidate.cell(key, words: words, page: pageIndex, column: column, rereadBox: grid.cellBox(slot: slot, band: record.band))
                c.unreadRow = !filled
                candidates[key] = c
            }
            addUnplacedColumns(table, mapped: Set(slots.values), row: n, page: pageIndex)
        }
    }

    /// A column whose cells could not be placed still has its field in every row, empty and so flagged: the draft
    /// says what it lacks.
    mutating func addUnplacedColumns(_ table: FormTemplate.Table, mapped: Set<Int>, row n: Int, page: Int) {
        let prefix = table.rowPrefix ?? table.id
        for (ci, column) in table.columns.enumerated() where column.field != "_index" && !mapped.contains(ci) {
            let key = "\(prefix).\(n).\(column.field)"
            guard candidates[key] == nil else { continue }
            tableKeys.append(key)
            candidates[key] = Candidate.cell(key, words: [], page: page, column: column, rereadBox: nil)
        }
    }

    /// The words of each row band of a ruled table, by column (via `slots`); marks the table's rows as used.
    mutating func gridRecords(_ grid: TableGrid, page: Int, slots: [Int: Int])
        -> [(band: (top: Int, bottom: Int), cells: [Int: [TextWord]])] {
        let bottom = grid.bands.last?.bottom ?? grid.header.bottom
        var out: [(band: (top: Int, bottom: Int), cells: [Int: [TextWord]])] = grid.bands.map { ($0, [:]) }
        for (r, row) in rows.enumerated() where row.row.page == page {
            guard row.row.box.midY > grid.header.top, row.row.box.midY < bottom,
                  row.row.box.maxX > grid.left, row.row.box.x < grid.right else { continue }
            tableRows.insert(r)
            for word in row.row.words {
                guard let b = grid.bands.firstIndex(where: { word.box.midY > $0.top && word.box.midY < $0.bottom }),
                      let slot = grid.slot(word.box.midX), let column = slots[slot] else { continue }
                let clean = word.text.trimmingCharacters(in: CharacterSet(charactersIn: "|[]!"))
                guard !clean.isEmpty else { continue }
                var w = word
                w.text = clean
                out[b].cells[column, default: []].append(w)
            }
        }
        return out
    }

    /// One record per column (kết hôn "Thông tin | Bên nữ | Bên nam"): row labels on the left.
    mutating func readColumnTable(_ table: FormTemplate.Table) {
        guard let records = table.records, records.count >= 1 else { return }
        var header: (row: Int, boxes: [TextBox])?
        for r in rows.indices {
            if let boxes = distinctMatches(records.map(\.labels), onRow: r) { header = (r, boxes); break }
        }
        guard let header else { return }
        tableRows.insert(header.row)
        let pageIndex = rows[header.row].row.page
        let headerBox = header.boxes.reduce(header.boxes[0]) { $0.union($1) }
        if let grid = TableGrid.around(headerBox, in: pages[pageIndex]), grid.cuts.count == records.count + 2,
           case let recordSlots = header.boxes.compactMap({ grid.slot($0.midX) }),
           Set(recordSlots).count == records.count, !recordSlots.contains(0) {
            // Slot 0 holds the row labels (column -1 here), then one slot per record.
            var slots: [Int: Int] = [0: -1]
            for (ri, slot) in recordSlots.enumerated() { slots[slot] = ri }
            let bands = gridRecords(grid, page: pageIndex, slots: slots).filter { !$0.cells.isEmpty }
            var labelled = bands.map { band in band.cells[-1].flatMap { rowLabel($0, labels: table.columns.map(\.labels)) } }
            // A row label OCR could not read is the one the printed order leaves for it.
            for i in labelled.indices where labelled[i] == nil {
                let before = labelled[..<i].last(where: { $0 != nil }) ?? -1
                let after = labelled[(i + 1)...].first(where: { $0 != nil }) ?? table.columns.count
                let gap = labelled[(i + 1)...].prefix { $0 == nil }.count
                if let b = before, let a = after, a - b == 2 + gap { labelled[i] = b + 1 }
            }
            for (band, label) in zip(bands, labelled) {
                guard let ci = label else { continue }
                let column = table.columns[ci]
                for (slot, ri) in slots where ri >= 0 {
                    let key = "\(records[ri].prefix).\(column.field)"
                    let words = band.cells[ri] ?? []
                    candidates[key] = Candidate.cell(key, words: words, page: pageIndex, column: column, rereadBox: grid.cellBox(slot: slot, band: band.band))
                }
            }
            return
        }
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
                let labelRow = TextRow(page: rows[r].row.page, words: labelWords, box: labelWords[0].box)
                if let ci = rowLabel(labelRow.words, labels: table.columns.map(\.labels)), ci != current || cells[ci] == nil {
                    current = ci
                }
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
                candidates[key] = Candidate.cell(
                    key, words: words, page: rows[header.row].row.page, column: column,
                    rereadBox: TextBox(x: xs[ri], y: band.y - 4, width: xs[ri + 1] - xs[ri], height: band.height + 8))
            }
        }
    }

    /// One match per label set on row `r`, each on different words ("Bên nữ" must not take "Bên nam"'s words), or nil
    /// unless all are found.
    func distinctMatches(_ labelSets: [[String]], onRow r: Int) -> [TextBox]? {
        var words = rows[r].row.words
        var boxes = [TextBox?](repeating: nil, count: labelSets.count)
        // Exact or best matches first.
        let order = labelSets.indices.sorted {
            (match(labelSets[$0], onRow: r, allowHead: false)?.score ?? 0) > (match(labelSets[$1], onRow: r, allowHead: false)?.score ?? 0)
        }
        for i in order {
            let text = RowText(TextRow(page: rows[r].row.page, words: words, box: rows[r].row.box))
            var best: (Double, Int, Int)?
            for label in labelSets[i] {
                guard let m = PhraseMatcher.find(Fold.string(label), in: text.folded), PhraseMatcher.accepts(m) else { continue }
                if best == nil || m.score > best!.0 { best = (m.score, m.start, m.end) }
            }
            guard let best else { return nil }
            let from = text.originalStart(ofFolded: best.1), to = text.originalEnd(ofFolded: best.2)
            let used = text.words(from, to)
            guard let box = used.unionBox else { return nil }
            boxes[i] = box
            words.removeAll { w in used.contains(w) }
        }
        return boxes.compactMap { $0 }
    }

    /// The words in each cell of a ruled table's header band, in reading order.
    func headerCells(_ grid: TableGrid, page: Int) -> [Int: [TextWord]] {
        var cells: [Int: [TextWord]] = [:]
        for row in rows where row.row.page == page {
            for word in row.row.words where word.box.midY > grid.header.top && word.box.midY < grid.header.bottom {
                if let slot = grid.slot(word.box.midX) { cells[slot, default: []].append(word) }
            }
        }
        return cells
    }

    /// Which of a table's labels (row labels, or column captions) these words are; a label may wrap, so its
    /// start is enough.
    func rowLabel(_ words: [TextWord], labels: [[String]]) -> Int? {
        guard !words.isEmpty else { return nil }
        let text = RowText(TextRow(page: 0, words: words, box: words[0].box))
        var best: (Int, Double)?
        for (ci, variants) in labels.enumerated() {
            for label in variants {
                let l = Fold.string(label)
                guard let m = PhraseMatcher.find(l, in: text.folded) else { continue }
                let prefixOK = m.start == 0 && text.folded.count >= 6 && text.folded.count < l.count
                    && Array(l.prefix(text.folded.count)) == text.folded
                guard PhraseMatcher.accepts(m) || prefixOK else { continue }
                let s = prefixOK && !PhraseMatcher.accepts(m) ? 0.85 : m.score
                if best == nil || s > best!.1 { best = (ci, s) }
            }
        }
        return best?.0
    }
}

extension Candidate {
    /// A table cell's value.
    static func cell(_ key: String, words: [TextWord], page: Int, column: FormTemplate.Table.Column, rereadBox: TextBox?)
        -> Candidate {
        Candidate(key: key, raw: words.map(\.text).joined(separator: " "), words: words, page: page,
                  box: words.unionBox, labelScore: 1, type: column.type,
                  dateRole: column.dateRole, vocabulary: column.vocabulary, corroborate: nil, optional: false,
                  rereadBox: rereadBox)
    }
}
