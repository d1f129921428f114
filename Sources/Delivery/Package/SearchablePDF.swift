import Foundation
import Imaging
import OCR

/// Writes a searchable PDF: each page is the stored page image with the OCR words laid over it as invisible text
/// (rendering mode 3), so a viewer shows the scan and finds, selects and copies its words.
///
/// The text uses a Type 0 font with Identity-H encoding whose character ids are the text's UTF-16 code units, a
/// ToUnicode map that says so, and Tesseract's glyph-less font (`pdf.ttf`) when one is given: the same scheme
/// as Tesseract's own PDF renderer, written here from the OCR already stored so nothing is read twice.
public struct SearchablePDF {
    public struct Page {
        /// JPEG (DCT) data of an 8-bit grey or RGB image.
        public var jpeg: Data
        public var width: Int
        public var height: Int
        public var channels: Int
        public var dpi: Int
        public var words: [OCRWord]

        public init(jpeg: Data, width: Int, height: Int, channels: Int, dpi: Int, words: [OCRWord]) {
            self.jpeg = jpeg
            self.width = width
            self.height = height
            self.channels = channels
            self.dpi = dpi
            self.words = words
        }
    }

    public var title: String
    public var pages: [Page]
    /// The glyph-less TrueType font to embed (Tesseract's `pdf.ttf`); without it the font is only named.
    public var glyphlessFont: Data?
    public var creationDate: Date

    public init(title: String, pages: [Page], glyphlessFont: Data?, creationDate: Date = Date()) {
        self.title = title
        self.pages = pages
        self.glyphlessFont = glyphlessFont
        self.creationDate = creationDate
    }

