import CLeptonica
import CPNG
import Foundation

/// One page's pixels (a Leptonica `PIX`), owned and freed here. Immutable: every operation returns a new image.
///
/// Not safe to use from two threads at once; hand an image to one worker at a time.
public final class PageImage: @unchecked Sendable {
    let pix: UnsafeMutablePointer<PIX>
    /// Resolution used for this page (from the file, or assumed).
    public let dpi: Int

    init(owning pix: UnsafeMutablePointer<PIX>, dpi: Int) {
        self.pix = pix
        self.dpi = dpi
    }

    deinit {
        var p: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&p)
    }

    public var width: Int { Int(pixGetWidth(pix)) }
    public var height: Int { Int(pixGetHeight(pix)) }
    public var depth: Int { Int(pixGetDepth(pix)) }
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The `PIX *` for another wrapper of this package (Tesseract takes Leptonica images). Valid during `body` only.
    package func withPixPointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try body(OpaquePointer(pix))
    }

    // MARK: Loading

    /// Decodes page `page` (0-based) of a file already checked by `ImageProbe`.
    public static func load(_ url: URL, page: Int = 0, info: ImageInfo, assumedDPI: Int = 300) throws -> PageImage {
        Leptonica.quiet()
        let name = url.lastPathComponent
        guard page >= 0, page < info.pageCount else {
            throw ImagingError(.noSuchPage, file: name, "has \(info.pageCount) page(s), page \(page + 1) asked for")
        }
        if info.format == .png {
            // libpng's simplified API: converts any PNG (palette, RGB, 16-bit) to 8-bit grey and reports damage
            // as a return value, without printing to the terminal as Leptonica's PNG reader does.
            return try loadPNG(url, info: info, assumedDPI: assumedDPI)
        }
        let decoded: UnsafeMutablePointer<PIX>? = url.withUnsafeFileSystemRepresentation { path in
            if info.format == .tiff { return pixReadTiff(path!, l_int32(page)) }
            return pixRead(path!)
        }
        guard let decoded else {
            let which = info.pageCount > 1 ? "page \(page + 1) " : ""
            throw ImagingError(.corrupt, file: name, "\(which)cannot be decoded: the \(info.format.rawValue.uppercased()) data is damaged or cut short; scan or export it again")
        }
        let size = info.pages[page]
        guard Int(pixGetWidth(decoded)) == size.width, Int(pixGetHeight(decoded)) == size.height else {
            var p: UnsafeMutablePointer<PIX>? = decoded
            pixDestroy(&p)
            throw ImagingError(.corrupt, file: name, "decoded size does not match the header; the file is damaged")
        }
        return PageImage(owning: decoded, dpi: Self.usableDPI(info.dpi) ?? assumedDPI)
    }

    static func loadPNG(_ url: URL, info: ImageInfo, assumedDPI: Int) throws -> PageImage {
        let name = url.lastPathComponent
        var image = sohoa_png_image_new()
        guard url.withUnsafeFileSystemRepresentation({ png_image_begin_read_from_file(&image, $0!) }) != 0 else {
            png_image_free(&image)
            throw ImagingError(.corrupt, file: name, "damaged PNG; scan or export it again")
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        let (width, height) = (Int(image.width), Int(image.height))
        guard width == info.pages[0].width, height == info.pages[0].height,
              let pix = pixCreate(l_int32(width), l_int32(height), 8) else {
            png_image_free(&image)
            throw ImagingError(.corrupt, file: name, "PNG size does not match its header")
        }
        let dpi = usableDPI(info.dpi) ?? assumedDPI
        let page = PageImage(owning: pix, dpi: dpi)
        pixSetResolution(pix, l_int32(dpi), l_int32(dpi))
        // Leptonica rows are whole 32-bit words: read straight into them, then put the bytes in its word order.
        let stride = Int32(pixGetWpl(pix) * 4)
        let ok = png_image_finish_read(&image, nil, UnsafeMutableRawPointer(pixGetData(pix)), stride, nil)
        if ok == 0 {
            png_image_free(&image)
            throw ImagingError(.corrupt, file: name, "the PNG data is damaged or cut short; scan or export it again")
        }
        pixEndianByteSwap(pix)
        return page
    }

    /// A file's resolution when it is believable for a scanned page.
    public static func usableDPI(_ dpi: Int?) -> Int? {
        guard let dpi, (72...2400).contains(dpi) else { return nil }
        return dpi
    }

    /// Raw 8-bit grey pixels (row-major, `width × height` bytes) into an image.
    public static func fromGray8(_ bytes: [UInt8], width: Int, height: Int, dpi: Int) throws -> PageImage {
        precondition(bytes.count >= width * height)
        guard let pix = pixCreate(l_int32(width), l_int32(height), 8) else {
            throw ImagingError(.operationFailed, file: "", "out of memory for a \(width)×\(height) page")
        }
        pixSetResolution(pix, l_int32(dpi), l_int32(dpi))
        let wpl = Int(pixGetWpl(pix))
        let data = pixGetData(pix)!
        bytes.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let row = UnsafeMutableRawPointer(data + y * wpl).assumingMemoryBound(to: UInt8.self)
                for x in 0..<width {
                    // Leptonica keeps 8-bit pixels in native 32-bit words, big-endian order inside each word.
                    row[x ^ 3] = src[y * width + x]
                }
            }
        }
        return PageImage(owning: pix, dpi: dpi)
    }

    // MARK: Conversions

    /// 8-bit grey without a colour map (from 1, 2, 4, 8, 16 or 32 bpp, colour-mapped or not).
    public func grayscale() throws -> PageImage {
        let out: UnsafeMutablePointer<PIX>?
        switch depth {
        case 8 where pixGetColormap(pix) == nil: out = pixCopy(nil, pix)
        case 16: out = pixConvert16To8(pix, l_int32(L_MS_BYTE))
        case 32: out = pixConvertRGBToLuminance(pix)
        default: out = pixConvertTo8(pix, 0)
        }
        return try wrap(out, "grey conversion")
    }

    /// An independent copy of the pixels.
    public func copy() throws -> PageImage {
        try wrap(pixCopy(nil, pix), "copy")
    }

    /// Turned clockwise by `quarterTurns` × 90°.
    public func rotated(quarterTurns: Int) throws -> PageImage {
        let q = ((quarterTurns % 4) + 4) % 4
        if q == 0 { return try copy() }
        return try wrap(pixRotateOrth(pix, l_int32(q)), "rotation")
    }

    /// Turned by a small angle (degrees, clockwise positive as Leptonica's skew angle), white brought in.
    public func rotated(degrees: Double) throws -> PageImage {
        let radians = Float(degrees * .pi / 180)
        return try wrap(pixRotate(pix, radians, l_int32(L_ROTATE_AREA_MAP), l_int32(L_BRING_IN_WHITE), 0, 0), "deskew rotation")
    }

    public func cropped(to rect: PixelRect) throws -> PageImage {
        let r = rect.intersection(bounds)
        guard !r.isEmpty, let box = boxCreate(l_int32(r.x), l_int32(r.y), l_int32(r.width), l_int32(r.height)) else {
            throw ImagingError(.operationFailed, file: "", "empty crop")
        }
        var b: UnsafeMutablePointer<BOX>? = box
        defer { boxDestroy(&b) }
        return try wrap(pixClipRectangle(pix, box, nil), "crop")
    }

    /// Scaled so the width is `width` pixels (aspect kept).
    public func scaled(toWidth width: Int) throws -> PageImage {
        try scaled(by: Double(width) / Double(self.width))
    }

    /// Scaled by a factor; 1-bit images become grey first so that small copies stay legible.
    public func scaled(by factor: Double) throws -> PageImage {
        let src = depth == 1 ? pixConvertTo8(pix, 0) : pixClone(pix)
        var s = src
        defer { pixDestroy(&s) }
        let newDPI = max(1, Int((Double(dpi) * factor).rounded()))
        return try wrap(pixScale(src, Float(factor), Float(factor)), "scaling", dpi: newDPI)
    }

    /// Sets a rectangle to white in place (only for images this module just made).
    func paintWhite(_ rect: PixelRect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty, let box = boxCreate(l_int32(r.x), l_int32(r.y), l_int32(r.width), l_int32(r.height)) else { return }
        var b: UnsafeMutablePointer<BOX>? = box
        defer { boxDestroy(&b) }
        if depth == 1 { pixClearInRect(pix, box) } else { pixSetInRect(pix, box) }
    }

    // MARK: Encoding

    public enum Encoding: Sendable {
        case png
        case jpeg(quality: Int)
        case tiffG4
        /// PGM/PPM (PBM for 1-bit): what SANE's pnm backend reads.
        case pnm
    }

    public func encoded(_ encoding: Encoding) throws -> Data {
        var bytes: UnsafeMutablePointer<l_uint8>?
        var size = 0
        let status: l_ok
        pixSetResolution(pix, l_int32(dpi), l_int32(dpi))
        switch encoding {
        case .png: status = pixWriteMemPng(&bytes, &size, pix, 0)
        case .jpeg(let quality):
            status = depth == 1 ? pixWriteMemPng(&bytes, &size, pix, 0)
                : pixWriteMemJpeg(&bytes, &size, pix, l_int32(quality), 0)
        case .pnm: status = pixWriteMemPnm(&bytes, &size, pix)
        case .tiffG4:
            let src = depth == 1 ? pixClone(pix) : pixConvertTo1(pix, 128)
            var s = src
            defer { pixDestroy(&s) }
            status = pixWriteMemTiff(&bytes, &size, src, l_int32(IFF_TIFF_G4))
        }
        guard status == 0, let bytes else {
            throw ImagingError(.operationFailed, file: "", "the image could not be encoded")
        }
        defer { lept_free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    func wrap(_ out: UnsafeMutablePointer<PIX>?, _ what: String, dpi: Int? = nil) throws -> PageImage {
        guard let out else { throw ImagingError(.operationFailed, file: "", "\(what) failed (out of memory?)") }
        return PageImage(owning: out, dpi: dpi ?? self.dpi)
    }
}

/// Process-wide Leptonica settings.
enum Leptonica {
    private static let once: Void = {
        // Leptonica prints every error to stderr; sohoa reports its own errors.
        setMsgSeverity(l_int32(L_SEVERITY_NONE))
    }()

    static func quiet() { _ = once }
}

extension PageImage {
    /// Paints a rectangle black in place (tests use it to simulate scanner edges on a fresh copy).
    package func paintBlack(_ rect: PixelRect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty, let box = boxCreate(l_int32(r.x), l_int32(r.y), l_int32(r.width), l_int32(r.height)) else { return }
        var b: UnsafeMutablePointer<BOX>? = box
        defer { boxDestroy(&b) }
        if depth == 1 { pixSetInRect(pix, box) } else { pixClearInRect(pix, box) }
    }
}

extension PageImage {
    /// Writes pages as one multi-page TIFF (Group 4 for 1-bit and thresholded pages, LZW for grey).
    public static func writeMultipageTIFF(_ pages: [PageImage], to url: URL, grey: Bool = false) throws {
        Leptonica.quiet()
        for (i, page) in pages.enumerated() {
            let mode = i == 0 ? "w" : "a"
            let status = url.withUnsafeFileSystemRepresentation { path -> l_ok in
                pixSetResolution(page.pix, l_int32(page.dpi), l_int32(page.dpi))
                if grey {
                    return pixWriteTiff(path!, page.pix, l_int32(IFF_TIFF_LZW), mode)
                }
                let src = page.depth == 1 ? pixClone(page.pix) : pixConvertTo1(page.pix, 128)
                var s = src
                defer { pixDestroy(&s) }
                return pixWriteTiff(path!, src, l_int32(IFF_TIFF_G4), mode)
            }
            guard status == 0 else {
                throw ImagingError(.operationFailed, file: url.lastPathComponent, "page \(i + 1) could not be written")
            }
        }
    }
}
