import Foundation
import Imaging
import Testing

/// The kiosk's quality gate on real Samples pages and on pages the test spoils.
@Suite struct PageQualityTests {
    static let forms = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/forms")

    func page(_ name: String) throws -> PageImage {
        let url = Self.forms.appendingPathComponent(name)
        return try PageImage.load(url, info: try ImageProbe.probe(url))
    }

    @Test(arguments: ["dev-001-khai-sinh.png", "dev-004-khai-sinh.png", "dev-002-ct01.jpg", "dev-005-ct01.tif"])
    func goodScansPass(name: String) throws {
        let q = try PageQuality.assess(try page(name))
        #expect(q.problems.isEmpty, "\(q)")
    }

    @Test func aBlurredDarkOrCutOffScanIsCaught() throws {
        let good = try page("dev-001-khai-sinh.png")
        let blurred = try PageQuality.assess(try good.blurred(radius: 3))
        #expect(blurred.problems.contains(.blurred))
        let dark = try PageQuality.assess(try good.dimmed(0.4))
        #expect(dark.problems.contains(.tooDark))
        let cut = try good.cropped(to: PixelRect(x: good.width * 2 / 5, y: 0, width: good.width * 3 / 5, height: good.height))
        let cutQuality = try PageQuality.assess(cut)
        #expect(cutQuality.problems.contains(.cutOff))
        // A blank sheet is not "blurred": there is nothing to judge.
        let blank = try PageImage.fromGray8([UInt8](repeating: 245, count: 800 * 1100), width: 800, height: 1100, dpi: 100)
        #expect(try PageQuality.assess(blank).problems.isEmpty)
    }
}
