import CLeptonica
import Foundation

/// Measures that tell whether a scanned page is good enough to read, for a kiosk to ask for a rescan while the
/// citizen is still there.
public struct PageQuality: Sendable, Equatable {
    /// Mean grey level, 0 (black) … 255 (white). A normal form is mostly white paper.
    public var brightness: Double
    /// Share of edge pixels whose contrast is strong: sharp print has crisp edges; a blurred or moving scan spreads
    /// them into weak gradients.
    public var sharpness: Double
    /// The largest share of ink in a thin band along one edge (text cut off by the scan area or a fold). A band that
    /// is almost all dark is the scanner's border, which clean-up removes, and does not count.
    public var edgeInk: Double
    /// Share of ink over the whole page.
    public var ink: Double

    public enum Problem: String, Sendable, Codable, CaseIterable {
        case tooDark = "too_dark"
        case blurred
        case cutOff = "cut_off"
    }

    /// What is wrong with the page by these measures (empty when fine). A blank page has no edges to judge.
    public var problems: [Problem] {
        var found: [Problem] = []
        if brightness < 120 { found.append(.tooDark) }
        if ink > 0.002 && sharpness < Self.minimumSharpness { found.append(.blurred) }
        if edgeInk > 0.03 { found.append(.cutOff) }
        return found
    }

    /// Chosen on the Samples: sharp 250–300 dpi form pages measure above 0.2; the same pages blurred by a 3-pixel box
    /// filter fall under 0.1.
    public static let minimumSharpness = 0.14

    /// Measures a page (any depth; judged on an 8-bit copy about 1,000 pixels wide).
    public static func assess(_ page: PageImage) throws -> PageQuality {
        Leptonica.quiet()
        var grey = try page.grayscale()
        if grey.width > 1200 { grey = try grey.scaled(toWidth: 1000) }
        let w = grey.width, h = grey.height
        guard w >= 16, h >= 16, let data = pixGetData(grey.pix) else {
            throw ImagingError(.operationFailed, file: "", "the page is too small to judge")
        }
        let wpl = Int(pixGetWpl(grey.pix))
        @inline(__always) func px(_ x: Int, _ y: Int) -> Int {
            let word = data[y * wpl + x >> 2]
            return Int((word >> UInt32((3 - (x & 3)) * 8)) & 0xFF)
        }
        var sum = 0, inkCount = 0
        var edges = 0, strong = 0
        let band = max(2, w / 60)
        var edgeCounts = [0, 0, 0, 0]  // left, right, top, bottom
        for y in 0..<h {
            for x in 0..<w {
                let v = px(x, y)
                sum += v
                if v < 128 {
                    inkCount += 1
                    if x < band { edgeCounts[0] += 1 }
                    if x >= w - band { edgeCounts[1] += 1 }
                    if y < band { edgeCounts[2] += 1 }
                    if y >= h - band { edgeCounts[3] += 1 }
                }
                if x > 0 && y > 0 && x < w - 1 && y < h - 1 {
                    let gx = abs(px(x + 1, y) - px(x - 1, y))
                    let gy = abs(px(x, y + 1) - px(x, y - 1))
                    let g = max(gx, gy)
                    if g > 24 {
                        edges += 1
                        if g > 120 { strong += 1 }
                    }
                }
            }
        }
        let edgeInk = [Double(edgeCounts[0]) / Double(band * h), Double(edgeCounts[1]) / Double(band * h),
                       Double(edgeCounts[2]) / Double(band * w), Double(edgeCounts[3]) / Double(band * w)]
            .filter { $0 < 0.8 }.max() ?? 0
        return PageQuality(brightness: Double(sum) / Double(w * h),
                           sharpness: edges == 0 ? 1 : Double(strong) / Double(edges),
                           edgeInk: edgeInk, ink: Double(inkCount) / Double(w * h))
    }
}

extension PageImage {
    /// A box-filter blur (tests use it to make a blurred scan).
    package func blurred(radius: Int) throws -> PageImage {
        let grey = try grayscale()
        return try wrap(pixBlockconv(grey.pix, l_int32(radius), l_int32(radius)), "blur")
    }

    /// Every pixel scaled by `factor` (< 1 darkens; tests use it to make a dark scan).
    package func dimmed(_ factor: Double) throws -> PageImage {
        let grey = try grayscale()
        let copy = try grey.copy()
        pixMultConstantGray(copy.pix, l_float32(factor))
        return copy
    }
}
