import CLeptonica
import Foundation

/// A point in image pixels.
public struct PixelPoint: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    func distance(to p: PixelPoint) -> Double { ((x - p.x) * (x - p.x) + (y - p.y) * (y - p.y)).squareRoot() }
}

/// The four corners of a sheet of paper in a picture, clockwise from the top left.
public struct PageQuad: Sendable, Equatable, Codable {
    public var topLeft, topRight, bottomRight, bottomLeft: PixelPoint

    public init(topLeft: PixelPoint, topRight: PixelPoint, bottomRight: PixelPoint, bottomLeft: PixelPoint) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomRight = bottomRight
        self.bottomLeft = bottomLeft
    }

    public var corners: [PixelPoint] { [topLeft, topRight, bottomRight, bottomLeft] }
    /// Mean length of the top and bottom edges, and of the left and right ones.
    public var size: (width: Double, height: Double) {
        ((topLeft.distance(to: topRight) + bottomLeft.distance(to: bottomRight)) / 2,
         (topLeft.distance(to: bottomLeft) + topRight.distance(to: bottomRight)) / 2)
    }

    func scaled(by f: Double) -> PageQuad {
        func s(_ p: PixelPoint) -> PixelPoint { PixelPoint(x: p.x * f, y: p.y * f) }
        return PageQuad(topLeft: s(topLeft), topRight: s(topRight), bottomRight: s(bottomRight), bottomLeft: s(bottomLeft))
    }

    var area: Double {
        let c = corners
        var a = 0.0
        for i in 0..<4 { a += c[i].x * c[(i + 1) % 4].y - c[(i + 1) % 4].x * c[i].y }
        return abs(a) / 2
    }

    /// Every corner turns the same way and no corner is sharper than 55° or blunter than 125°.
    var isPlausibleSheet: Bool {
        let c = corners
        var sign = 0.0
        for i in 0..<4 {
            let a = c[(i + 3) % 4], b = c[i], d = c[(i + 1) % 4]
            let u = (a.x - b.x, a.y - b.y), v = (d.x - b.x, d.y - b.y)
            let cross = u.0 * v.1 - u.1 * v.0
            if sign == 0 { sign = cross.sign == .minus ? -1 : 1 } else if (cross < 0) != (sign < 0) { return false }
            let cosine = (u.0 * v.0 + u.1 * v.1) / max(1e-9, (u.0 * u.0 + u.1 * u.1).squareRoot() * (v.0 * v.0 + v.1 * v.1).squareRoot())
            let degrees = acos(max(-1, min(1, cosine))) * 180 / .pi
            if degrees < 55 || degrees > 125 { return false }
        }
        return true
    }
}

/// What a look for the sheet of paper in a picture found.
public enum PageSearch: Sendable, Equatable {
    /// Paper reaches every edge of the picture: a scan, or a capture cropped to the page.
    case fillsFrame
    /// A sheet lying on something darker (a desk, a document camera's mat), with its corners.
    case sheet(PageQuad)
    /// No sheet of paper: too little of the picture is bright, flat paper.
    case noSheet
}

/// Finds the sheet of paper in a phone photo or a document-camera capture. Works on a small copy: text is closed
/// away, the bright flat region that is paper (by its darkest colour channel, so that a wooden desk or a coloured
/// mat is not paper) is taken as the largest connected region, and each of its four edges is fitted as a line from
/// its boundary points; the corners are where the lines meet. Edges hidden by the picture's border are bounded by it.
public enum PageFinder {
    /// The long side of the working copy, in pixels.
    static let workingSize = 640

    public static func find(_ image: PageImage) -> PageSearch { search(image).result }

    /// The search and the working copy it looked at (clean-up measures the light on it too).
    static func search(_ image: PageImage) -> (result: PageSearch, workingCopy: PageImage?) {
        Leptonica.quiet()
        guard let small = workingCopy(of: image) else { return (.fillsFrame, nil) }
        return (search(small, factor: workingFactor(image)), small)
    }

