import CLeptonica
import Foundation

/// What clean-up did about how the page was captured (a photo or a document camera rather than a scanner).
public struct CaptureCorrection: Sendable, Equatable {
    /// The sheet's corners in the original picture, when it was found lying on something and unwarped.
    public var sheet: PageQuad?
    /// The resolution measured from the page (the A4 sheet's width), when the file's own was missing or not
    /// believable (a camera's 72 dpi); nil when the file's was used.
    public var estimatedDPI: Int?
    /// Uneven light (a lamp, a shadow) was evened out before binarisation.
    public var lightEvened: Bool

    public init(sheet: PageQuad? = nil, estimatedDPI: Int? = nil, lightEvened: Bool = false) {
        self.sheet = sheet
        self.estimatedDPI = estimatedDPI
        self.lightEvened = lightEvened
    }
}

extension PageCleaner {
    /// A4's short side, in inches: the scale a page's resolution is measured against.
    static let a4ShortSide = 210.0 / 25.4
    /// Below this a page's text is too small to read.
    static let minimumReadableDPI = 90

    /// Grey for reading, the sheet found and unwarped when the picture is a photo, the resolution measured when the
    /// file's is not believable, small pages brought to 300 dpi and uneven light evened out.
    static func captureCorrected(_ input: PageImage, headerDPI: Int?) throws -> (PageImage, CaptureCorrection) {
        var correction = CaptureCorrection()
        var gray = try input.readingGray()
        var pageShortSide = Double(min(gray.width, gray.height))
        var pageLongSide = Double(max(gray.width, gray.height))
        let search = PageFinder.search(input)
        switch search.result {
        case .fillsFrame:
            break
        case .noSheet:
            // A camera's picture (colour, no believable resolution) that is mostly not paper; a scanner's dark
            // page is its operator's to judge.
            let cameraLike = input.depth == 32 && (headerDPI.map { $0 < 100 } ?? true)
            if cameraLike, PageFinder.mostlyDark(gray) {
                throw ImagingError(.noPage, file: "", "no sheet of paper was found in the picture; photograph the whole page, flat, on a plain darker surface, or scan it")
            }
        case .sheet(let quad):
            if !quad.isSquareToFrame {
                var (w, h) = quad.size
                // A sheet's sides keep their proportion; perspective shortens the far one. A page shaped near
                // A4 is A4.
                let ratio = max(w, h) / max(1, min(w, h))
                if (1.25...1.6).contains(ratio) {
                    if h >= w { h = w * 2.0.squareRoot() } else { w = h * 2.0.squareRoot() }
                }
                let dpiGuess = Int((min(w, h) / a4ShortSide).rounded())
                gray = try gray.unwarped(quad, width: Int(w.rounded()), height: Int(h.rounded()), dpi: max(1, dpiGuess))
                correction.sheet = quad
                pageShortSide = min(w, h)
                pageLongSide = max(w, h)
            }
        }
        // The file's resolution when the page it gives is paper-sized and the picture is not a photo of a sheet;
        // otherwise the page's own width says it (an A4 sheet is 210 mm wide).
        let a4Shaped = (1.3...1.5).contains(pageLongSide / max(1, pageShortSide))
        let a4Estimate = max(1, Int((pageShortSide / a4ShortSide).rounded()))
        let believable = headerDPI.map { dpi in
            // A scanner's own low resolution agrees with the page's size.
            (dpi >= 100 && (3.5...17.0).contains(pageShortSide / Double(dpi))) || (a4Shaped && abs(dpi - a4Estimate) * 10 <= a4Estimate)
        } ?? false
        var dpi = gray.dpi
        if believable && (correction.sheet == nil || !a4Shaped) {
            dpi = headerDPI!
        } else if a4Shaped || correction.sheet != nil {
            dpi = a4Estimate
            correction.estimatedDPI = dpi
        }
        if dpi < minimumReadableDPI, correction.estimatedDPI != nil {
            // Measured from the page itself (a scanner's own low resolution is its operator's choice).
            throw ImagingError(.tooSmall, file: "", "the page is only about \(dpi) dpi (\(gray.width)×\(gray.height) pixels), too small to read; scan it at 200–300 dpi or photograph the whole page closer")
        }
        if dpi != gray.dpi { gray = try gray.withDPI(dpi) }
        if correction.estimatedDPI != nil || correction.sheet != nil, dpi < 240 {
            // Tesseract reads small print better at scanner resolution.
            gray = try gray.scaled(by: 300 / Double(dpi))
        }
        // A grey page left as it was has the working copy the sheet search made already.
        let unchanged = input.depth == 8 && pixGetColormap(input.pix) == nil && correction.sheet == nil
            && gray.width == input.width && gray.height == input.height
        if PageFinder.unevenLight(unchanged ? search.workingCopy : PageFinder.workingCopy(of: gray)) {
            gray = try gray.evenedLight()
            correction.lightEvened = true
        }
        return (gray, correction)
    }
}

