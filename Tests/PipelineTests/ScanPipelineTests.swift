import Foundation
import Imaging
import Pipeline
import Scanning
import Store
import Testing

/// Scanner → store → draft through real libsane: the pnm backend scans the Samples' forms, the test backend jams.
@Suite("Scanning into the station", .serialized)
struct ScanPipelineTests {
    let runtime: SaneRuntime
    let catalog: ProfileCatalog

    init() throws {
        runtime = try SaneRuntime.shared(configDirectory: saneConfigDirectory.path)
        catalog = try ProfileCatalog.load()
    }

    /// A sample form as the PNM file the pnm backend reads.
    func pnm(_ png: URL, in dir: URL) throws -> URL {
        let image = try PageImage.load(png, info: try ImageProbe.probe(png))
        let url = dir.appendingPathComponent(png.deletingPathExtension().lastPathComponent + ".pgm")
        try image.grayscale().encoded(.pnm).write(to: url)
        return url
    }

    @Test func aFormScannedThroughThePnmBackendBecomesADraftWithItsFields() async throws {
        let dir = temporaryDirectory()
        let station = try makeStation(dir.appendingPathComponent("data"))
        let entry = try #require(try truths("forms").first { $0.truth.form == "khai-sinh" && $0.truth.pages.count == 1 })
        let file = try pnm(pageURLs(entry)[0], in: dir)
        let device = try await runtime.open("pnm:0")
        let profile = catalog.profile(for: device.info)
        #expect(profile.id == "sane-pnm")
        let result = try await ScanJob(station: station).run(device: device, profile: profile, request: ScanRequest(
            use: .forms, options: [OptionSetting(name: "filename", value: file.path)]))
        await device.close()

        #expect(result.outcome.pages == 1)
        #expect(result.document.draft.form == "khai-sinh")
        let values = Dictionary(uniqueKeysWithValues: result.document.fields.map { ($0.key, $0.value) })
        let truth = try #require(entry.truth.fields)
        var correct = 0
        for (key, expected) in truth where values[key] == expected { correct += 1 }
        #expect(Double(correct) / Double(truth.count) > 0.8, "\(correct) of \(truth.count)")
        #expect(values["requester.idNumber"] == truth["requester.idNumber"])

        // The page is stored as scanned (a PNG in the page store) and the batch has its draft.
        let pages = try await station.database.pages(batchId: result.batchId)
        #expect(pages.count == 1)
        #expect(pages[0].sourceName == "scan-0001.png" && pages[0].state == .processed)
        #expect(FileManager.default.fileExists(atPath: station.blobs.url(for: pages[0].originalSha256).path))
        #expect(try await station.database.batch(id: result.batchId)?.source == "scanner:pnm:0")
        #expect(try await station.database.unfinishedBatches().isEmpty)
        #expect(result.latencies.count == 1)
    }

    @Test func aJamKeepsThePagesReadTheBatchWaitsAndResumingFinishesItOnce() async throws {
        let station = try makeStation()
        let device = try await openTestScanner()
        defer { Task { await device.close() } }
        let profile = catalog.profile(for: device.info)
        let jamming = JamAfter(device, pages: 3)
        let request = ScanRequest(dpi: 75, paper: smallPage)
        let error = await #expect(throws: ScanJobError.self) {
            _ = try await ScanJob(station: station).run(device: jamming, profile: profile, request: request)
        }
        let batchId = try #require(error?.batchId)
        #expect(error?.scan.code == .jammed)
        #expect(error?.scan.pagesKept == 3)
        // What a restart sees: the batch, its three pages, why it stopped.
        let waiting = try #require(try await station.database.unfinishedBatches().first)
        #expect(waiting.id == batchId && waiting.pageCount == 3 && waiting.lastError == "paper_jam")
        #expect(waiting.status == .capturing)

