import Foundation
import Testing
@testable import Scanning

/// A scanner with a duplex feeder, or one that goes away mid-batch: what SANE's test backend cannot do.
/// Option handling is minimal but real: a source option with duplex, a mode and a resolution.
final class FakeScanner: ScannerDevice, @unchecked Sendable {
    let info = ScannerInfo(name: "fake:duplex", vendor: "Fake", model: "Duplex 1", type: "sheetfed scanner")
    private let lock = NSLock()
    private var values: [String: OptionValue] = ["source": .string("ADF Front"), "mode": .string("Gray"), "resolution": .int([300])]
    private var sheets: [ScanFrame]
    private var failAfter: Int?
    private(set) var present = true
    private(set) var ended = 0

    init(sheets: [ScanFrame], failAfter: Int? = nil) {
        self.sheets = sheets
        self.failAfter = failAfter
    }

    func options() async throws -> [ScannerOption] {
        [ScannerOption(index: 1, name: "source", kind: .string, constraint: .strings(["ADF Front", "ADF Back", "ADF Duplex"])),
         ScannerOption(index: 2, name: "mode", kind: .string, constraint: .strings(["Lineart", "Gray", "Color"])),
         ScannerOption(index: 3, name: "resolution", kind: .int, unit: .dpi, constraint: .range(min: 50, max: 600, step: 1))]
    }

    func value(of option: String) async throws -> OptionValue? { lock.withLock { values[option] } }

    func set(_ option: String, to value: OptionValue) async throws -> OptionValue {
        lock.withLock { values[option] = value }
        return value
    }

    func readPage() async throws -> ScanFrame {
        try lock.withLock {
            if let n = failAfter, n == 0 {
                present = false
                throw ScanError(.ioError, detail: "usb transfer failed")
            }
            failAfter = failAfter.map { $0 - 1 }
            guard !sheets.isEmpty else { throw ScanError(.feederEmpty, detail: "sane_start: Document feeder out of documents") }
            return sheets.removeFirst()
        }
    }

    func endBatch() { lock.withLock { ended += 1 } }
    func isStillPresent() async -> Bool { lock.withLock { present } }

    /// A grey A4-ish side at 50 dpi: blank, or with lines of "text".
    static func side(ink: Bool) -> ScanFrame {
        let w = 413, h = 585
        var pixels = [UInt8](repeating: 250, count: w * h)
        if ink {
            for line in stride(from: 60, to: 500, by: 25) {
                for y in line..<(line + 6) { for x in 40..<370 where (x / 7) % 3 != 0 { pixels[y * w + x] = 20 } }
            }
        }
        // Feeder shadow along the edge: not ink.
        for y in 0..<h { for x in 0..<8 { pixels[y * w + x] = 0 } }
        return ScanFrame(channels: 1, depth: 8, width: w, height: h, bytesPerLine: w, dpi: 50, pixels: pixels)
    }
}

@Suite struct SessionTests {
    @Test func duplexDropsBlankBacksButKeepsWrittenOnes() async throws {
        let fake = FakeScanner(sheets: [FakeScanner.side(ink: true), FakeScanner.side(ink: false),
                                        FakeScanner.side(ink: true), FakeScanner.side(ink: true)])
        let session = try await ScanSession.configure(fake, profile: .generic, request: ScanRequest(source: .duplex))
        #expect(try await fake.value(of: "source") == .string("ADF Duplex"))
        var kept: [(Int, Bool)] = []
        let outcome = try await session.run { kept.append(($0.number, $0.isBack)) }
        #expect(outcome.pages == 3)
        #expect(outcome.blankBacksDropped == 1)
        #expect(kept.map(\.0) == [1, 2, 3])
        #expect(kept.map(\.1) == [false, false, true])
        #expect(fake.ended >= 1)
    }

    @Test func aProfileCanKeepBlankBacks() async throws {
        let fake = FakeScanner(sheets: [FakeScanner.side(ink: true), FakeScanner.side(ink: false)])
        var profile = DeviceProfile.generic
        profile.blankBacks = .keep
        let session = try await ScanSession.configure(fake, profile: profile, request: ScanRequest(source: .duplex))
        let outcome = try await session.run { _ in }
        #expect(outcome.pages == 2 && outcome.blankBacksDropped == 0)
    }

