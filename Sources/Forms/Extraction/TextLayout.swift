/// A box in page pixels, `[x, y, width, height]`.
public struct TextBox: Sendable, Equatable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var midX: Int { x + width / 2 }
    public var midY: Int { y + height / 2 }
    public var array: [Int] { [x, y, width, height] }

    public func union(_ o: TextBox) -> TextBox {
        let minX = min(x, o.x), minY = min(y, o.y)
        return TextBox(x: minX, y: minY, width: max(maxX, o.maxX) - minX, height: max(maxY, o.maxY) - minY)
    }

    /// Vertical overlap as a share of the shorter height.
    func verticalOverlap(_ o: TextBox) -> Double {
        let overlap = min(maxY, o.maxY) - max(y, o.y)
        return Double(max(0, overlap)) / Double(max(1, min(height, o.height)))
    }
}

/// A word as OCR read it: what extraction works from.
public struct TextWord: Sendable, Equatable {
    public var text: String
    /// 0…1
    public var confidence: Double
    public var box: TextBox

    public init(text: String, confidence: Double, box: TextBox) {
        self.text = text
        self.confidence = confidence
        self.box = box
    }
}

extension Sequence where Element == TextWord {
    /// The box around all the words, nil for none.
    var unionBox: TextBox? { reduce(nil) { $0?.union($1.box) ?? $1.box } }
}

/// The words of one page (any order; extraction builds its own rows) and its printed rules.
public struct TextPage: Sendable {
    public var words: [TextWord]
    public var width: Int
    public var height: Int
    public var dpi: Int
    /// Horizontal and vertical printed lines (table borders), when the image showed any.
    public var horizontalRules: [TextBox]
    public var verticalRules: [TextBox]

    public init(words: [TextWord], width: Int, height: Int, dpi: Int, horizontalRules: [TextBox] = [],
                verticalRules: [TextBox] = []) {
        self.words = words
        self.width = width
        self.height = height
        self.dpi = dpi
        self.horizontalRules = horizontalRules
        self.verticalRules = verticalRules
    }
}

/// A printed row of text: words whose boxes share a baseline band, left to right.
struct TextRow {
    var page: Int
    var words: [TextWord]
    var box: TextBox

    var text: String { words.map(\.text).joined(separator: " ") }

    /// Groups a page's words into rows by vertical overlap, top to bottom.
    static func rows(of page: TextPage, index: Int) -> [TextRow] {
        let words = page.words.filter { !$0.text.isEmpty }.sorted { $0.box.midY < $1.box.midY }
        var rows: [TextRow] = []
        // Typical word height, to judge what "the same row" means.
        let heights = words.map(\.box.height).sorted()
        let typical = heights.isEmpty ? 30 : heights[heights.count / 2]
        for word in words {
            var best: Int?
            var bestOverlap = 0.0
            for i in rows.indices.suffix(6) {
                let r = rows[i]
                // Compare with the row's core band: the median word of the row, not its union (tall glyphs inflate it).
                let overlap = word.box.verticalOverlap(r.coreBox(typical: typical))
                if overlap > bestOverlap {
                    bestOverlap = overlap
                    best = i
                }
            }
            if let best, bestOverlap >= 0.45 {
                rows[best].words.append(word)
                rows[best].box = rows[best].box.union(word.box)
            } else {
                rows.append(TextRow(page: index, words: [word], box: word.box))
            }
        }
        for i in rows.indices { rows[i].words.sort { $0.box.x < $1.box.x } }
        return rows.sorted { $0.box.midY < $1.box.midY }
    }

    func coreBox(typical: Int) -> TextBox {
        let ys = words.map(\.box.midY).sorted()
        let mid = ys[ys.count / 2]
        let h = max(typical, 1)
        return TextBox(x: box.x, y: mid - h / 2, width: box.width, height: h)
    }
}