extension PageQuad {
    /// Every edge within a degree of the picture's axes: a scan with a dark border, not a sheet to unwarp.
    var isSquareToFrame: Bool {
        func angle(_ p: PixelPoint, _ q: PixelPoint) -> Double { atan2(q.y - p.y, q.x - p.x) * 180 / .pi }
        let top = angle(topLeft, topRight), bottom = angle(bottomLeft, bottomRight)
        let left = angle(topLeft, bottomLeft) - 90, right = angle(topRight, bottomRight) - 90
        return [top, bottom, left, right].allSatisfy { abs($0) < 1 }
    }
}

extension PageFinder {
    /// Most of the picture is darker than paper (a desk, a floor, a dark mat with no sheet on it).
    static func mostlyDark(_ gray: PageImage) -> Bool {
        guard let small = workingCopy(of: gray) else { return false }
        let values = small.bytes.sorted()
        return values[values.count / 2] < 150
    }

    /// The paper's brightness varies across the page by more than a scanner's does, on a working copy (text closed
    /// away; the margins left out).
    static func unevenLight(_ small: PageImage?) -> Bool {
        guard let small else { return false }
        let (w, h) = (small.width, small.height)
        let all = small.bytes
        var inner: [UInt8] = []
        inner.reserveCapacity(all.count)
        for y in (h / 10)..<(h - h / 10) {
            for x in (w / 10)..<(w - w / 10) { inner.append(all[y * w + x]) }
        }
        guard inner.count > 100 else { return false }
        inner.sort()
        let low = Int(inner[inner.count / 20]), high = Int(inner[inner.count * 19 / 20])
        return high - low > 35
    }
}

extension PageImage {
    /// Grey for reading: luminance, except that red ink (a seal) is taken by its red channel, which makes it as
    /// light as the paper it is stamped on, and blue ink (ballpoint) by its darkest channel, which keeps it dark.
    /// Grey and 1-bit images are only converted.
    public func readingGray() throws -> PageImage {
        guard depth == 32 else { return try grayscale() }
        let (w, h) = (width, height)
        guard let out = pixCreate(l_int32(w), l_int32(h), 8) else {
            throw ImagingError(.operationFailed, file: "", "out of memory for a \(w)×\(h) page")
        }
        pixSetResolution(out, l_int32(dpi), l_int32(dpi))
        let srcWpl = Int(pixGetWpl(pix)), dstWpl = Int(pixGetWpl(out))
        let src = pixGetData(pix)!, dst = pixGetData(out)!
        for y in 0..<h {
            let s = src + y * srcWpl
            let d = UnsafeMutableRawPointer(dst + y * dstWpl).assumingMemoryBound(to: UInt8.self)
            for x in 0..<w {
                let word = s[x]
                let r = Int(word >> 24), g = Int((word >> 16) & 0xFF), b = Int((word >> 8) & 0xFF)
                var v = (77 * r + 150 * g + 29 * b) >> 8
                if r - max(g, b) > 40 {
                    v = r                       // red: a seal or a stamp, not text
                } else if b - r > 30 {
                    v = min(v, r)               // blue: pen
                }
                d[x ^ 3] = UInt8(v)
            }
        }
        return PageImage(owning: out, dpi: dpi)
    }

    /// The same pixels under another resolution.
    func withDPI(_ dpi: Int) throws -> PageImage {
        let out = try wrap(pixCopy(nil, pix), "copy", dpi: dpi)
        pixSetResolution(out.pix, l_int32(dpi), l_int32(dpi))
        return out
    }

    /// Light evened out: the paper's brightness measured under the text (a morphological closing at a quarter of
    /// the size) and divided out, then stretched so that paper is white.
    func evenedLight() throws -> PageImage {
        let size = l_int32(max(7, (dpi * 15 / 300) | 1))
        var normed: UnsafeMutablePointer<PIX>? = pixBackgroundNormMorph(pix, nil, 4, size, 200)
        defer { pixDestroy(&normed) }
        guard let normed else { throw ImagingError(.operationFailed, file: "", "light correction failed") }
        return try wrap(pixGammaTRC(nil, normed, 1.0, 0, 200), "light correction")
    }
}