    @Test func aScannerUnpluggedMidBatchIsReportedAsDisconnectedWithThePagesKept() async throws {
        let fake = FakeScanner(sheets: (0..<5).map { _ in FakeScanner.side(ink: true) }, failAfter: 2)
        let session = try await ScanSession.configure(fake, profile: .generic, request: ScanRequest(source: .adf))
        var kept = 0
        let error = await #expect(throws: ScanError.self) { _ = try await session.run { _ in kept += 1 } }
        #expect(error?.code == .disconnected)
        #expect(error?.pagesKept == 2)
        #expect(kept == 2)
        #expect(error?.vietnamese.contains("từ trang 3") == true)
    }

    @Test func aFailedCommitIsNotCountedAsKept() async throws {
        struct DiskFull: Error {}
        let fake = FakeScanner(sheets: (0..<3).map { _ in FakeScanner.side(ink: true) })
        let session = try await ScanSession.configure(fake, profile: .generic, request: ScanRequest(source: .adf))
        var kept = 0
        await #expect(throws: DiskFull.self) {
            _ = try await session.run { page in
                if page.number == 2 { throw DiskFull() }
                kept += 1
            }
        }
        #expect(kept == 1)
    }

    @Test func inkCoverageSeesTextButNotEdgeShadows() {
        #expect(FakeScanner.side(ink: false).inkCoverage() < 0.0003)
        #expect(FakeScanner.side(ink: true).inkCoverage() > 0.01)
    }
}

@Suite struct HotFolderTests {
    func inbox() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-inbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aFileIsTakenOnlyAfterItsSizeAndTimeStayStable() throws {
        let dir = try inbox()
        var folder = try HotFolder(inbox: dir, settle: 2)
        let file = dir.appendingPathComponent("scan001.tif")
        try Data(repeating: 1, count: 100).write(to: file)
        let t0 = Date()
        #expect(folder.poll(now: t0).isEmpty)  // first sight
        #expect(folder.poll(now: t0.addingTimeInterval(1)).isEmpty)  // not settled yet
        // The scanner writes more: the clock starts again.
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 2, count: 100))
        try handle.close()
        #expect(folder.poll(now: t0.addingTimeInterval(2.5)).isEmpty)
        #expect(folder.poll(now: t0.addingTimeInterval(3.5)).isEmpty)
        #expect(folder.poll(now: t0.addingTimeInterval(5)) == [file])
    }

    @Test func partialHiddenAndEmptyFilesAndTheArchiveFoldersAreLeftAlone() throws {
        let dir = try inbox()
        var folder = try HotFolder(inbox: dir, settle: 0)
        for name in ["scan.pdf.part", ".scan.tif", "upload.tmp", "empty.png"] {
            try Data(name == "empty.png" ? [] : [1, 2, 3]).write(to: dir.appendingPathComponent(name))
        }
        let t0 = Date()
        _ = folder.poll(now: t0)
        #expect(folder.poll(now: t0.addingTimeInterval(5)).isEmpty)
    }

    @Test func archivingMovesTheFileWritesTheReasonAndNeverOverwrites() throws {
        let dir = try inbox()
        var folder = try HotFolder(inbox: dir, settle: 0)
        for round in 0..<2 {
            let file = dir.appendingPathComponent("bad.png")
            try Data("not a png \(round)".utf8).write(to: file)
            let moved = try folder.archive(file, as: .failed, reason: "Tệp hỏng (damaged file)")
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(try String(contentsOf: moved, encoding: .utf8) == "not a png \(round)")
            let reason = try String(contentsOf: moved.appendingPathExtension("reason.txt"), encoding: .utf8)
            #expect(reason.contains("Tệp hỏng"))
        }
        let failed = try FileManager.default.contentsOfDirectory(atPath: folder.failedDirectory.path)
        #expect(failed.filter { $0.hasSuffix(".png") }.count == 2)
    }

    @Test func aMissingFolderIsAClearError() {
        #expect(throws: ScanError.self) { _ = try HotFolder(inbox: URL(fileURLWithPath: "/nonexistent/inbox")) }
    }
}
