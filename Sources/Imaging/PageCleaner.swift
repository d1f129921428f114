import CLeptonica
import Foundation

/// What clean-up did to a page, and the images it produced.
public struct CleanedPage: @unchecked Sendable {
    /// Grey, upright, deskewed, borders whitened: kept for the archive, the UI and OCR.
    public var gray: PageImage
    /// 1-bit copy of `gray`, specks removed.
    public var binary: PageImage
    /// Clockwise quarter turns applied to bring the text upright (0…3).
    public var quarterTurns: Int
    /// Skew angle corrected, in degrees.
    public var skewDegrees: Double
    /// How sure the orientation decision was (Leptonica's up/left confidence, larger is surer).
    public var orientationConfidence: Double
    /// Share of the page's inner area that is ink after clean-up.
    public var inkRatio: Double
    public var isBlank: Bool
    /// Edges where a dark scanner border was whitened.
    public var bordersRemoved: [Edge]
    /// Dots of printed leaders ("……") whitened so that values written over them read cleanly.
    public var leaderDotsRemoved: Int
    /// What was done about a photo or a document camera's capture (sheet unwarped, resolution measured, light).
    public var capture = CaptureCorrection()

    public enum Edge: String, Sendable, Codable { case top, bottom, left, right }
}

public struct CleanupOptions: Sendable {
    public var orientation = true
    public var deskew = true
    public var removeBorders = true
    public var removeLeaders = true
    /// Look for the sheet in a photo and unwarp it; measure the resolution when the file's is not believable.
    public var correctCapture = true
    /// Below this share of ink (in the inner 90% of the page) a page counts as blank.
    public var blankInkRatio = 0.002

    public init() {}
}

/// Orientation, deskew, border removal, binarisation and blank detection, as plain functions.
public enum PageCleaner {
    /// `headerDPI` is the resolution the file gave (nil when it gave none); the image's own is used when absent.
    public static func clean(_ input: PageImage, options: CleanupOptions = .init(), headerDPI: Int?? = .none) throws -> CleanedPage {
        Leptonica.quiet()
        var gray: PageImage
        var capture = CaptureCorrection()
        if options.correctCapture {
            (gray, capture) = try captureCorrected(input, headerDPI: headerDPI ?? input.dpi)
        } else {
            gray = try input.readingGray()
        }
        var edges: [CleanedPage.Edge] = []
        if options.removeBorders { edges = removeDarkBorders(gray) }

        var turns = 0
        var orientConfidence = 0.0
        if options.orientation {
            let probe = try binarize(gray)
            let (t, conf) = detectOrientation(probe)
            orientConfidence = conf
            if t != 0 {
                turns = t
                gray = try gray.rotated(quarterTurns: t)
            }
        }

        var skew = 0.0
        if options.deskew {
            skew = findSkew(gray)
            if abs(skew) >= 0.05 {
                gray = try gray.rotated(degrees: skew)
                if options.removeBorders { _ = removeDarkBorders(gray) }
            } else {
                skew = 0
            }
        }

        var binary = try despeckle(try binarize(gray))
        var leaders = 0
        if options.removeLeaders {
            let dots = leaderDots(binary)
            leaders = dots.count
            if !dots.isEmpty {
                binary = try binary.copy()
                for d in dots {
                    let r = d.inset(by: 1, 1, within: gray.bounds)
                    gray.paintWhite(r)
                    binary.paintWhite(r)
                }
            }
        }
        let ink = inkRatio(binary)
        return CleanedPage(gray: gray, binary: binary, quarterTurns: turns, skewDegrees: skew,
                           orientationConfidence: orientConfidence, inkRatio: ink,
                           isBlank: ink < options.blankInkRatio, bordersRemoved: edges, leaderDotsRemoved: leaders,
                           capture: capture)
    }