        try await device.set("read-return-value", to: .string("Default"))
        let result = try await ScanJob(station: station).run(
            device: device, profile: profile, request: ScanRequest(dpi: 75, paper: smallPage, maxPages: 2), resume: batchId)
        #expect(result.batchId == batchId)
        let pages = try await station.database.pages(batchId: batchId)
        #expect(pages.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(pages.map(\.sourceName) == (1...5).map { String(format: "scan-%04d.png", $0) })
        #expect(pages.allSatisfy { $0.state == .processed })
        #expect(Set(pages.map(\.originalSha256)).count >= 1)
        #expect(result.document.draft.batchId == batchId)
        #expect(try await station.database.unfinishedBatches().isEmpty)
        // Once done, the batch cannot be scanned into again.
        await #expect(throws: PipelineError.self) {
            _ = try await ScanJob(station: station).run(device: device, profile: profile, request: request, resume: batchId)
        }
    }

    @Test func aBatchLeftByAJamCanBeReadAsItIsFromTheCommandLine() async throws {
        let dir = temporaryDirectory()
        let station = try makeStation(dir)
        let device = try await openTestScanner()
        defer { Task { await device.close() } }
        let error = await #expect(throws: ScanJobError.self) {
            _ = try await ScanJob(station: station).run(device: JamAfter(device, pages: 2),
                                                        profile: catalog.profile(for: device.info), request: ScanRequest(dpi: 75, paper: smallPage))
        }
        try await device.set("read-return-value", to: .string("Default"))
        let batchId = try #require(error?.batchId)
        let list = try runSohoa(["batches", "--json", "--data", dir.path])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["id"] as? String == batchId)
        #expect(rows.first?["pages"] as? Int == 2)
        #expect(rows.first?["lastError"] as? String == "paper_jam")
        let finish = try runSohoa(["batches", "finish", batchId, "--json", "--data", dir.path])
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try await station.database.unfinishedBatches().isEmpty)
        #expect(try await station.database.draftSummaries().first?.pageCount == 2)
    }

    @Test func anEmptyFeederAtTheStartStoresNothing() async throws {
        let station = try makeStation()
        let device = try await openTestScanner()
        defer { Task { await device.close() } }
        let error = await #expect(throws: ScanJobError.self) {
            _ = try await ScanJob(station: station).run(device: device, profile: catalog.profile(for: device.info),
                request: ScanRequest(dpi: 75, paper: smallPage,
                                     options: [OptionSetting(name: "read-return-value", value: "SANE_STATUS_NO_DOCS")]))
        }
        #expect(error?.scan.code == .feederEmpty)
        #expect(error?.batchId == nil)
        #expect(try await station.database.unfinishedBatches().isEmpty)
        try await device.set("read-return-value", to: .string("Default"))
    }
}

