import CPNG
import CTIFF
import Foundation

/// Reads an image file's header (format, page sizes, resolution) without decoding pixels, so that a
/// 50,000-pixel PNG or a damaged file is refused before it costs memory.
public enum ImageProbe {
    public static func probe(_ url: URL, limits: ImageLimits = .standard) throws -> ImageInfo {
        let name = url.lastPathComponent
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 64 * 1024) ?? Data()
        } catch {
            throw ImagingError(.unreadable, file: name, "cannot open the file (\(Self.reason(error))); check the path and permissions")
        }
        if head.isEmpty {
            throw ImagingError(.empty, file: name, "the file is empty (0 bytes); scan or copy it again")
        }
        let info: ImageInfo
        switch sniff(head) {
        case .png?: info = try probePNG(url, head: head, name: name)
        case .tiff?: info = try probeTIFF(url, name: name)
        case .jpeg?: info = try probeJPEG(url, name: name)
        case .pnm?: info = try probePNM(head, name: name)
        case nil:
            throw ImagingError(.notAnImage, file: name,
                               "not an image sohoa can read (PNG, JPEG, TIFF or PNM expected)")
        }
        try check(info, limits: limits, name: name)
        return info
    }

    static func sniff(_ head: Data) -> ImageInfo.Format? {
        let b = [UInt8](head.prefix(4))
        if b.count >= 4, b == [0x89, 0x50, 0x4E, 0x47] { return .png }
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return .jpeg }
        if b.count >= 4, (b == [0x49, 0x49, 0x2A, 0x00] || b == [0x4D, 0x4D, 0x00, 0x2A]
                          || b == [0x49, 0x49, 0x2B, 0x00] || b == [0x4D, 0x4D, 0x00, 0x2B]) { return .tiff }
        if b.count >= 2, b[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(b[1]) { return .pnm }
        return nil
    }

    static func check(_ info: ImageInfo, limits: ImageLimits, name: String) throws {
        if info.pages.isEmpty {
            throw ImagingError(.corrupt, file: name, "the file holds no page")
        }
        if info.pages.count > limits.maxPages {
            throw ImagingError(.tooLarge, file: name, "\(info.pages.count) pages in one file (at most \(limits.maxPages)); split the file")
        }
        for (index, page) in info.pages.enumerated() {
            let which = info.pages.count > 1 ? "page \(index + 1) is " : ""
            let (w, h) = (page.width, page.height)
            if w <= 0 || h <= 0 {
                throw ImagingError(.corrupt, file: name, "\(which)\(w)×\(h) pixels: the header is damaged")
            }
            if w > limits.maxSide || h > limits.maxSide || w * h > limits.maxPixels {
                let mp = Double(w) * Double(h) / 1_000_000
                throw ImagingError(.tooLarge, file: name, String(format: "%@%d×%d pixels (%.0f MP) is over the limit of %d MP / %d px a side; scan at 300 dpi",
                                                                 which, w, h, mp, limits.maxPixels / 1_000_000, limits.maxSide))
            }
            let aspect = Double(max(w, h)) / Double(min(w, h))
            if min(w, h) < limits.minSide || aspect > limits.maxAspect {
                throw ImagingError(.absurdDimensions, file: name, "\(which)\(w)×\(h) pixels is not the shape of a paper page")
            }
        }
    }

    // MARK: PNG (libpng simplified API: header only)

    static func probePNG(_ url: URL, head: Data, name: String) throws -> ImageInfo {
        var image = sohoa_png_image_new()
        let ok = url.withUnsafeFileSystemRepresentation { path in
            png_image_begin_read_from_file(&image, path!)
        }
        defer { png_image_free(&image) }
        guard ok != 0 else {
            let message = withUnsafeBytes(of: image.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw ImagingError(.corrupt, file: name, "damaged PNG (\(message)); scan or export it again")
        }
        return ImageInfo(format: .png, pages: [.init(width: Int(image.width), height: Int(image.height))],
                         dpi: pngDPI(head))
    }

    /// The pHYs chunk, when it sits in the first 64 KiB (it must precede IDAT).
    static func pngDPI(_ data: Data) -> Int? {
        let bytes = [UInt8](data)
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(readBE32(bytes, offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if type == "pHYs", offset + 8 + 9 <= bytes.count {
                let ppmX = readBE32(bytes, offset + 8)
                let unit = bytes[offset + 16]
                guard unit == 1, ppmX > 0 else { return nil }
                return Int((Double(ppmX) * 0.0254).rounded())
            }
            if type == "IDAT" || type == "IEND" { return nil }
            offset += 12 + length
        }
        return nil
    }

    // MARK: TIFF (libtiff: every directory's size)

    static func probeTIFF(_ url: URL, name: String) throws -> ImageInfo {
        sohoa_tiff_silence()
        guard let tif = url.withUnsafeFileSystemRepresentation({ TIFFOpen($0!, "r") }) else {
            throw ImagingError(.corrupt, file: name, "damaged TIFF (the header cannot be read); scan or export it again")
        }
        defer { TIFFClose(tif) }
        var pages: [ImageInfo.PageSize] = []
        var dpi: Int?
        repeat {
            var w: UInt32 = 0, h: UInt32 = 0
            guard sohoa_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGEWIDTH), &w) == 1,
                  sohoa_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGELENGTH), &h) == 1 else {
                throw ImagingError(.corrupt, file: name, "damaged TIFF: page \(pages.count + 1) has no size")
            }
            pages.append(.init(width: Int(w), height: Int(h)))
            if pages.count == 1 {
                var res: Float = 0
                var unit: UInt16 = 2
                if sohoa_tiff_get_float(tif, UInt32(TIFFTAG_XRESOLUTION), &res) == 1, res > 0 {
                    _ = sohoa_tiff_get_u16_defaulted(tif, UInt32(TIFFTAG_RESOLUTIONUNIT), &unit)
                    switch Int32(unit) {
                    case RESUNIT_CENTIMETER: dpi = Int((Double(res) * 2.54).rounded())
                    case RESUNIT_INCH: dpi = Int(Double(res).rounded())
                    default: dpi = nil
                    }
                }
            }
            if pages.count > 10_000 { break }
        } while TIFFReadDirectory(tif) == 1
        return ImageInfo(format: .tiff, pages: pages, dpi: dpi)
    }

    // MARK: JPEG (markers parsed here: SOF for size, JFIF APP0 for density)

    static func probeJPEG(_ url: URL, name: String) throws -> ImageInfo {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            throw ImagingError(.unreadable, file: name, "cannot read the file")
        }
        let b = [UInt8](data.prefix(512 * 1024))
        var offset = 2
        var dpi: Int?
        while offset + 4 <= b.count {
            guard b[offset] == 0xFF else { break }
            let marker = b[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            let length = Int(b[offset + 2]) << 8 | Int(b[offset + 3])
            if length < 2 { break }
            let body = offset + 4
            if marker == 0xE0, body + 12 <= b.count, b[body..<(body + 5)].elementsEqual([0x4A, 0x46, 0x49, 0x46, 0x00]) {
                let unit = b[body + 7]
                let density = Int(b[body + 8]) << 8 | Int(b[body + 9])
                if density > 1 {
                    dpi = unit == 1 ? density : unit == 2 ? Int((Double(density) * 2.54).rounded()) : nil
                }
            }
            let isSOF = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isSOF, body + 5 <= b.count {
                let h = Int(b[body + 1]) << 8 | Int(b[body + 2])
                let w = Int(b[body + 3]) << 8 | Int(b[body + 4])
                return ImageInfo(format: .jpeg, pages: [.init(width: w, height: h)], dpi: dpi)
            }
            if marker == 0xDA { break }
            offset = body + length - 2
        }
        throw ImagingError(.corrupt, file: name, "damaged JPEG (no frame header); scan or export it again")
    }

    // MARK: PNM

    static func probePNM(_ head: Data, name: String) throws -> ImageInfo {
        // Tokens after the magic number: width, height (comments start with '#').
        var tokens: [String] = []
        var current = ""
        var inComment = false
        for byte in head.dropFirst(2).prefix(1024) {
            let c = Character(UnicodeScalar(byte))
            if inComment { if c == "\n" { inComment = false }; continue }
            if c == "#" { inComment = true; continue }
            if c.isWhitespace {
                if !current.isEmpty { tokens.append(current); current = "" }
                if tokens.count == 2 { break }
            } else {
                current.append(c)
            }
        }
        guard tokens.count == 2, let w = Int(tokens[0]), let h = Int(tokens[1]) else {
            throw ImagingError(.corrupt, file: name, "damaged PNM header")
        }
        return ImageInfo(format: .pnm, pages: [.init(width: w, height: h)], dpi: nil)
    }

    private static func readBE32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
    }

    static func reason(_ error: Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