    /// Global-ish Otsu threshold on large tiles: fast and robust for printed forms.
    public static func binarize(_ gray: PageImage) throws -> PageImage {
        var out: UnsafeMutablePointer<PIX>?
        let tile = l_int32(max(gray.width, gray.height) / 2 + 1)
        let status = pixOtsuAdaptiveThreshold(gray.pix, tile, tile, 0, 0, 0.1, nil, &out)
        guard status == 0, let out else { throw ImagingError(.operationFailed, file: "", "binarisation failed") }
        return PageImage(owning: out, dpi: gray.dpi)
    }

    /// Removes connected specks no larger than 2×2 pixels at 300 dpi (scaled with resolution).
    static func despeckle(_ binary: PageImage) throws -> PageImage {
        let size = l_int32(max(1, Int((2.0 * Double(binary.dpi) / 300).rounded())))
        var changed: l_int32 = 0
        let out = pixSelectBySize(binary.pix, size, size, 8, l_int32(L_SELECT_IF_EITHER), l_int32(L_SELECT_IF_GT), &changed)
        return try binary.wrap(out, "despeckle")
    }

    /// Quarter turns (clockwise) that make the text upright, and the confidence of that decision.
    static func detectOrientation(_ binary: PageImage) -> (Int, Double) {
        // Leptonica's detector wants ~300 dpi 1-bit text; downscale large pages for speed.
        var src: UnsafeMutablePointer<PIX>? = binary.dpi > 400 ? pixReduceRankBinary2(binary.pix, 1, nil) : pixClone(binary.pix)
        defer { pixDestroy(&src) }
        guard let src else { return (0, 0) }
        var up: l_float32 = 0, left: l_float32 = 0
        guard pixOrientDetect(src, &up, &left, 0, 0) == 0 else { return (0, 0) }
        var orient: l_int32 = 0
        guard makeOrientDecision(up, left, 0, 0, &orient, 0) == 0 else { return (0, 0) }
        let conf = Double(max(abs(up), abs(left)))
        switch Int(orient) {
        case Int(L_TEXT_ORIENT_DOWN): return (2, conf)
        // Text rotated 90° counter-clockwise ("left") needs a clockwise quarter turn.
        case Int(L_TEXT_ORIENT_LEFT): return (1, conf)
        case Int(L_TEXT_ORIENT_RIGHT): return (3, conf)
        default: return (0, conf)
        }
    }

    /// Skew angle in degrees (0 when it cannot be found with confidence).
    static func findSkew(_ gray: PageImage) -> Double {
        guard let b = try? binarize(gray) else { return 0 }
        var angle: l_float32 = 0, conf: l_float32 = 0
        guard pixFindSkewSweepAndSearch(b.pix, &angle, &conf, 2, 1, 7.0, 1.0, 0.01) == 0, conf >= 2.5 else { return 0 }
        return Double(angle)
    }

    /// Whitens dark bands that touch a page edge (scanner lid, book edge). Works in place on a fresh grey image.
    static func removeDarkBorders(_ gray: PageImage) -> [CleanedPage.Edge] {
        let w = gray.width, h = gray.height
        var removed: [CleanedPage.Edge] = []
        // Average grey of each row and each column (white is max).
        guard let rows = average(gray, byRow: true), let cols = average(gray, byRow: false) else { return [] }
        func bandWidth(_ values: [Double], fromStart: Bool, limit: Int) -> Int {
            var n = 0
            while n < limit {
                let v = fromStart ? values[n] : values[values.count - 1 - n]
                if v > 110 { break }
                n += 1
            }
            guard n > 0 else { return 0 }
            // Include the soft edge of the band.
            var extra = 0
            while n + extra < limit {
                let v = fromStart ? values[n + extra] : values[values.count - 1 - n - extra]
                if v > 200 { break }
                extra += 1
            }
            return n + extra
        }
        let top = bandWidth(rows, fromStart: true, limit: h / 8)
        let bottom = bandWidth(rows, fromStart: false, limit: h / 8)
        let left = bandWidth(cols, fromStart: true, limit: w / 8)
        let right = bandWidth(cols, fromStart: false, limit: w / 8)
        if top > 0 { gray.paintWhite(PixelRect(x: 0, y: 0, width: w, height: top)); removed.append(.top) }
        if bottom > 0 { gray.paintWhite(PixelRect(x: 0, y: h - bottom, width: w, height: bottom)); removed.append(.bottom) }
        if left > 0 { gray.paintWhite(PixelRect(x: 0, y: 0, width: left, height: h)); removed.append(.left) }
        if right > 0 { gray.paintWhite(PixelRect(x: w - right, y: 0, width: right, height: h)); removed.append(.right) }
        return removed
    }