extension ScanPipelineTests {
    /// The desk's rescan: one sheet captured into an open batch without reading it, then put in the old page's place.
    @Test func aRescannedSheetTakesTheOldPagesPlace() async throws {
        let station = try makeStation()
        let device = try await openTestScanner()
        defer { Task { await device.close() } }
        let profile = catalog.profile(for: device.info)
        let batch = try await station.database.beginBatch(source: "desk:canbo")
        let three = try await ScanJob(station: station).capture(
            device: device, profile: profile, request: ScanRequest(dpi: 75, paper: smallPage, maxPages: 3), into: batch.id)
        #expect(three.map(\.seq) == [1, 2, 3])
        #expect(three.allSatisfy { $0.state == .captured }, "captured, not read")
        let officer = try await station.database.createUser(username: "canbo", displayName: "canbo", role: .officer,
                                                      passwordHash: "$y$x", actor: "test")
        let again = try await ScanJob(station: station).capture(
            device: device, profile: profile, request: ScanRequest(dpi: 75, paper: smallPage, maxPages: 1), into: batch.id)
        let new = try #require(again.first)
        try await station.database.movePage(batchId: batch.id, from: new.seq, to: 2, actor: officer.username)
        try await station.database.deletePage(batchId: batch.id, seq: 3, actor: officer.username)
        let pages = try await station.database.pages(batchId: batch.id)
        #expect(pages.map(\.seq) == [1, 2, 3])
        #expect(pages.map(\.id) == [three[0].id, new.id, three[2].id])
        #expect(try await station.database.draft(batchId: batch.id) == nil)
        try await station.database.finishCapture(batchId: batch.id)
        await #expect(throws: PipelineError.self) {
            _ = try await ScanJob(station: station).capture(
                device: device, profile: profile, request: ScanRequest(dpi: 75, paper: smallPage, maxPages: 1), into: batch.id)
        }
    }

    /// The test backend's second virtual scanner (the Scanning tests use the first), error injection off: the
    /// backend keeps option values between opens.
    func openTestScanner() async throws -> SaneDevice {
        var opened: SaneDevice?
        for _ in 0..<30 where opened == nil {
            // The previous test's close is deferred to a task and may still hold the device.
            do { opened = try await runtime.open("test:1") } catch let e as ScanError where e.code == .deviceBusy {
                try await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        let device = try #require(opened)
        try await device.set("read-return-value", to: .string("Default"))
        return device
    }
}

/// The real test backend, told to jam after `pages` pages (its read-return-value option), as a feeder would.
final class JamAfter: ScannerDevice, @unchecked Sendable {
    let inner: SaneDevice
    private var remaining: Int
    init(_ inner: SaneDevice, pages: Int) {
        self.inner = inner
        self.remaining = pages
    }
    var info: ScannerInfo { inner.info }
    func options() async throws -> [ScannerOption] { try await inner.options() }
    func value(of option: String) async throws -> OptionValue? { try await inner.value(of: option) }
    func set(_ option: String, to value: OptionValue) async throws -> OptionValue { try await inner.set(option, to: value) }
    func readPage() async throws -> ScanFrame {
        if remaining == 0 { try await inner.set("read-return-value", to: .string("SANE_STATUS_JAMMED")) }
        remaining -= 1
        return try await inner.readPage()
    }
    func endBatch() { inner.endBatch() }
    func isStillPresent() async -> Bool { await inner.isStillPresent() }
}

@Suite("Hot folder", .serialized)
struct HotFolderWatcherTests {
    @Test func completeFilesAreTakenOnceBadOnesAreSetAsideAndTheWatcherGoesOn() async throws {
        let dir = temporaryDirectory()
        let inbox = dir.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let station = try makeStation(dir.appendingPathComponent("data"))
        let entry = try #require(try truths("forms").first { $0.truth.pages.count == 1 })
        let page = pageURLs(entry)[0]
        let ext = page.pathExtension
        let bytes = try Data(contentsOf: page)
        try bytes.write(to: inbox.appendingPathComponent("001-may-quet.\(ext)"))
        try bytes.prefix(bytes.count / 3).write(to: inbox.appendingPathComponent("002-hong.\(ext)"))
        try Data("%PDF-1.4 not an image".utf8).write(to: inbox.appendingPathComponent("003-tai-lieu.pdf"))
        try Data(repeating: 7, count: 10).write(to: inbox.appendingPathComponent("004-dang-ghi.tif.part"))
        // The same scan saved again under another name, a moment later.
        try await Task.sleep(nanoseconds: 20_000_000)
        try bytes.write(to: inbox.appendingPathComponent("005-ban-sao.\(ext)"))

        let watcher = try HotFolderWatcher(station: station, directory: inbox, settle: 0.2)
        let events = await watcher.drain()
        let byFile = Dictionary(uniqueKeysWithValues: events.map { ($0.file, $0) })
        #expect(byFile["001-may-quet.\(ext)"]?.kind == .ingested)
        #expect(byFile["002-hong.\(ext)"]?.kind == .failed)
        #expect(byFile["003-tai-lieu.pdf"]?.kind == .failed)
        #expect(byFile["005-ban-sao.\(ext)"]?.kind == .duplicate)
        #expect(byFile["004-dang-ghi.tif.part"] == nil)

        let fm = FileManager.default
        let done = try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("done").path)
        let failed = try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("failed").path)
        #expect(done.contains("001-may-quet.\(ext)") && done.contains("005-ban-sao.\(ext)"))
        #expect(failed.contains("002-hong.\(ext)") && failed.contains("002-hong.\(ext).reason.txt"))
        let reason = try String(contentsOf: inbox.appendingPathComponent("failed/003-tai-lieu.pdf.reason.txt"), encoding: .utf8)
        #expect(reason.contains("Không nhận được tệp"))
        #expect(try fm.contentsOfDirectory(atPath: inbox.path).sorted() == ["004-dang-ghi.tif.part", "done", "failed"])

        // One draft, from the first file, with the file's hash recorded with it.
        let drafts = try await station.database.draftSummaries()
        #expect(drafts.count == 1)
        #expect(drafts.first?.form == entry.truth.form)
        let ingested = try #require(try await station.database.ingestedFile(sha256: SHA256.hex(bytes)))
        #expect(ingested.name == "001-may-quet.\(ext)")

        // Dropped again after a restart: still not taken twice.
        try bytes.write(to: inbox.appendingPathComponent("006-lai-lan-nua.\(ext)"))
        let again = try HotFolderWatcher(station: try makeStation(dir.appendingPathComponent("data")), directory: inbox, settle: 0.1)
        let second = await again.drain()
        #expect(second.map(\.kind) == [.duplicate])
        #expect(try await station.database.draftSummaries().count == 1)
    }
}
