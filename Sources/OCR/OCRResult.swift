import Imaging

/// One recognised word: its text as read, Tesseract's confidence (0…1) and its box in page pixels.
public struct OCRWord: Codable, Sendable, Equatable {
    public var text: String
    public var confidence: Double
    public var box: PixelRect

    public init(text: String, confidence: Double, box: PixelRect) {
        self.text = text
        self.confidence = confidence
        self.box = box
    }
}

/// A text line in reading order.
public struct OCRLine: Codable, Sendable, Equatable {
    public var words: [OCRWord]
    public var box: PixelRect

    public init(words: [OCRWord]) {
        self.words = words
        self.box = words.reduce(PixelRect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1.box) }
    }

    public var text: String { words.map(\.text).joined(separator: " ") }
    public var confidence: Double {
        words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
    }
}

/// A page's OCR result.
public struct OCRPage: Codable, Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var dpi: Int
    public var lines: [OCRLine]

    public init(width: Int, height: Int, dpi: Int, lines: [OCRLine]) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.lines = lines
    }

    /// The page's text, one line per text line, in reading order.
    public var text: String { lines.map(\.text).joined(separator: "\n") }
    public var words: [OCRWord] { lines.flatMap(\.words) }
}
