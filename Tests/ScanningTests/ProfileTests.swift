import Foundation
import Testing
@testable import Scanning

@Suite struct ProfileTests {
    @Test func theShippedProfilesLoadAndCoverTheDeskScanners() throws {
        let catalog = try ProfileCatalog.load()
        let ids = Set(catalog.profiles.map(\.id))
        for id in ["generic", "sane-test", "sane-pnm", "fujitsu", "canon-dr", "epson2", "epsonds", "kodak", "avision",
                   "airscan", "escl"] {
            #expect(ids.contains(id), "missing profile \(id)")
        }
        for p in catalog.profiles {
            for use in ScanUse.allCases {
                let d = p.defaults(for: use)
                #expect((75...1200).contains(d.dpi), "\(p.id)")
                if let paper = d.paper { #expect(PaperSize(named: paper) != nil, "\(p.id): \(paper)") }
                if use == .forms { #expect(d.mode == .gray, "\(p.id): forms are scanned in grey") }
                if use != .forms { #expect(d.mode == .color, "\(p.id): photos and ID cards in colour") }
            }
        }
    }

    static let matches: [(ScannerInfo, String)] = [
        (ScannerInfo(name: "fujitsu:libusb:001:004", vendor: "FUJITSU", model: "fi-7160", type: "scanner"), "fujitsu"),
        (ScannerInfo(name: "canon_dr:libusb:002:003", vendor: "CANON", model: "DR-C225", type: "scanner"), "canon-dr"),
        (ScannerInfo(name: "epson2:libusb:001:005", vendor: "Epson", model: "WF-3720", type: "flatbed scanner"), "epson2"),
        (ScannerInfo(name: "epsonds:libusb:001:006", vendor: "EPSON", model: "DS-530", type: "sheetfed scanner"), "epsonds"),
        (ScannerInfo(name: "kodak:libusb:001:007", vendor: "KODAK", model: "i2600", type: "sheetfed scanner"), "kodak"),
        (ScannerInfo(name: "avision:libusb:001:008", vendor: "Avision", model: "AD240", type: "sheetfed scanner"), "avision"),
        (ScannerInfo(name: "airscan:e0:Canon MF445dw", vendor: "Canon", model: "MF445dw", type: "eSCL network scanner"), "airscan"),
        (ScannerInfo(name: "escl:https://192.0.2.7:443", vendor: "HP", model: "LaserJet MFP", type: "flatbed scanner"), "escl"),
        (ScannerInfo(name: "test:0", vendor: "Noname", model: "frontend-tester", type: "virtual device"), "sane-test"),
        (ScannerInfo(name: "hpaio:/usb/OfficeJet_Pro_9010", vendor: "Hewlett-Packard", model: "OfficeJet Pro 9010", type: "all-in-one"), "generic"),
    ]

    @Test(arguments: matches)
    func aScannerGetsTheMostSpecificProfileOrTheGenericOne(device: ScannerInfo, expected: String) throws {
        #expect(try ProfileCatalog.load().profile(for: device).id == expected)
    }

    @Test func aDesksOwnProfileReplacesTheShippedOneAndABrokenFileIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let own = """
            {"id": "fujitsu", "description": "this desk's fi-8170", "match": [{"backend": "fujitsu", "model": "fi-8170"}],
             "uses": {"forms": {"source": "duplex", "dpi": 200, "mode": "gray", "paper": "A4"}}}
            """
        try Data(own.utf8).write(to: dir.appendingPathComponent("desk.json"))
        let catalog = try ProfileCatalog.load(extraDirectory: dir)
        let p = catalog.profile(for: ScannerInfo(name: "fujitsu:x", vendor: "FUJITSU", model: "fi-8170", type: ""))
        #expect(p.description == "this desk's fi-8170")
        #expect(p.defaults(for: .forms).dpi == 200)
        #expect(catalog.profiles.filter { $0.id == "fujitsu" }.count == 1)

        try Data(#"{"id": "broken", "match": [{"backend": 3}]}"#.utf8).write(to: dir.appendingPathComponent("broken.json"))
        let error = #expect(throws: ScanError.self) { _ = try ProfileCatalog.load(extraDirectory: dir) }
        #expect(error?.detail.contains("broken.json") == true)
    }

    @Test func paperSizesByNameAndInMillimetres() {
        #expect(PaperSize(named: "A4") == .a4)
        #expect(PaperSize(named: "cccd") == .idCard)
        #expect(PaperSize(named: "100x150") == PaperSize(width: 100, height: 150))
        #expect(PaperSize(named: "huge") == nil)
        #expect(PaperSize(named: "0x10") == nil)
    }
}
