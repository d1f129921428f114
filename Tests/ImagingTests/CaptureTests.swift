import CLeptonica
import Foundation
import Testing

@testable import Imaging
@testable import OCR

/// Pictures made the way a phone or a document camera takes them, from a page the tests have.
enum Camera {
    /// `page` as a phone photographs it: about `dpi` on the sheet, in colour on cream paper, lying on a brown desk
    /// in perspective, lit more from one side, a red seal stamped over some text, saved as a JPEG that says 72 dpi.
    /// Returns the file and the sheet's corners in it.
    static func photograph(_ page: PageImage, dpi: Int = 180, upsideDown: Bool = false, seal: Bool = true) throws -> (URL, PageQuad) {
        var sheet = try page.grayscale().scaled(by: Double(dpi) / Double(page.dpi))
        if upsideDown { sheet = try sheet.rotated(quarterTurns: 2) }
        let (w, h) = (sheet.width, sheet.height)
        let (cw, ch) = (w * 13 / 10, h * 5 / 4)
        guard let canvas = pixCreate(l_int32(cw), l_int32(ch), 32) else { throw ImagingError(.operationFailed, file: "", "canvas") }
        var generator = SystemRandomNumberGenerator()
        let data = pixGetData(canvas)!, wpl = Int(pixGetWpl(canvas))
        let (ox, oy) = ((cw - w) / 2, (ch - h) / 2)
        let grey = sheet.bytes
        for y in 0..<ch {
            let grain = Int.random(in: -12...12, using: &generator)
            for x in 0..<cw {
                var r: Int, g: Int, b: Int
                let sx = x - ox, sy = y - oy
                if sx >= 0, sx < w, sy >= 0, sy < h {
                    let v = Int(grey[sy * w + sx])
                    (r, g, b) = (v * 250 / 255, v * 242 / 255, v * 222 / 255)  // cream paper, near-black print
                } else {
                    (r, g, b) = (128 + grain, 86 + grain, 52 + grain)  // a wooden desk
                }
                data[y * wpl + x] = UInt32(max(0, r)) << 24 | UInt32(max(0, g)) << 16 | UInt32(max(0, b)) << 8
            }
        }
        if seal {
            // A red ring and its star over the text's right half, multiplied in as ink is.
            let (cx, cy, radius) = (ox + w * 3 / 4, oy + h / 5, Double(w) / 9)
            for y in max(0, cy - Int(radius) - 2)..<min(ch, cy + Int(radius) + 2) {
                for x in max(0, cx - Int(radius) - 2)..<min(cw, cx + Int(radius) + 2) {
                    let d = (Double((x - cx) * (x - cx) + (y - cy) * (y - cy))).squareRoot()
                    guard (d > radius * 0.85 && d < radius) || d < radius * 0.2 else { continue }
                    let word = data[y * wpl + x]
                    let g = Int((word >> 16) & 0xFF) * 60 / 255, b = Int((word >> 8) & 0xFF) * 60 / 255
                    data[y * wpl + x] = (word & 0xFF00_0000) | UInt32(g) << 16 | UInt32(b) << 8
                }
            }
        }
        // Perspective: the far edge shorter, the sheet turned a little.
        let corners = [PixelPoint(x: Double(ox), y: Double(oy)), PixelPoint(x: Double(ox + w), y: Double(oy)),
                       PixelPoint(x: Double(ox + w), y: Double(oy + h)), PixelPoint(x: Double(ox), y: Double(oy + h))]
        let moved = [PixelPoint(x: Double(ox) + Double(w) * 0.07, y: Double(oy) + Double(h) * 0.03),
                     PixelPoint(x: Double(ox + w) - Double(w) * 0.04, y: Double(oy) - Double(h) * 0.01),
                     PixelPoint(x: Double(ox + w) + Double(w) * 0.03, y: Double(oy + h) + Double(h) * 0.02),
                     PixelPoint(x: Double(ox) - Double(w) * 0.02, y: Double(oy + h) - Double(h) * 0.01)]
        var from: UnsafeMutablePointer<PTA>? = ptaCreate(4), to: UnsafeMutablePointer<PTA>? = ptaCreate(4)
        defer { ptaDestroy(&from); ptaDestroy(&to) }
        for (a, b) in zip(corners, moved) {
            ptaAddPt(from, Float(a.x), Float(a.y))
            ptaAddPt(to, Float(b.x), Float(b.y))
        }
        var flat: UnsafeMutablePointer<PIX>? = canvas
        defer { pixDestroy(&flat) }
        // Leptonica maps each output pixel back to its source: the output's points first.
        guard let warped = pixProjectivePta(canvas, to, from, l_int32(L_BRING_IN_BLACK)) else {
            throw ImagingError(.operationFailed, file: "", "perspective")
        }
        // Light from the left: a quarter darker at the right edge.
        let wd = pixGetData(warped)!, wwpl = Int(pixGetWpl(warped))
        for y in 0..<ch {
            for x in 0..<cw {
                let f = 1.0 - 0.28 * Double(x) / Double(cw)
                let word = wd[y * wwpl + x]
                let r = UInt32(Double(word >> 24) * f), g = UInt32(Double((word >> 16) & 0xFF) * f)
                let b = UInt32(Double((word >> 8) & 0xFF) * f)
                wd[y * wwpl + x] = r << 24 | g << 16 | b << 8
            }
        }
        let photo = PageImage(owning: warped, dpi: 72)
        let url = try scratchFile("photo.jpg", try photo.encoded(.jpeg(quality: 75)))
        return (url, PageQuad(topLeft: moved[0], topRight: moved[1], bottomRight: moved[2], bottomLeft: moved[3]))
    }

