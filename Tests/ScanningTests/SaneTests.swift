import Foundation
import Testing
@testable import Scanning

/// SANE's test backend is a real backend: these drive libsane itself.
@Suite("SANE test backend", .serialized)
struct SaneTests {
    @Test func listsTheVirtualScannersWithTheirProfiles() async throws {
        let devices = try await sane.devices(localOnly: true)
        let test = try #require(devices.first { $0.name == "test:0" })
        #expect(test.backend == "test")
        #expect(devices.contains { $0.name.hasPrefix("pnm:") })
        let catalog = try ProfileCatalog.load()
        #expect(catalog.profile(for: test).id == "sane-test")
    }

    @Test func theFeederGivesTenFormPagesAtThreeHundredDPIGreyThenEndsTheBatch() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(use: .forms))
        #expect(session.settings.source == .adf)
        #expect(session.settings.mode == .gray)
        #expect(session.settings.dpi == 300)
        // The test scanner's glass is 200×200 mm: an A4 request is clipped, and the session says so.
        #expect(session.settings.widthMM == 200)
        #expect(session.settings.notes.contains { $0.contains("clipped") })
        var numbers: [Int] = []
        let outcome = try await session.run { page in
            numbers.append(page.number)
            #expect(page.frame.channels == 1)
            #expect(page.frame.depth == 8)
            #expect(page.frame.dpi == 300)
            // 200 mm at 300 dpi.
            #expect(abs(page.frame.width - 2362) <= 1)
            #expect(page.frame.pixels.count == page.frame.bytesPerLine * page.frame.height)
        }
        #expect(numbers == Array(1...10))
        #expect(outcome.end == .feederEmpty)
        #expect(outcome.pages == 10)
    }

    /// SANE's thread helper may set an ignored SIGPIPE back to the default (terminate the process); with scans at
    /// once, a reader writing to a closed pipe then killed the station. After a scan the disposition must still be
    /// the station's harmless handler: neither the default (0) nor "ignore" (1), which SANE may reset.
    @Test func aScanThatEndsLeavesSIGPIPEHarmless() async throws {
        let (device, profile) = try await openTestScanner()
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(use: .forms, maxPages: 1))
        _ = try await session.run { _ in }
        await device.close()
        var action = sigaction()
        sigaction(SIGPIPE, nil, &action)
        let handler = unsafeBitCast(action.__sigaction_handler, to: Int.self)
        #expect(handler > 1, "SIGPIPE is \(handler == 0 ? "the default: a write to a closed pipe kills the station" : "ignored, which SANE resets")")
    }

    @Test func colourLineartHandScannerAndThreePassFramesComeOutWhole() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        func one(_ request: ScanRequest) async throws -> ScanFrame {
            let session = try await ScanSession.configure(device, profile: profile, request: request)
            var frames: [ScanFrame] = []
            _ = try await session.run { frames.append($0.frame) }
            return try #require(frames.first)
        }
        let colour = try await one(ScanRequest(use: .photo, dpi: 75))
        #expect(colour.channels == 3 && colour.depth == 8 && colour.dpi == 75)
        let lineart = try await one(ScanRequest(source: .flatbed, dpi: 75, mode: .lineart))
        #expect(lineart.depth == 1 && lineart.bytesPerLine == (lineart.width + 7) / 8)
        // A hand scanner does not know the page height in advance (SANE reports -1 lines).
        let hand = try await one(ScanRequest(source: .flatbed, dpi: 75, options: [OptionSetting(name: "hand-scanner", value: "yes")]))
        #expect(hand.height > 0 && hand.pixels.count == hand.height * hand.bytesPerLine)
        // A three-pass scanner sends red, green and blue as separate frames.
        let threePass = try await one(ScanRequest(source: .flatbed, dpi: 75, mode: .color, options: [
            OptionSetting(name: "hand-scanner", value: "no"), OptionSetting(name: "three-pass", value: "yes"),
            OptionSetting(name: "test-picture", value: "Color pattern"),
        ]))
        #expect(threePass.channels == 3 && threePass.pixels.count == threePass.width * threePass.height * 3)
        #expect(Set(stride(from: 0, to: threePass.pixels.count, by: 97).map { threePass.pixels[$0] }).count > 2)
    }

    static let statuses: [(String, ScanError.Code)] = [
        ("SANE_STATUS_JAMMED", .jammed), ("SANE_STATUS_NO_DOCS", .feederEmpty),
        ("SANE_STATUS_COVER_OPEN", .coverOpen), ("SANE_STATUS_DEVICE_BUSY", .deviceBusy),
        ("SANE_STATUS_IO_ERROR", .ioError), ("SANE_STATUS_ACCESS_DENIED", .accessDenied),
        ("SANE_STATUS_NO_MEM", .outOfMemory), ("SANE_STATUS_INVAL", .invalidOption),
        ("SANE_STATUS_UNSUPPORTED", .unsupported),
    ]

    @Test(arguments: statuses)
    func everyScannerStatusBecomesAnErrorTheOfficerCanActOn(status: String, code: ScanError.Code) async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(
            dpi: 50, paper: smallPage, options: [OptionSetting(name: "read-return-value", value: status)]))
        var kept = 0
        let error = await #expect(throws: ScanError.self) { _ = try await session.run { _ in kept += 1 } }
        #expect(error?.code == code)
        #expect(error?.pagesKept == 0)
        #expect(kept == 0)
        // A Vietnamese sentence with what to do, and the English one.
        #expect(error?.vietnamese.contains(":") == true)
        #expect(error?.vietnamese.unicodeScalars.contains { $0.value > 0x7F } == true)
        #expect(error?.english.isEmpty == false)
        #expect(error?.description.contains(code.rawValue) == true)
    }

    /// Regression: cancelling the test backend's reader thread right after an injected error used to leave
    /// malloc's lock held and hang the whole process within a few dozen errors.
    @Test(.timeLimit(.minutes(1)))
    func manyErrorsInARowNeverHangTheStation() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        for i in 0..<40 {
            let status = Self.statuses[i % Self.statuses.count].0
            let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(
                dpi: 50 + (i % 5) * 20, paper: smallPage, options: [OptionSetting(name: "read-return-value", value: status)]))
            await #expect(throws: ScanError.self) { _ = try await session.run { _ in } }
        }
        try await device.set("read-return-value", to: .string("Default"))
    }

    @Test func aJamOnPageSevenKeepsPagesOneToSixAndTheBatchResumesWithoutGapsOrRepeats() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(dpi: 50, paper: smallPage))
        var committed: [Int] = []
        let error = await #expect(throws: ScanError.self) {
            _ = try await session.run { page in
                committed.append(page.number)
                // The sheet after the sixth jams: the real backend then fails sane_read with SANE_STATUS_JAMMED.
                if page.number == 6 { try await device.set("read-return-value", to: .string("SANE_STATUS_JAMMED")) }
            }
        }
        #expect(error?.code == .jammed)
        #expect(error?.pagesKept == 6)
        #expect(error?.isResumable == true)
        #expect(error?.vietnamese.contains("từ trang 7") == true)
        #expect(committed == [1, 2, 3, 4, 5, 6])

        // The officer clears the jam and reloads from page 7. (The virtual feeder counts the jammed sheet as fed,
        // so three of its ten sheets remain.)
        try await device.set("read-return-value", to: .string("Default"))
        let outcome = try await session.run(alreadyKept: committed.count) { committed.append($0.number) }
        #expect(outcome.end == .feederEmpty)
        #expect(committed == Array(1...9))
    }

    @Test func anEmptyFeederBeforeAnyPageIsAnErrorButAfterPagesItEndsTheBatch() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(dpi: 50, paper: smallPage))
        var count = 0
        let outcome = try await session.run { page in
            count += 1
            if page.number == 3 { try await device.set("read-return-value", to: .string("SANE_STATUS_NO_DOCS")) }
        }
        #expect(outcome.end == .feederEmpty && outcome.pages == 3 && count == 3)
        let error = await #expect(throws: ScanError.self) { _ = try await session.run(alreadyKept: 3) { _ in } }
        #expect(error?.code == .feederEmpty)
        #expect(error?.pagesKept == 3)
        try await device.set("read-return-value", to: .string("Default"))
    }

    @Test func badSettingsAreRefusedWithTheChoicesAndAMissingScannerIsNamed() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let bad = await #expect(throws: ScanError.self) {
            _ = try await ScanSession.configure(device, profile: profile, request: ScanRequest(
                options: [OptionSetting(name: "test-picture", value: "Solid purple")]))
        }
        #expect(bad?.code == .invalidOption)
        #expect(bad?.detail.contains("Solid white") == true)
        let unknown = await #expect(throws: ScanError.self) {
            _ = try await ScanSession.configure(device, profile: profile, request: ScanRequest(
                options: [OptionSetting(name: "no-such-option", value: "1")]))
        }
        #expect(unknown?.code == .invalidOption)
        let duplex = await #expect(throws: ScanError.self) {
            _ = try await ScanSession.configure(device, profile: profile, request: ScanRequest(source: .duplex))
        }
        #expect(duplex?.code == .unsupported)
        let missing = await #expect(throws: ScanError.self) { _ = try await sane.open("test:9") }
        #expect(missing?.code == .deviceNotFound)
    }
}
