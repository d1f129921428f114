import Forms
import Foundation
import Imaging
import OCR

/// One page to process: which file, which page in it, what its header said.
public struct PageInput: Sendable {
    public var url: URL
    public var pageIndex: Int
    public var info: ImageInfo
    /// The name to report (the file's name; for a stored page, the name it was captured under).
    public var name: String
    /// The stored page this is, when processing a captured batch.
    public var pageId: Int64?

    public init(url: URL, pageIndex: Int, info: ImageInfo, name: String? = nil, pageId: Int64? = nil) {
        self.url = url
        self.pageIndex = pageIndex
        self.info = info
        self.name = name ?? url.lastPathComponent
        self.pageId = pageId
    }
}

/// A processed page, in memory until the document is stored.
public struct ProcessedPage: @unchecked Sendable {
    public var input: PageInput
    public var cleaned: CleanedPage
    public var ocr: OCRPage
    public var rules: RuleLines
    public var dpiAssumed: Bool
    public var seconds: Double
}

/// The per-page steps as plain functions; only `DocumentPipeline` is concurrent.
public enum PageSteps {
    /// Reads every file's header; a bad file becomes a failure and the others go on.
    public static func inputs(for files: [URL], limits: ImageLimits) -> ([PageInput], [InputFailure]) {
        var inputs: [PageInput] = []
        var failures: [InputFailure] = []
        for url in files {
            do {
                let info = try ImageProbe.probe(url, limits: limits)
                for p in 0..<info.pageCount { inputs.append(PageInput(url: url, pageIndex: p, info: info)) }
            } catch let error as ImagingError {
                failures.append(InputFailure(file: url.lastPathComponent, page: nil, error: error))
            } catch {
                failures.append(InputFailure(file: url.lastPathComponent, page: nil,
                                             error: ImagingError(.unreadable, file: url.lastPathComponent, "\(error)")))
            }
        }
        return (inputs, failures)
    }

    /// Decode, clean (orientation, deskew, borders, binarisation, blank check) and OCR one page.
    /// Runs on an OCR worker's thread.
    public static func process(_ input: PageInput, engine: TesseractEngine, assumedDPI: Int) throws -> ProcessedPage {
        let start = DispatchTime.now()
        let image = try PageImage.load(input.url, page: input.pageIndex, info: input.info, assumedDPI: assumedDPI)
        let cleaned = try PageCleaner.clean(image, headerDPI: .some(input.info.dpi))
        let ocr = cleaned.isBlank
            ? OCRPage(width: cleaned.gray.width, height: cleaned.gray.height, dpi: cleaned.gray.dpi, lines: [])
            : try engine.recognize(cleaned.gray, mode: engine.configuration.pageMode)
        let rules = cleaned.isBlank ? RuleLines() : PageCleaner.findRules(cleaned.binary)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return ProcessedPage(input: input, cleaned: cleaned, ocr: ocr, rules: rules,
                             dpiAssumed: PageImage.usableDPI(input.info.dpi) == nil || cleaned.capture.estimatedDPI != nil,
                             seconds: seconds)
    }

    /// OCR words as extraction's input.
    public static func textPage(_ page: OCRPage, rules: RuleLines = RuleLines()) -> TextPage {
        func box(_ r: PixelRect) -> TextBox { TextBox(x: r.x, y: r.y, width: r.width, height: r.height) }
        return TextPage(words: page.words.map { TextWord(text: $0.text, confidence: $0.confidence, box: box($0.box)) },
                        width: page.width, height: page.height, dpi: page.dpi,
                        horizontalRules: rules.horizontal.map(box), verticalRules: rules.vertical.map(box))
    }
}

/// Reads a field's crop again for extraction: tighter segmentation, a digit alphabet for numbers, box lines removed.
struct CropRereader: CropReader {
    let pool: OCRPool
    let images: [PageImage]

    func read(page: Int, box: TextBox, type: FieldType, variant: Int) async throws -> [TextWord] {
        guard images.indices.contains(page) else { return [] }
        let image = images[page]
        return try await pool.run { engine in
            try Self.read(image, box: box, type: type, variant: variant, engine: engine)
        }
    }

    func readPacked(page: Int, boxes: [TextBox]) async throws -> [TextWord] {
        guard images.indices.contains(page), !boxes.isEmpty else { return [] }
        let image = images[page]
        return try await pool.run { engine in try Self.readPacked(image, boxes: boxes, engine: engine) }
    }

    static func readPacked(_ image: PageImage, boxes: [TextBox], engine: TesseractEngine) throws -> [TextWord] {
        let rects = boxes.map { PixelRect(x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
        guard let strip = try image.packedStrip(of: rects) else { return [] }
        // Tesseract reads digits best about 30 pixels tall; the strip is a digit tall plus its margins.
        let digitHeight = Double(strip.height) / 1.6
        let scaled = try PageCleaner.binarize(strip).scaled(by: 30 / digitHeight)
        let result = try engine.digits.recognize(scaled, mode: .singleLine, whitelist: "0123456789")
        // The strip's words have no place on the page: they stand for the row of boxes.
        let union = boxes.dropFirst().reduce(boxes[0]) { $0.union($1) }
        return result.words.map { TextWord(text: $0.text, confidence: $0.confidence, box: union) }
    }

    static func read(_ image: PageImage, box: TextBox, type: FieldType, variant: Int = 0,
                     engine: TesseractEngine) throws -> [TextWord] {
        let rect = PixelRect(x: box.x, y: box.y, width: box.width, height: box.height).intersection(image.bounds)
        guard rect.width > 4, rect.height > 4 else { return [] }
        let whitelist: String?
        switch type {
        case .id, .phone, .integer, .year: whitelist = "0123456789"
        // Dates are read without an alphabet: with one, Tesseract drops the slashes ("12/8/1963" → "1281963").
        case .date: whitelist = nil
        default: whitelist = nil
        }
        var crop = try image.cropped(to: rect)
        if whitelist != nil || type == .date {
            // Digit boxes and table rules confuse OCR ("|" read as 1): remove lines longer than a digit is tall.
            crop = try crop.whiteningRulesAndSpecks(minLength: max(20, image.dpi * 45 / 300), speck: max(3, image.dpi / 30))
        }
        // Small text reads better larger.
        let factor = (crop.dpi < 300 ? 2.0 : 1.5) * (variant == 0 ? 1 : 1.35)
        var scaled = try crop.scaled(by: factor)
        if whitelist != nil {
            // Clean black on white: grey remnants of box lines make Tesseract invent digits.
            scaled = try PageCleaner.binarize(scaled)
        }
        let multiLine = rect.height > image.dpi * 2 / 5
        // Tesseract's single-line mode often returns nothing for a short run of digits; block mode reads them.
        var mode: SegmentationMode = multiLine || whitelist != nil || type == .date ? .singleBlock : .singleLine
        if whitelist != nil && rect.width * 2 < rect.height * 3 { mode = .singleCharacter }  // one printed box
        let reader = whitelist == nil ? engine : engine.digits
        var result = try reader.recognize(scaled, mode: mode, whitelist: whitelist)
        if result.words.isEmpty && mode == .singleCharacter {
            result = try reader.recognize(scaled, mode: .singleBlock, whitelist: whitelist)
        }
        return result.words.map { w in
            TextWord(text: w.text, confidence: w.confidence,
                     box: TextBox(x: rect.x + Int(Double(w.box.x) / factor), y: rect.y + Int(Double(w.box.y) / factor),
                                  width: Int(Double(w.box.width) / factor), height: Int(Double(w.box.height) / factor)))
        }
    }
}