    private static func average(_ gray: PageImage, byRow: Bool) -> [Double]? {
        var numa: UnsafeMutablePointer<NUMA>? = byRow
            ? pixAverageByRow(gray.pix, nil, l_int32(L_WHITE_IS_MAX))
            : pixAverageByColumn(gray.pix, nil, l_int32(L_WHITE_IS_MAX))
        defer { numaDestroy(&numa) }
        guard let numa else { return nil }
        let n = Int(numaGetCount(numa))
        var out = [Double](repeating: 255, count: n)
        for i in 0..<n {
            var v: l_float32 = 0
            numaGetFValue(numa, l_int32(i), &v)
            out[i] = Double(v)
        }
        return out
    }

    /// Share of black pixels in the inner 90% of a 1-bit page.
    static func inkRatio(_ binary: PageImage) -> Double {
        let inner = PixelRect(x: binary.width / 20, y: binary.height / 20,
                              width: binary.width * 9 / 10, height: binary.height * 9 / 10)
        guard let box = boxCreate(l_int32(inner.x), l_int32(inner.y), l_int32(inner.width), l_int32(inner.height)) else { return 0 }
        var b: UnsafeMutablePointer<BOX>? = box
        defer { boxDestroy(&b) }
        var clip: UnsafeMutablePointer<PIX>? = pixClipRectangle(binary.pix, box, nil)
        defer { pixDestroy(&clip) }
        var count: l_int32 = 0
        guard let clip, pixCountPixels(clip, &count, nil) == 0 else { return 0 }
        return Double(count) / Double(max(1, inner.width * inner.height))
    }
}

extension PageImage {
    /// A grey copy with rules (lines longer than `minLength`) and specks (marks smaller than `speck` both ways)
    /// painted white; the strokes of the text keep their grey edges, which thin fonts need to stay legible.
    public func whiteningRulesAndSpecks(minLength: Int, speck: Int) throws -> PageImage {
        let gray = try grayscale()
        let binary = try PageCleaner.binarize(gray)
        let len = l_int32(max(8, minLength))
        var horizontal: UnsafeMutablePointer<PIX>? = pixOpenBrick(nil, binary.pix, len, 1)
        var vertical: UnsafeMutablePointer<PIX>? = pixOpenBrick(nil, binary.pix, 1, len)
        var changed: l_int32 = 0
        let s = l_int32(max(1, speck))
        // Marks smaller than a speck: what is left after keeping only the larger ones.
        var large: UnsafeMutablePointer<PIX>? = pixSelectBySize(binary.pix, s, s, 8, l_int32(L_SELECT_IF_EITHER),
                                                                l_int32(L_SELECT_IF_GTE), &changed)
        defer {
            pixDestroy(&horizontal)
            pixDestroy(&vertical)
            pixDestroy(&large)
        }
        guard let horizontal, let vertical, let large, let lines = pixOr(nil, horizontal, vertical),
              let specks = pixSubtract(nil, binary.pix, large) else {
            throw ImagingError(.operationFailed, file: "", "rule removal failed")
        }
        var l: UnsafeMutablePointer<PIX>? = lines
        var sp: UnsafeMutablePointer<PIX>? = specks
        defer {
            pixDestroy(&l)
            pixDestroy(&sp)
        }
        var fat: UnsafeMutablePointer<PIX>? = pixDilateBrick(nil, lines, 3, 3)
        defer { pixDestroy(&fat) }
        pixPaintThroughMask(gray.pix, fat ?? lines, 0, 0, 255)
        pixPaintThroughMask(gray.pix, specks, 0, 0, 255)
        return gray
    }
}
