import Foundation
import Testing

@testable import Imaging
@testable import OCR

/// A clean text sample: straight, upright, 300 dpi.
func textSample() throws -> (PageImage, String) {
    let url = try #require(samples("text", ext: "png").first, "no text sample")
    let truth = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("txt"), encoding: .utf8)
    let info = try ImageProbe.probe(url)
    return (try PageImage.load(url, info: info), truth)
}

@Suite struct CleanupTests {
    @Test(arguments: [1, 2, 3])
    func turnedPagesAreBroughtUpright(turns: Int) throws {
        let (page, _) = try textSample()
        let turned = try page.grayscale().rotated(quarterTurns: turns)
        let cleaned = try PageCleaner.clean(turned)
        #expect((cleaned.quarterTurns + turns) % 4 == 0)
        #expect(cleaned.gray.width == page.width)
    }

    @Test(arguments: [-2.5, 1.2])
    func skewIsFoundAndCorrected(degrees: Double) throws {
        let (page, _) = try textSample()
        let skewed = try page.grayscale().rotated(degrees: degrees)
        let cleaned = try PageCleaner.clean(skewed)
        #expect(abs(cleaned.skewDegrees + degrees) < 0.15)
    }

    @Test func uprightStraightPageIsLeftAlone() throws {
        let (page, _) = try textSample()
        let cleaned = try PageCleaner.clean(page)
        #expect(cleaned.quarterTurns == 0)
        #expect(abs(cleaned.skewDegrees) < 0.1)
        #expect(!cleaned.isBlank)
        #expect(cleaned.binary.depth == 1)
    }

    @Test func speckledWhitePageIsBlank() throws {
        let (w, h) = (2480, 3508)
        var pixels = [UInt8](repeating: 250, count: w * h)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 { pixels[Int(rng.next(upperBound: UInt64(w * h)))] = 0 }
        let page = try PageImage.fromGray8(pixels, width: w, height: h, dpi: 300)
        let cleaned = try PageCleaner.clean(page)
        #expect(cleaned.isBlank)
    }

    @Test func darkScannerEdgeIsWhitened() throws {
        let (page, _) = try textSample()
        let gray = try page.grayscale()
        // A black band 60 px wide down the left edge, as a scanner lid leaves.
        let withEdge = try gray.copy()
        withEdge.paintBlack(PixelRect(x: 0, y: 0, width: 60, height: gray.height))
        let cleaned = try PageCleaner.clean(withEdge)
        #expect(cleaned.bordersRemoved.contains(.left))
        let left = try cleaned.binary.cropped(to: PixelRect(x: 0, y: 0, width: 40, height: cleaned.binary.height))
        #expect(PageCleaner.inkRatio(left) < 0.01)
    }
}

@Suite struct OCRTests {
    @Test func cleanVietnameseTextReadsWithLowCER() throws {
        let (page, truth) = try textSample()
        let engine = try TesseractEngine()
        let result = try engine.recognize(try PageCleaner.clean(page).gray)
        let cer = characterErrorRate(truth: truth, ocr: result.text)
        #expect(cer < 0.02, "CER \(cer)")
        #expect(result.words.allSatisfy { (0...1).contains($0.confidence) })
        #expect(result.words.allSatisfy { $0.box.width > 0 && $0.box.height > 0 })
    }

    @Test func digitWhitelistReadsOnlyDigits() throws {
        let (page, _) = try textSample()
        let engine = try TesseractEngine()
        let result = try engine.recognize(page, rect: PixelRect(x: 0, y: 0, width: page.width, height: page.height / 4),
                                          mode: .singleBlock, whitelist: "0123456789")
        #expect(result.text.allSatisfy { $0.isNumber || $0.isWhitespace })
    }

    @Test func hocrHasWordsWithBoxes() throws {
        let (page, _) = try textSample()
        let hocr = try TesseractEngine().hocr(page)
        #expect(hocr.contains("ocrx_word"))
        #expect(hocr.contains("bbox "))
    }

    @Test func missingLanguageIsAClearError() {
        #expect(throws: OCRError.self) { try TesseractEngine(OCRConfiguration(languages: "xyz")) }
    }
}

func characterErrorRate(truth: String, ocr: String) -> Double {
    let t = Array(truth.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping)
    let o = Array(ocr.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping)
    var prev = Array(0...o.count)
    for i in 1...max(1, t.count) where !t.isEmpty {
        var cur = [i] + [Int](repeating: 0, count: o.count)
        for j in stride(from: 1, through: o.count, by: 1) {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (t[i - 1] == o[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return Double(prev[o.count]) / Double(max(1, t.count))
}
