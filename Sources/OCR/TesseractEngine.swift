import CTesseract
import Foundation
import Imaging

/// One Tesseract instance. Not thread-safe: use one per worker thread (see `OCRPool`).
///
/// Tesseract's OpenMP threads make it several times slower on small machines unless `OMP_THREAD_LIMIT=1` is in
/// the environment when the library is loaded; `OpenMPGuard` in the CLI sees to that.
public final class TesseractEngine {
    private let handle: OpaquePointer
    public let configuration: OCRConfiguration

    public init(_ configuration: OCRConfiguration = .init()) throws {
        guard let handle = TessBaseAPICreate() else {
            throw OCRError(.engineUnavailable, "Tesseract could not be created")
        }
        let status = configuration.languages.withCString { lang in
            if let path = configuration.dataPath {
                return path.withCString { TessBaseAPIInit3(handle, $0, lang) }
            }
            return TessBaseAPIInit3(handle, nil, lang)
        }
        guard status == 0 else {
            TessBaseAPIDelete(handle)
            throw OCRError(.engineUnavailable, "Tesseract has no model for '\(configuration.languages)'; install tesseract-ocr-vie and tesseract-ocr-eng (apt-get install tesseract-ocr-vie tesseract-ocr-eng)")
        }
        self.handle = handle
        self.configuration = configuration
        // Tesseract's diagnostics ("Detected N diacritics") are not for users.
        set("debug_file", "/dev/null")
    }

    /// An engine for digits alone, on the same thread: the English model reads handwritten-style (italic) digits
    /// far better than the Vietnamese one, which turns them into letters' shapes. This engine itself when the
    /// English model is missing or this already is one.
    public private(set) lazy var digits: TesseractEngine = {
        guard configuration.languages != Self.digitLanguage,
              let engine = try? TesseractEngine(OCRConfiguration(languages: Self.digitLanguage, dataPath: configuration.dataPath))
        else { return self }
        return engine
    }()

    static let digitLanguage = "eng"

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// Tesseract version string.
    public static var version: String { String(cString: TessVersion()) }

    @discardableResult
    private func set(_ name: String, _ value: String) -> Bool {
        TessBaseAPISetVariable(handle, name, value) != 0
    }

    /// Recognises `image` (or the part of it inside `rect`). Boxes are in `image`'s pixels.
    public func recognize(_ image: PageImage, rect: PixelRect? = nil, mode: SegmentationMode = .auto,
                          whitelist: String? = nil) throws -> OCRPage {
        try prepare(image, rect: rect, mode: mode, whitelist: whitelist)
        defer { TessBaseAPIClear(handle) }
        guard TessBaseAPIRecognize(handle, nil) == 0 else {
            throw OCRError(.recognitionFailed, "Tesseract could not recognise the page")
        }
        return OCRPage(width: image.width, height: image.height, dpi: image.dpi, lines: collectLines())
    }

    /// hOCR of the whole page: its `ocr_page` element, whose `image` property is `imageName` and whose `ppageno`
    /// is `pageIndex` (0-based). `HOCRDocument` makes a whole document of such pages.
    public func hocr(_ image: PageImage, mode: SegmentationMode = .auto, imageName: String = "",
                     pageIndex: Int = 0) throws -> String {
        try prepare(image, rect: nil, mode: mode, whitelist: nil)
        TessBaseAPISetInputName(handle, imageName)
        defer { TessBaseAPIClear(handle) }
        guard TessBaseAPIRecognize(handle, nil) == 0,
              let text = TessBaseAPIGetHOCRText(handle, Int32(clamping: pageIndex)) else {
            throw OCRError(.recognitionFailed, "Tesseract could not recognise the page")
        }
        defer { TessDeleteText(text) }
        return String(cString: text)
    }

    private func prepare(_ image: PageImage, rect: PixelRect?, mode: SegmentationMode, whitelist: String?) throws {
        set("tessedit_char_whitelist", whitelist ?? "")
        TessBaseAPISetPageSegMode(handle, TessPageSegMode(UInt32(mode.rawValue)))
        image.withPixPointer { TessBaseAPISetImage2(handle, UnsafeMutablePointer($0)) }
        TessBaseAPISetSourceResolution(handle, Int32(image.dpi))
        if let rect {
            let r = rect.intersection(image.bounds)
            guard !r.isEmpty else { throw OCRError(.recognitionFailed, "empty region") }
            TessBaseAPISetRectangle(handle, Int32(r.x), Int32(r.y), Int32(r.width), Int32(r.height))
        }
    }

    private func collectLines() -> [OCRLine] {
        guard let results = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(results) }
        let page = TessResultIteratorGetPageIterator(results)
        var lines: [OCRLine] = []
        var current: [OCRWord] = []
        repeat {
            if TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0, !current.isEmpty {
                lines.append(OCRLine(words: current))
                current = []
            }
            guard let cText = TessResultIteratorGetUTF8Text(results, RIL_WORD) else { continue }
            let text = String(cString: cText)
            TessDeleteText(cText)
            var l: Int32 = 0, t: Int32 = 0, r: Int32 = 0, b: Int32 = 0
            guard TessPageIteratorBoundingBox(page, RIL_WORD, &l, &t, &r, &b) != 0 else { continue }
            let conf = Double(TessResultIteratorConfidence(results, RIL_WORD)) / 100
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            current.append(OCRWord(text: trimmed.precomposedStringWithCanonicalMapping, confidence: max(0, min(1, conf)),
                                   box: PixelRect(x: Int(l), y: Int(t), width: Int(r - l), height: Int(b - t))))
        } while TessResultIteratorNext(results, RIL_WORD) != 0
        if !current.isEmpty { lines.append(OCRLine(words: current)) }
        return lines
    }
}
