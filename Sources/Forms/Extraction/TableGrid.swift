/// A ruled table's cells, from the page's printed lines: column cuts and row bands.
struct TableGrid {
    /// x of the vertical rules, left to right (the first and last are the table's border).
    var cuts: [Int]
    /// Row bands (top, bottom) below the header band, top to bottom.
    var bands: [(top: Int, bottom: Int)]
    /// The header's band.
    var header: (top: Int, bottom: Int)

    var left: Int { cuts.first! }
    var right: Int { cuts.last! }

    /// The column slot holding x (0-based), nil outside the table.
    func slot(_ x: Int) -> Int? {
        guard x >= left, x <= right else { return nil }
        return (cuts.lastIndex { $0 <= x } ?? 0).clamped(to: 0...(cuts.count - 2))
    }

    func cellBox(slot: Int, band: (top: Int, bottom: Int)) -> TextBox {
        TextBox(x: cuts[slot] + 3, y: band.top + 3, width: cuts[slot + 1] - cuts[slot] - 6, height: band.bottom - band.top - 6)
    }

    /// The first ruled table whose top border lies between `y` and `y + within` (a table below its caption).
    static func below(_ y: Int, within: Int, in page: TextPage) -> TableGrid? {
        let tolerance = max(8, page.dpi / 30)
        let starting = page.verticalRules.filter { $0.y > y - tolerance && $0.y < y + within }
        let tops = dedupe(starting.map(\.y), within: tolerance * 2)
        for top in tops {
            let frame = starting.filter { abs($0.y - top) <= tolerance * 2 }
            guard frame.count >= 3 else { continue }
            let probe = TextBox(x: frame.map(\.x).min()!, y: top + tolerance, width: 1, height: 1)
            if let grid = around(probe, in: page) { return grid }
        }
        return nil
    }

    /// The grid around a header row, or nil when the page has no such ruled table.
    static func around(_ header: TextBox, in page: TextPage) -> TableGrid? {
        let tolerance = max(8, page.dpi / 30)
        let crossing = page.verticalRules.filter { $0.y <= header.midY && $0.maxY >= header.midY }
        // The table's own rules start together at its top border; a scanner edge or a stray line does not.
        let tops = dedupe(crossing.map(\.y), within: tolerance * 2)
        let frameTop = tops.max { a, b in
            crossing.filter { abs($0.y - a) <= tolerance * 2 }.count < crossing.filter { abs($0.y - b) <= tolerance * 2 }.count
        }
        guard let frameTop else { return nil }
        let cuts = dedupe(crossing.filter { abs($0.y - frameTop) <= tolerance * 2 }.map(\.midX), within: tolerance)
        guard cuts.count >= 3 else { return nil }
        let left = cuts.first!, right = cuts.last!
        let ys = spanningRows(page.horizontalRules, left: left, right: right, tolerance: tolerance)
        guard let above = ys.last(where: { $0 < header.midY }), let below = ys.first(where: { $0 > header.midY }) else {
            return nil
        }
        // Data bands: consecutive rules below the header, while the vertical rules continue between them.
        var bands: [(Int, Int)] = []
        var top = below
        for y in ys where y > below {
            let continues = page.verticalRules.contains { $0.y <= top + tolerance && $0.maxY >= y - tolerance && abs($0.midX - left) <= tolerance * 2 }
            guard continues else { break }
            if y - top > tolerance * 2 { bands.append((top, y)) }
            top = y
        }
        return TableGrid(cuts: cuts, bands: bands, header: (above, below))
    }

    /// y of the horizontal rules that cross the table from `left` to `right`, counting a rule broken into pieces
    /// (a thin line in a noisy scan) as one when its pieces cover most of the width.
    static func spanningRows(_ rules: [TextBox], left: Int, right: Int, tolerance: Int) -> [Int] {
        let inside = rules.filter { $0.maxX > left && $0.x < right }.sorted { $0.midY < $1.midY }
        var groups: [[TextBox]] = []
        for r in inside {
            if let last = groups.last?.last, r.midY - last.midY <= tolerance { groups[groups.count - 1].append(r) } else { groups.append([r]) }
        }
        var ys: [Int] = []
        for group in groups {
            var covered = 0
            var reach = left
            for seg in group.sorted(by: { $0.x < $1.x }) {
                let a = max(reach, max(left, seg.x)), b = min(right, seg.maxX)
                if b > a { covered += b - a }
                reach = max(reach, b)
            }
            if Double(covered) >= 0.8 * Double(right - left) {
                ys.append(group.map(\.midY).reduce(0, +) / group.count)
            }
        }
        return ys
    }

    static func dedupe(_ values: [Int], within tolerance: Int) -> [Int] {
        var out: [Int] = []
        for v in values.sorted() {
            if let last = out.last, v - last <= tolerance { continue }
            out.append(v)
        }
        return out
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