    public func render() throws -> Data {
        var w = ObjectWriter()
        let catalog = w.reserve(), pagesRoot = w.reserve(), font = w.reserve(), cidFont = w.reserve()
        let descriptor = w.reserve(), toUnicode = w.reserve(), cidToGid = w.reserve(), info = w.reserve()
        let fontFile = glyphlessFont == nil ? nil : w.reserve()

        var kids: [Int] = []
        for page in pages {
            let pageObj = w.reserve(), content = w.reserve(), image = w.reserve()
            kids.append(pageObj)
            let (pw, ph) = (points(page.width, page.dpi), points(page.height, page.dpi))
            w.stream(image, dictionary: """
                /Type /XObject /Subtype /Image /Width \(page.width) /Height \(page.height) \
                /ColorSpace /\(page.channels == 1 ? "DeviceGray" : "DeviceRGB") /BitsPerComponent 8 /Filter /DCTDecode
                """, data: page.jpeg)
            let ops = Data(contentOperators(page, pageWidth: pw, pageHeight: ph).utf8)
            w.stream(content, dictionary: "/Filter /FlateDecode", data: try Deflate.compress(ops))
            w.object(pageObj, """
                << /Type /Page /Parent \(pagesRoot) 0 R /MediaBox [0 0 \(fmt(pw)) \(fmt(ph))] /Contents \(content) 0 R \
                /Resources << /XObject << /Im0 \(image) 0 R >> /Font << /F0 \(font) 0 R >> >> >>
                """)
        }
        w.object(pagesRoot, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>")
        w.object(catalog, "<< /Type /Catalog /Pages \(pagesRoot) 0 R >>")
        w.object(font, """
            << /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H \
            /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>
            """)
        w.object(cidFont, """
            << /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont \
            /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
            /FontDescriptor \(descriptor) 0 R /CIDToGIDMap \(cidToGid) 0 R /DW 500 >>
            """)
        w.object(descriptor, """
            << /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] /ItalicAngle 0 \
            /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80\(fontFile.map { " /FontFile2 \($0) 0 R" } ?? "") >>
            """)
        if let fontFile, let glyphlessFont {
            w.stream(fontFile, dictionary: "/Length1 \(glyphlessFont.count)", data: glyphlessFont)
        }
        // Every character id draws glyph 1 of the glyph-less font.
        var map = Data(count: 65536 * 2)
        for i in stride(from: 1, to: map.count, by: 2) { map[i] = 1 }
        w.stream(cidToGid, dictionary: "/Filter /FlateDecode", data: try Deflate.compress(map))
        w.stream(toUnicode, dictionary: "", data: Data(Self.toUnicodeCMap.utf8))
        w.object(info, "<< /Producer (sohoa) /Title \(pdfText(title)) /CreationDate (\(pdfDate(creationDate))) >>")
        return w.finish(root: catalog, info: info)
    }

    // MARK: Page content

    private func contentOperators(_ page: Page, pageWidth pw: Double, pageHeight ph: Double) -> String {
        var s = "q \(fmt(pw)) 0 0 \(fmt(ph)) 0 0 cm /Im0 Do Q\n"
        let scale = 72.0 / Double(page.dpi)
        let words = page.words.filter { !$0.text.isEmpty && $0.box.width > 0 && $0.box.height > 0 }
        guard !words.isEmpty else { return s }
        s += "BT 3 Tr\n"
        for word in words {
            let units = Array(word.text.precomposedStringWithCanonicalMapping.utf16)
            let height = Double(word.box.height) * scale
            let width = Double(word.box.width) * scale
            // Glyphs are 500/1000 wide: stretch them horizontally to cover the word's box.
            let size = max(1, height)
            let natural = Double(units.count) * size * 0.5
            let stretch = natural > 0 ? 100 * width / natural : 100
            let x = Double(word.box.x) * scale
            let baseline = ph - Double(word.box.y + word.box.height) * scale + height * 0.2
            let hex = units.map { String(format: "%04X", $0) }.joined()
            s += "/F0 \(fmt(size)) Tf \(fmt(stretch)) Tz 1 0 0 1 \(fmt(x)) \(fmt(baseline)) Tm <\(hex)> Tj\n"
        }
        s += "ET\n"
        return s
    }

    private func points(_ pixels: Int, _ dpi: Int) -> Double { Double(pixels) * 72 / Double(max(1, dpi)) }

    static let toUnicodeCMap = """
        /CIDInit /ProcSet findresource begin
        12 dict begin
        begincmap
        /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
        /CMapName /Adobe-Identity-UCS def
        /CMapType 2 def
        1 begincodespacerange
        <0000> <FFFF>
        endcodespacerange
        1 beginbfrange
        <0000> <FFFF> <0000>
        endbfrange
        endcmap
        CMapName currentdict /CMap defineresource pop
        end
        end
        """
}

private func fmt(_ v: Double) -> String {
    let s = String(format: "%.2f", v)
    return s.hasSuffix(".00") ? String(s.dropLast(3)) : s
}

/// A PDF text string: UTF-16BE with a byte-order mark, as hex.
private func pdfText(_ s: String) -> String {
    "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
}

private func pdfDate(_ d: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMddHHmmss"
    return "D:" + f.string(from: d) + "Z"
}

/// Numbered objects, their byte offsets and the cross-reference table.
private struct ObjectWriter {
    private var data = Data("%PDF-1.5\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
    private var offsets: [Int: Int] = [:]
    private var count = 0

    mutating func reserve() -> Int {
        count += 1
        return count
    }

    mutating func object(_ n: Int, _ body: String) {
        offsets[n] = data.count
        data.append(Data("\(n) 0 obj\n\(body)\nendobj\n".utf8))
    }

    mutating func stream(_ n: Int, dictionary: String, data bytes: Data) {
        offsets[n] = data.count
        data.append(Data("\(n) 0 obj\n<< \(dictionary) /Length \(bytes.count) >>\nstream\n".utf8))
        data.append(bytes)
        data.append(Data("\nendstream\nendobj\n".utf8))
    }

    mutating func finish(root: Int, info: Int) -> Data {
        let xref = data.count
        var table = "xref\n0 \(count + 1)\n0000000000 65535 f \n"
        for n in 1...max(1, count) {
            table += String(format: "%010d 00000 n \n", offsets[n] ?? 0)
        }
        table += "trailer\n<< /Size \(count + 1) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        data.append(Data(table.utf8))
        return data
    }
}
