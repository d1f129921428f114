import Foundation
import Testing

@testable import Imaging

@Suite struct BadInputTests {
    @Test func emptyFileIsRefused() throws {
        let url = try scratchFile("empty.png", Data())
        let error = #expect(throws: ImagingError.self) { try ImageProbe.probe(url) }
        #expect(error?.code == .empty)
        #expect(error?.description.hasPrefix("empty.png: ") == true)
    }

    @Test func textFileIsNotAnImage() throws {
        let url = try scratchFile("notes.png", Data("Họ, chữ đệm, tên: …\n".utf8))
        let error = #expect(throws: ImagingError.self) { try ImageProbe.probe(url) }
        #expect(error?.code == .notAnImage)
    }

    @Test func hugePNGIsRefusedBeforeDecoding() throws {
        let url = try scratchFile("huge.png", pngHeader(width: 50_000, height: 50_000))
        let error = #expect(throws: ImagingError.self) { try ImageProbe.probe(url) }
        #expect(error?.code == .tooLarge)
        #expect(error?.description.contains("50000×50000") == true)
    }

    @Test func absurdShapeIsRefused() throws {
        let url = try scratchFile("strip.png", pngHeader(width: 20_000, height: 40))
        let error = #expect(throws: ImagingError.self) { try ImageProbe.probe(url) }
        #expect(error?.code == .absurdDimensions)
    }

    @Test func damagedPNGHeaderIsCorrupt() throws {
        var bytes = [UInt8](pngHeader(width: 100, height: 100))
        bytes[20] ^= 0xFF  // breaks the IHDR checksum
        let url = try scratchFile("bad.png", Data(bytes))
        let error = #expect(throws: ImagingError.self) { try ImageProbe.probe(url) }
        #expect(error?.code == .corrupt)
    }

    @Test func headerOnlyPNGFailsToDecodeCleanly() throws {
        let url = try scratchFile("nodata.png", pngHeader(width: 640, height: 480))
        let info = try ImageProbe.probe(url)
        let error = #expect(throws: ImagingError.self) { try PageImage.load(url, info: info) }
        #expect(error?.code == .corrupt)
    }

    @Test(arguments: ["png", "jpg", "tif"])
    func truncatedSampleIsCorruptNotACrash(ext: String) throws {
        let sample = try #require(samples("forms", ext: ext).first, "no .\(ext) sample")
        let data = try Data(contentsOf: sample)
        let url = try scratchFile("cut.\(ext)", data.prefix(data.count / 3))
        // Either the header is already unreadable, or decoding says the data is damaged.
        do {
            let info = try ImageProbe.probe(url)
            let image = try PageImage.load(url, info: info)
            // libjpeg fills a cut-short JPEG with grey; what it decoded must still be the right size.
            #expect(ext == "jpg")
            #expect(image.width == info.pages[0].width)
        } catch let error as ImagingError {
            #expect(error.code == .corrupt)
        }
    }
}

@Suite struct ProbeTests {
    @Test(arguments: ["png", "jpg", "tif"])
    func samplesProbeWithSizeAndResolution(ext: String) throws {
        let files = samples("forms", ext: ext)
        try #require(!files.isEmpty)
        for url in files {
            let info = try ImageProbe.probe(url)
            #expect(info.pageCount >= 1)
            #expect(info.pages[0].width > 1000 && info.pages[0].height > 1000)
            if let dpi = info.dpi { #expect((150...600).contains(dpi)) }
            let image = try PageImage.load(url, info: info)
            #expect(image.width == info.pages[0].width)
            #expect(image.height == info.pages[0].height)
        }
    }
}

@Suite struct MultipageTests {
    @Test func multiPageTIFFGivesEveryPage() throws {
        let (page, _) = try textSample()
        let gray = try page.grayscale()
        let small = try gray.scaled(by: 0.5)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("two.tif")
        try PageImage.writeMultipageTIFF([gray, small], to: url)
        let info = try ImageProbe.probe(url)
        #expect(info.format == .tiff)
        #expect(info.pageCount == 2)
        #expect(info.pages[0] == .init(width: gray.width, height: gray.height))
        #expect(info.pages[1] == .init(width: small.width, height: small.height))
        let second = try PageImage.load(url, page: 1, info: info)
        #expect(second.width == small.width)
        #expect(second.depth == 1)
        #expect(throws: ImagingError.self) { try PageImage.load(url, page: 2, info: info) }
    }

    /// The samples hold grey, RGB, palette and 16-bit PNGs, grey and colour JPEGs and G4 TIFFs.
    @Test func everySampleBecomesEightBitGrey() throws {
        for ext in ["png", "jpg", "tif"] {
            for url in samples("forms", ext: ext) + samples("holdout", ext: ext) {
                let image = try PageImage.load(url, info: try ImageProbe.probe(url))
                let gray = try image.grayscale()
                #expect(gray.depth == 8, "\(url.lastPathComponent)")
                #expect(gray.width == image.width)
            }
        }
    }
}
