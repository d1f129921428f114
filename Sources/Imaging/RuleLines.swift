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
        return RuleLines(horizontal: lines(binary, length: dpi / 2, horizontal: true),
                         vertical: lines(binary, length: dpi / 5, horizontal: false))
    }

    private static func lines(_ binary: PageImage, length: Int, horizontal: Bool) -> [PixelRect] {
        // Close small gaps (broken scans) along the line, then keep only runs at least `length` long.
        let bridge = l_int32(max(3, binary.dpi / 60))
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
