import Foundation
import Testing
@testable import Scanning

/// Option mapping against the option lists of real scanners (scanimage --help captures, see Fixtures/).
@Suite struct OptionMappingTests {
    static func options(_ file: String) throws -> [ScannerOption] {
        let url = fixtures.appendingPathComponent("scanner-options").appendingPathComponent(file)
        return parseScanimageHelp(try String(contentsOf: url, encoding: .utf8))
    }

    static func settings(_ r: Result<[(String, String)], ScanError>) -> [String]? {
        guard case .success(let s) = r else { return nil }
        return s.map { "\($0.0)=\($0.1)" }
    }

    static let sourceCases: [(String, ScanSource, [String]?)] = [
        ("FujitsuS510.txt", .duplex, ["source=ADF Duplex"]),
        ("FujitsuS510.txt", .adf, ["source=ADF Front"]),
        ("FujitsuS510.txt", .flatbed, nil),
        ("Brother_MFC-8860DN.txt", .duplex, ["source=Automatic Document Feeder(Duplex)"]),
        ("Brother_MFC-8860DN.txt", .adf, ["source=Automatic Document Feeder"]),
        ("Brother_MFC-8860DN.txt", .flatbed, ["source=FlatBed"]),
        ("Brother_DCP-7025.txt", .duplex, nil),
        ("Epson_GT-2500.txt", .duplex, ["source=Automatic Document Feeder", "adf_mode=Duplex"]),
        ("Epson_GT-2500.txt", .adf, ["source=Automatic Document Feeder", "adf_mode=Simplex"]),
        ("hp_6200.txt", .duplex, ["source=ADF", "duplex=yes"]),
        ("hp_6200.txt", .adf, ["source=ADF", "duplex=no"]),
        ("hp_6200.txt", .flatbed, ["source=Flatbed"]),
        ("hp_scanjet5300c.txt", .flatbed, ["source=Normal"]),
        ("hp_scanjet5300c.txt", .adf, ["source=ADF"]),
        ("mustek.txt", .flatbed, ["source=Reflective"]),
        ("epson_3490.txt", .flatbed, ["source=Flatbed"]),
        ("canoscan_FB_630P.txt", .flatbed, []),
        ("canoscan_FB_630P.txt", .adf, nil),
        ("test.txt", .adf, ["source=Automatic Document Feeder"]),
        ("xp450.txt", .adf, ["source=ADF"]),
    ]

    @Test(arguments: sourceCases)
    func sourcesAreFoundUnderEachBackendsOwnNames(file: String, source: ScanSource, expected: [String]?) throws {
        let options = try Self.options(file)
        #expect(Self.settings(OptionMapping.source(source, options: options, profile: .generic)) == expected)
    }

    static let modeCases: [(String, ScanMode, String?)] = [
        ("Brother_MFC-8860DN.txt", .gray, "True Gray"),
        ("Brother_MFC-8860DN.txt", .color, "24bit Color"),
        ("Brother_MFC-8860DN.txt", .lineart, "Black & White"),
        ("Epson_GT-2500.txt", .lineart, "Binary"),
        ("mustek.txt", .gray, "Gray8"),
        ("mustek.txt", .color, "Color24"),
        ("hp_scanjet5300c.txt", .gray, "Gray"),
        ("xp450.txt", .color, "Color"),
        ("hp_6200.txt", .gray, "Grayscale"),
        ("FujitsuS510.txt", .lineart, "Lineart"),
        ("dummy_scanner.txt", .gray, "Grayscale"),
    ]

    @Test(arguments: modeCases)
    func modesPreferTrueEightBitOverDitheredOrDeep(file: String, mode: ScanMode, expected: String?) throws {
        let options = try Self.options(file)
        let settings = try #require(Self.settings(OptionMapping.mode(mode, options: options, profile: .generic)))
        #expect(settings.first == expected.map { "mode=\($0)" })
    }

    @Test func everyRealScannerWithAModeOptionGetsAnUndiheredGreyMode() throws {
        let dir = fixtures.appendingPathComponent("scanner-options")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count == 46)
        var checked = 0, parsed = 0
        for file in files {
            let options = try Self.options(file)
            if !options.isEmpty { parsed += 1 }
            guard let mode = options.first(where: { $0.name == "mode" && $0.isActive }), !mode.choices.isEmpty else { continue }
            let gray = try #require(Self.settings(OptionMapping.mode(.gray, options: options, profile: .generic)), "\(file)")
            let chosen = try #require(gray.first { $0.hasPrefix("mode=") }, "\(file)").lowercased()
            #expect(!chosen.contains("diffusion") && !chosen.contains("dither") && !chosen.contains("halftone"), "\(file)")
            #expect(chosen.contains("gr"), "\(file): \(chosen)")
            checked += 1
        }
        // Only the Dell 1600n capture lists no option at all.
        #expect(parsed == 45)
        #expect(checked >= 35)
    }

    @Test func aProfilesNamesWinAndUnknownValuesFallBackToTheUsualNames() throws {
        let options = try Self.options("FujitsuS510.txt")
        let fujitsu = try #require(try ProfileCatalog.load().profiles.first { $0.id == "fujitsu" })
        #expect(Self.settings(OptionMapping.source(.duplex, options: options, profile: fujitsu)) == ["source=ADF Duplex"])
        // A profile written for another firmware ("Duplex" is not offered here): the usual names still work.
        var wrong = fujitsu
        wrong.sources = ["duplex": ["source": "Duplex"]]
        #expect(Self.settings(OptionMapping.source(.duplex, options: options, profile: wrong)) == ["source=ADF Duplex"])
    }
}