    /// A picture of the desk with no sheet on it.
    static func emptyDesk(width: Int = 1600, height: Int = 1200) throws -> URL {
        guard let canvas = pixCreate(l_int32(width), l_int32(height), 32) else { throw ImagingError(.operationFailed, file: "", "canvas") }
        let data = pixGetData(canvas)!, wpl = Int(pixGetWpl(canvas))
        for y in 0..<height {
            let grain = (y * 7919) % 25
            for x in 0..<width {
                let v = UInt32(110 + grain + (x / 40) % 9)
                data[y * wpl + x] = v << 24 | (v * 2 / 3) << 16 | (v / 2) << 8
            }
        }
        return try scratchFile("desk.jpg", try PageImage(owning: canvas, dpi: 72).encoded(.jpeg(quality: 80)))
    }

    static func load(_ url: URL) throws -> (PageImage, Int?) {
        let info = try ImageProbe.probe(url)
        return (try PageImage.load(url, info: info), info.dpi)
    }
}

@Suite struct CaptureTests {
    @Test func aPhotographedSheetIsFoundUnwarpedAndRead() throws {
        let (page, truth) = try textSample()
        let (url, corners) = try Camera.photograph(page)
        let (photo, header) = try Camera.load(url)
        guard case .sheet(let quad) = PageFinder.find(photo) else {
            Issue.record("no sheet found")
            return
        }
        for (found, real) in zip(quad.corners, corners.corners) {
            #expect(found.distance(to: real) < Double(photo.width) / 50, "corner \(found) vs \(real)")
        }
        let cleaned = try PageCleaner.clean(photo, headerDPI: header)
        #expect(cleaned.capture.sheet != nil)
        let measured = try #require(cleaned.capture.estimatedDPI)
        #expect((160...200).contains(measured), "measured \(measured) dpi, photographed at 180")
        #expect(cleaned.capture.lightEvened)
        #expect(cleaned.quarterTurns == 0)
        let engine = try TesseractEngine()
        let text = try engine.recognize(cleaned.gray).text
        let cer = characterErrorRate(truth, text)
        #expect(cer < 0.05, "CER \(cer) on the photographed page")
    }

    @Test func aPhotoOfAPageUpsideDownIsTurned() throws {
        let (page, _) = try textSample()
        let (url, _) = try Camera.photograph(page, upsideDown: true, seal: false)
        let (photo, header) = try Camera.load(url)
        let cleaned = try PageCleaner.clean(photo, headerDPI: header)
        #expect(cleaned.capture.sheet != nil)
        #expect(cleaned.quarterTurns == 2)
    }

    @Test func aRedSealIsNotTextAndBlueInkIs() throws {
        // Three patches: paper, red seal ink, blue ballpoint.
        let colours: [UInt32] = [0xF5EE_DC00, 0xD232_3200, 0x2038_B000]
        let pix = try #require(pixCreate(30, 10, 32))
        for y in 0..<10 {
            for x in 0..<30 { pixSetPixel(pix, l_int32(x), l_int32(y), colours[x / 10]) }
        }
        let grey = try PageImage(owning: pix, dpi: 300).readingGray().bytes
        let (paper, seal, pen) = (Int(grey[5]), Int(grey[15]), Int(grey[25]))
        #expect(seal > 190 && abs(seal - paper) < 50, "a red seal reads \(seal), paper \(paper)")
        #expect(pen < 70, "blue ink reads \(pen)")
    }

    @Test func aPhotoWithNoSheetSaysSo() throws {
        let (photo, header) = try Camera.load(try Camera.emptyDesk())
        #expect(PageFinder.find(photo) == .noSheet)
        let error = try #require(throws: ImagingError.self) { try PageCleaner.clean(photo, headerDPI: header) }
        #expect(error.code == .noPage)
    }

    @Test func aThumbnailIsTooSmallToRead() throws {
        let (page, _) = try textSample()
        let thumbnail = try page.grayscale().scaled(toWidth: 400)
        let url = try scratchFile("thumb.jpg", try thumbnail.withDPI(72).encoded(.jpeg(quality: 80)))
        let (image, header) = try Camera.load(url)
        let error = try #require(throws: ImagingError.self) { try PageCleaner.clean(image, headerDPI: header) }
        #expect(error.code == .tooSmall)
        #expect(error.detail.contains("dpi"))
    }

    @Test func aScanIsLeftAsItWas() throws {
        let (page, _) = try textSample()
        #expect(PageFinder.find(page) == .fillsFrame)
        let cleaned = try PageCleaner.clean(page)
        #expect(cleaned.capture == CaptureCorrection())
        #expect(cleaned.gray.width == page.width && cleaned.gray.dpi == page.dpi)
    }
}

/// Edit distance over the truth's length, whitespace runs as one space.
func characterErrorRate(_ truth: String, _ text: String) -> Double {
    func norm(_ s: String) -> [Character] { Array(s.split(whereSeparator: \.isWhitespace).joined(separator: " ")) }
    let t = norm(truth), o = norm(text)
    var row = Array(0...o.count)
    for i in 1...max(1, t.count) where !t.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in 1...max(1, o.count) where !o.isEmpty {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (t[i - 1] == o[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return Double(row[o.count]) / Double(max(1, t.count))
}