    static func search(_ small: PageImage, factor: Double) -> PageSearch {
        let (w, h) = (small.width, small.height)
        let values = small.bytes
        // Paper against the rest: Otsu's threshold of the text-free copy.
        let threshold = otsu(values)
        let pixels = values.map { $0 >= threshold ? UInt8(1) : 0 }
        guard let region = largestRegion(pixels, width: w) else { return .noSheet }
        let share = Double(region.count) / Double(w * h)
        if share < 0.12 { return .noSheet }
        if share < 0.97 {
            // Paper is bright in every colour channel, and clearly brighter than what it lies on (a stripe of a
            // wooden desk is neither).
            let inside = region.map { Int(values[$0]) }.sorted()
            var isInside = [Bool](repeating: false, count: values.count)
            for i in region { isInside[i] = true }
            let outside = values.indices.filter { !isInside[$0] }.map { Int(values[$0]) }.sorted()
            let paper = inside[inside.count / 2], rest = outside.isEmpty ? 0 : outside[outside.count / 2]
            if paper < 120 || paper - rest < 30 { return .noSheet }
        }
        // The region's extent in every row and column.
        var minX = [Int](repeating: Int.max, count: h), maxX = [Int](repeating: -1, count: h)
        var minY = [Int](repeating: Int.max, count: w), maxY = [Int](repeating: -1, count: w)
        for i in region {
            let x = i % w, y = i / w
            minX[y] = min(minX[y], x); maxX[y] = max(maxX[y], x)
            minY[x] = min(minY[x], y); maxY[x] = max(maxY[x], y)
        }
        let rows = (0..<h).filter { maxX[$0] >= 0 }, cols = (0..<w).filter { maxY[$0] >= 0 }
        guard let top = rows.first, let bottom = rows.last, let left = cols.first, let right = cols.last else { return .noSheet }
        let margin = 0.015
        let touches = (top: Double(top) < margin * Double(h), bottom: Double(bottom) > (1 - margin) * Double(h - 1),
                       left: Double(left) < margin * Double(w), right: Double(right) > (1 - margin) * Double(w - 1))
        if touches.top && touches.bottom && touches.left && touches.right && share > 0.85 { return .fillsFrame }

        // Extreme points of the boundary give rough corners.
        var boundary: [PixelPoint] = []
        for y in rows { boundary.append(PixelPoint(x: Double(minX[y]), y: Double(y))); boundary.append(PixelPoint(x: Double(maxX[y]), y: Double(y))) }
        for x in cols { boundary.append(PixelPoint(x: Double(x), y: Double(minY[x]))); boundary.append(PixelPoint(x: Double(x), y: Double(maxY[x]))) }
        guard let tl = boundary.min(by: { $0.x + $0.y < $1.x + $1.y }), let br = boundary.max(by: { $0.x + $0.y < $1.x + $1.y }),
              let tr = boundary.max(by: { $0.x - $0.y < $1.x - $1.y }), let bl = boundary.min(by: { $0.x - $0.y < $1.x - $1.y })
        else { return .noSheet }

        // Each edge as a line through its own boundary points (the ends left out: corners are often rounded or
        // shaded); points on the picture's border are not the sheet's edge.
        func points(_ range: ClosedRange<Double>, _ along: [Int], _ value: (Int) -> Int, limit: Int) -> [(Double, Double)] {
            let span = range.upperBound - range.lowerBound
            let inner = (range.lowerBound + 0.1 * span)...(range.upperBound - 0.1 * span)
            return along.compactMap { t in
                guard inner.contains(Double(t)) else { return nil }
                let v = value(t)
                if v <= 0 || v >= limit - 1 { return nil }
                return (Double(t), Double(v))
            }
        }
        func ordered(_ a: Double, _ b: Double) -> ClosedRange<Double> { min(a, b)...max(a, b) }
        let topLine = fit(points(ordered(tl.x, tr.x), cols, { minY[$0] }, limit: h), horizontal: true) ?? through(tl, tr, horizontal: true)
        let bottomLine = fit(points(ordered(bl.x, br.x), cols, { maxY[$0] }, limit: h), horizontal: true) ?? through(bl, br, horizontal: true)
        let leftLine = fit(points(ordered(tl.y, bl.y), rows, { minX[$0] }, limit: w), horizontal: false) ?? through(tl, bl, horizontal: false)
        let rightLine = fit(points(ordered(tr.y, br.y), rows, { maxX[$0] }, limit: w), horizontal: false) ?? through(tr, br, horizontal: false)
        guard let qtl = meet(topLine, leftLine), let qtr = meet(topLine, rightLine),
              let qbr = meet(bottomLine, rightLine), let qbl = meet(bottomLine, leftLine) else { return .noSheet }
        let quad = PageQuad(topLeft: qtl, topRight: qtr, bottomRight: qbr, bottomLeft: qbl)
        guard quad.isPlausibleSheet, quad.area > 0.12 * Double(w * h) else { return .noSheet }
        // Corners far outside the picture mean a line was fitted to something else.
        for c in quad.corners where c.x < -0.1 * Double(w) || c.x > 1.1 * Double(w) || c.y < -0.1 * Double(h) || c.y > 1.1 * Double(h) {
            return .noSheet
        }
        return .sheet(quad.scaled(by: 1 / factor))
    }

