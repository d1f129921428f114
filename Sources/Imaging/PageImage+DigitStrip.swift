import CLeptonica
import Foundation

extension PageImage {
    /// The marks inside each of `boxes` (printed digit boxes, their lines left out), packed side by side at an
    /// ordinary spacing on a white strip: a row of boxed digits as a line of text, which OCR reads far better than
    /// digits a box apart. Empty boxes are skipped; nil when no box holds a mark.
    public func packedStrip(of boxes: [PixelRect]) throws -> PageImage? {
        guard let first = boxes.first else { return nil }
        // The row of boxes with the boxes' own lines whitened (a digit is never as tall as its box).
        let boxHeight = boxes.map(\.height).sorted()[boxes.count / 2]
        let band = boxes.dropFirst().reduce(first) { $0.union($1) }.inset(by: boxHeight / 2, boxHeight / 2, within: bounds)
        let gray = try cropped(to: band).whiteningRulesAndSpecks(minLength: boxHeight * 3 / 4, speck: max(2, dpi / 100))
        var pieces: [PageImage] = []
        for box in boxes {
            // The box's inside, in the band's pixels.
            let dx = max(1, box.width / 12), dy = max(1, box.height / 12)
            let inset = PixelRect(x: box.x - band.x + dx, y: box.y - band.y + dy, width: box.width - 2 * dx, height: box.height - 2 * dy)
            let r = inset.intersection(gray.bounds)
            guard r.width > 2, r.height > 2 else { continue }
            let crop = try gray.cropped(to: r)
            let binary = try PageCleaner.binarize(crop)
            var clipped: UnsafeMutablePointer<PIX>?
            var found: UnsafeMutablePointer<BOX>?
            defer { boxDestroy(&found) }
            // The marks' extent; a box with a speck or two only is empty.
            var count: l_int32 = 0
            pixCountPixels(binary.pix, &count, nil)
            guard Int(count) * 60 > r.width * r.height,
                  pixClipToForeground(binary.pix, &clipped, &found) == 0, let found else {
                pixDestroy(&clipped)
                continue
            }
            pixDestroy(&clipped)
            var x: l_int32 = 0, y: l_int32 = 0, w: l_int32 = 0, h: l_int32 = 0
            boxGetGeometry(found, &x, &y, &w, &h)
            pieces.append(try crop.cropped(to: PixelRect(x: Int(x), y: Int(y), width: Int(w), height: Int(h))))
        }
        guard !pieces.isEmpty else { return nil }
        let height = pieces.map(\.height).max()!
        let gap = max(4, height * 3 / 10)
        let width = pieces.reduce(gap) { $0 + $1.width + gap }
        guard let strip = pixCreate(l_int32(width), l_int32(height + 2 * gap), 8) else {
            throw ImagingError(.operationFailed, file: "", "out of memory for a digit strip")
        }
        pixSetAllArbitrary(strip, 255)
        var x = gap
        for p in pieces {
            // Each mark sits on the strip's baseline, as digits of one line do.
            pixRasterop(strip, l_int32(x), l_int32(gap + height - p.height), l_int32(p.width), l_int32(p.height),
                        l_int32(PIX_SRC), p.pix, 0, 0)
            x += p.width + gap
        }
        pixSetResolution(strip, l_int32(dpi), l_int32(dpi))
        return PageImage(owning: strip, dpi: dpi)
    }
}
