import CLeptonica

/// Printed rules of a page: table borders, cell separators, digit boxes.
public struct RuleLines: Sendable, Equatable {
    public var horizontal: [PixelRect]
    public var vertical: [PixelRect]

    public init(horizontal: [PixelRect] = [], vertical: [PixelRect] = []) {
        self.horizontal = horizontal
        self.vertical = vertical
    }
}

extension PageCleaner {
    /// Straight lines longer than any text stroke, found by morphological opening of the 1-bit page.
    public static func findRules(_ binary: PageImage) -> RuleLines {
        guard binary.depth == 1 else { return RuleLines() }
        let dpi = max(100, binary.dpi)
        let horizontal = lines(binary, length: dpi / 2, horizontal: true)
        var vertical = lines(binary, length: dpi / 5, horizontal: false)
        // The sides of printed digit boxes are only as tall as the boxes: look for them between each pair of
        // long rules a box's height apart.
        for side in boxSides(binary, between: horizontal) where !vertical.contains(where: { !$0.intersection(side).isEmpty }) {
            vertical.append(side)
        }
        return RuleLines(horizontal: horizontal, vertical: vertical.sorted { $0.x < $1.x })
    }

    /// Vertical lines spanning most of the gap between two overlapping horizontal rules that are a box apart
    /// (a sixth to a half of an inch).
    static func boxSides(_ binary: PageImage, between horizontal: [PixelRect]) -> [PixelRect] {
        let dpi = max(100, binary.dpi)
        var out: [PixelRect] = []
        for (i, upper) in horizontal.enumerated() {
            for lower in horizontal[(i + 1)...] {
                let gap = lower.midY - upper.midY
                if gap > dpi / 2 { break }
                guard gap >= dpi / 6 else { continue }
                let left = max(upper.x, lower.x), right = min(upper.maxX, lower.maxX)
                guard right - left > min(upper.width, lower.width) * 4 / 5 else { continue }
                let band = PixelRect(x: left, y: upper.y, width: right - left, height: lower.maxY - upper.y)
                guard let crop = try? binary.cropped(to: band) else { continue }
                for r in lines(crop, length: gap * 7 / 10, horizontal: false, bridge: 1) {
                    out.append(PixelRect(x: r.x + band.x, y: r.y + band.y, width: r.width, height: r.height))
                }
            }
        }
        return out
    }

    private static func lines(_ binary: PageImage, length: Int, horizontal: Bool, bridge: Int? = nil) -> [PixelRect] {
        // Close small gaps (broken scans) along the line, then keep only runs at least `length` long.
        let bridge = l_int32(bridge ?? max(3, binary.dpi / 60))
        var closed: UnsafeMutablePointer<PIX>? = horizontal
            ? pixCloseBrick(nil, binary.pix, bridge, 1)
            : pixCloseBrick(nil, binary.pix, 1, bridge)
        defer { pixDestroy(&closed) }
        guard let closed else { return [] }
        var opened: UnsafeMutablePointer<PIX>? = horizontal
            ? pixOpenBrick(nil, closed, l_int32(length), 1)
            : pixOpenBrick(nil, closed, 1, l_int32(length))
        defer { pixDestroy(&opened) }
        guard let opened else { return [] }
        var boxa: UnsafeMutablePointer<BOXA>? = pixConnComp(opened, nil, 8)
        defer { boxaDestroy(&boxa) }
        guard let boxa else { return [] }
        var out: [PixelRect] = []
        let thick = max(3, binary.dpi / 25)
        for i in 0..<boxaGetCount(boxa) {
            var x: l_int32 = 0, y: l_int32 = 0, w: l_int32 = 0, h: l_int32 = 0
            guard boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 else { continue }
            let r = PixelRect(x: Int(x), y: Int(y), width: Int(w), height: Int(h))
            if horizontal ? (r.height <= thick) : (r.width <= thick) { out.append(r) }
        }
        return out.sorted { horizontal ? $0.y < $1.y : $0.x < $1.x }
    }
}