    /// A line `v = a·t + b`: for a horizontal edge t is x and v is y; for a vertical one t is y and v is x.
    struct Line {
        var a, b: Double
        var horizontal: Bool
    }

    static func through(_ p: PixelPoint, _ q: PixelPoint, horizontal: Bool) -> Line {
        let (t0, v0, t1, v1) = horizontal ? (p.x, p.y, q.x, q.y) : (p.y, p.x, q.y, q.x)
        let a = abs(t1 - t0) < 1e-9 ? 0 : (v1 - v0) / (t1 - t0)
        return Line(a: a, b: v0 - a * t0, horizontal: horizontal)
    }

    /// Least squares, then again without the points more than two pixels off the first line.
    static func fit(_ pts: [(Double, Double)], horizontal: Bool) -> Line? {
        func solve(_ p: [(Double, Double)]) -> (Double, Double)? {
            guard p.count >= 8 else { return nil }
            let n = Double(p.count)
            let st = p.reduce(0) { $0 + $1.0 }, sv = p.reduce(0) { $0 + $1.1 }
            let stt = p.reduce(0) { $0 + $1.0 * $1.0 }, stv = p.reduce(0) { $0 + $1.0 * $1.1 }
            let d = n * stt - st * st
            guard abs(d) > 1e-9 else { return nil }
            let a = (n * stv - st * sv) / d
            return (a, (sv - a * st) / n)
        }
        guard let (a0, b0) = solve(pts) else { return nil }
        let kept = pts.filter { abs($0.1 - (a0 * $0.0 + b0)) <= 2 }
        let (a, b) = solve(kept) ?? (a0, b0)
        return Line(a: a, b: b, horizontal: horizontal)
    }

    static func meet(_ horizontal: Line, _ vertical: Line) -> PixelPoint? {
        // y = a·x + b and x = c·y + d.
        let (a, b, c, d) = (horizontal.a, horizontal.b, vertical.a, vertical.b)
        let det = 1 - a * c
        guard abs(det) > 1e-9 else { return nil }
        let y = (a * d + b) / det
        return PixelPoint(x: c * y + d, y: y)
    }

    /// Otsu's threshold of 8-bit values.
    static func otsu(_ values: [UInt8]) -> UInt8 {
        var hist = [Double](repeating: 0, count: 256)
        for v in values { hist[Int(v)] += 1 }
        let total = Double(values.count)
        let sum = (0..<256).reduce(0.0) { $0 + Double($1) * hist[$1] }
        var sumB = 0.0, wB = 0.0, best = 0.0, threshold = 128
        for t in 0..<256 {
            wB += hist[t]
            guard wB > 0 else { continue }
            let wF = total - wB
            if wF <= 0 { break }
            sumB += Double(t) * hist[t]
            let mB = sumB / wB, mF = (sum - sumB) / wF
            let between = wB * wF * (mB - mF) * (mB - mF)
            if between > best { best = between; threshold = t + 1 }
        }
        return UInt8(min(255, threshold))
    }

    /// Indices of the largest 4-connected region of ones.
    static func largestRegion(_ mask: [UInt8], width w: Int) -> [Int]? {
        var label = [Int32](repeating: 0, count: mask.count)
        var best: [Int] = []
        var next: Int32 = 1
        var stack: [Int] = []
        for start in mask.indices where mask[start] == 1 && label[start] == 0 {
            var region: [Int] = []
            stack.append(start)
            label[start] = next
            while let i = stack.popLast() {
                region.append(i)
                let x = i % w
                for j in [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w] where j >= 0 && j < mask.count {
                    if mask[j] == 1 && label[j] == 0 { label[j] = next; stack.append(j) }
                }
            }
            next += 1
            if region.count > best.count { best = region }
        }
        return best.isEmpty ? nil : best
    }

    static func workingFactor(_ image: PageImage) -> Double {
        min(1, Double(workingSize) / Double(max(image.width, image.height)))
    }

    /// A small grey copy (long side `workingSize`) in which paper is bright and text is gone: the darkest colour
    /// channel (a coloured desk is dark in one of them, white paper in none), text closed away.
    static func workingCopy(of image: PageImage) -> PageImage? {
        let factor = workingFactor(image)
        var scaled: UnsafeMutablePointer<PIX>? = pixScale(image.pix, Float(factor), Float(factor))
        defer { pixDestroy(&scaled) }
        guard let scaled else { return nil }
        var grey: UnsafeMutablePointer<PIX>?
        switch Int(pixGetDepth(scaled)) {
        case 32: grey = pixConvertRGBToGrayMinMax(scaled, l_int32(L_CHOOSE_MIN))
        case 8 where pixGetColormap(scaled) == nil: grey = pixClone(scaled)
        default: grey = pixConvertTo8(scaled, 0)
        }
        defer { pixDestroy(&grey) }
        guard let grey, let closed = pixCloseGray(grey, 9, 9) else { return nil }
        return PageImage(owning: closed, dpi: max(1, Int(Double(image.dpi) * factor)))
    }
}

extension PageImage {
    /// The 8-bit pixels, row-major (an 8-bit image only).
    var bytes: [UInt8] {
        precondition(depth == 8)
        let (w, h) = (width, height)
        let wpl = Int(pixGetWpl(pix))
        let data = UnsafeRawPointer(pixGetData(pix)!).assumingMemoryBound(to: UInt8.self)
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            let row = data + y * wpl * 4
            for x in 0..<w { out[y * w + x] = row[x ^ 3] }
        }
        return out
    }

    /// The sheet inside `quad` brought to a `width` × `height` rectangle (white brought in where the sheet ran
    /// out of the picture).
    public func unwarped(_ quad: PageQuad, width: Int, height: Int, dpi: Int) throws -> PageImage {
        let padRight = max(0, width - self.width), padBottom = max(0, height - self.height)
        let white: l_uint32 = depth == 32 ? 0xFFFF_FF00 : 255
        var canvas: UnsafeMutablePointer<PIX>? = padRight + padBottom > 0
            ? pixAddBorderGeneral(pix, 0, l_int32(padRight), 0, l_int32(padBottom), white) : pixClone(pix)
        defer { pixDestroy(&canvas) }
        var source: UnsafeMutablePointer<PTA>? = ptaCreate(4)
        var target: UnsafeMutablePointer<PTA>? = ptaCreate(4)
        defer {
            ptaDestroy(&source)
            ptaDestroy(&target)
        }
        guard let canvas, let source, let target else { throw ImagingError(.operationFailed, file: "", "perspective correction failed") }
        let w = Float(width - 1), h = Float(height - 1)
        let targets: [(Float, Float)] = [(0, 0), (w, 0), (w, h), (0, h)]
        for (c, t) in zip(quad.corners, targets) {
            ptaAddPt(source, Float(c.x), Float(c.y))
            ptaAddPt(target, t.0, t.1)
        }
        var warped: UnsafeMutablePointer<PIX>? = pixProjectivePta(canvas, target, source, l_int32(L_BRING_IN_WHITE))
        defer { pixDestroy(&warped) }
        guard let warped, let box = boxCreate(0, 0, l_int32(width), l_int32(height)) else {
            throw ImagingError(.operationFailed, file: "", "perspective correction failed")
        }
        var b: UnsafeMutablePointer<BOX>? = box
        defer { boxDestroy(&b) }
        let out = try wrap(pixClipRectangle(warped, box, nil), "perspective correction", dpi: dpi)
        pixSetResolution(out.pix, l_int32(dpi), l_int32(dpi))
        return out
    }
}
