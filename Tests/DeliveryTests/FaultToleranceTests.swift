import CaseSimulator
import Delivery
import Foundation
import Logging
import Pipeline
import ServiceLifecycle
import Store
import Testing

/// Exactly once, whatever happens: a faulty case system, a station killed mid-upload, an outage.
@Suite(.serialized) struct FaultToleranceTests {
    /// 200 dossiers through a simulator with 30 % faults (5xx, dropped replies, 429) and refused tokens, while the
    /// delivering process (`sohoa deliver --until-empty`) is killed with SIGKILL at random moments and restarted.
    @Test(.timeLimit(.minutes(6)))
    func everyDossierArrivesExactlyOnceThroughFaultsAndKills() async throws {
        let count = 200
        let data = temporaryDirectory()
        var keys: Set<String> = []
        do {
            let station = try makeStation(data)
            for i in 0..<count {
                await keys.insert(try submit(station, try makeDraft(station, seed: 1000 + i).id).idempotencyKey)
            }
        }
        let sim = try await startSimulator {
            $0.errorRate = 0.1
            $0.dropRate = 0.1
            $0.throttleRate = 0.1
            $0.expireTokenRate = 0.03
            $0.latency = 0.001...0.02
            $0.retryAfter = 1
        }
        var kills = 0, runs = 0, finished = false
        var generator = SystemRandomNumberGenerator()
        while !finished && runs < 200 {
            runs += 1
            let p = Process()
            p.executableURL = sohoaExecutable()
            p.arguments = ["deliver", "--until-empty", "--data", data.path, "--case-system", sim.baseURL.absoluteString,
                           "--concurrency", "4", "--backoff-base", "0.02", "--backoff-max", "0.3", "--timeout", "5",
                           "--keep-pages", "--json"]
            p.environment = stationEnvironment()
            p.standardOutput = FileHandle.nullDevice
            let errors = data.appendingPathComponent("stderr-\(runs).txt")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            p.standardError = try FileHandle(forWritingTo: errors)
            try p.run()
            // The first kills come early (a whole drain can take less than three long windows), later ones anywhere.
            let window = kills < 3 ? 0.15...0.5 : 0.15...1.2
            let deadline = Date().addingTimeInterval(Double.random(in: window, using: &generator))
            while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            p.waitUntilExit()
            if p.terminationReason == .exit && p.terminationStatus != 0 {
                Issue.record("sohoa deliver failed: \(String(decoding: try Data(contentsOf: errors), as: UTF8.self))")
                break
            }
            finished = p.terminationReason == .exit
        }
        #expect(finished, "the queue did not empty in \(runs) runs")
        #expect(kills >= 3, "the station was killed only \(kills) time(s)")

        let station = try makeStation(data)
        let counts = try await station.database.outboxCounts()
        #expect(counts[.delivered] == count, "\(counts)")
        let stats = try sim.simulator.stats()
        #expect(stats.received == count, "each dossier once at the case system")
        #expect(stats.distinctDossiers == count)
        #expect(stats.drops > 0 && stats.errors > 0 && stats.throttled > 0)
        // Replies lost to drops and kills were sent again and suppressed by their keys.
        #expect(stats.duplicates > 0)
        let receipts = try sim.simulator.receipts()
        #expect(Set(receipts.keys).symmetricDifference(keys).isEmpty, "the simulator's keys differ from the station's")
        var rows: [OutboxEntry] = []
        for line in try await station.database.outbox(limit: 1000) {
            if let row = try await station.database.outboxEntry(id: line.id) { rows.append(row) }
        }
        #expect(rows.count == count)
        for row in rows {
            #expect(row.state == .delivered)
            #expect(row.receiptCode != nil && row.receiptCode == receipts[row.idempotencyKey])
        }
        print("fault run: \(count) dossiers, \(runs) station runs, \(kills) SIGKILLs, \(rows.map(\.attempts).reduce(0, +)) "
              + "attempts; simulator: \(stats.requests) submissions, \(stats.errors) 5xx, \(stats.drops) dropped replies, "
              + "\(stats.throttled) 429, \(stats.expiredTokens) refused tokens, \(stats.duplicates) duplicates suppressed")
        await sim.stop()
    }

    /// With the case system down the station keeps working; deliveries resume by themselves when it returns.
    @Test(.timeLimit(.minutes(2)))
    func anOutageDelaysDeliveriesButLosesNothing() async throws {
        let station = try makeStation()
        for i in 0..<5 { try await submit(station, try makeDraft(station, seed: 2000 + i).id) }
        // Find a free port, then leave nothing listening on it: the case system is down.
        let probe = try await startSimulator()
        let port = probe.port
        await probe.stop()

        let client = try restClient(URL(string: "http://127.0.0.1:\(port)")!, timeout: 2)
        let worker = fastWorker(station, client)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [], logger: logger)
        async let running: Void = group.run()

        try await waitUntil(seconds: 20) {
            try await station.database.outbox().allSatisfy { $0.attempts >= 2 && $0.lastErrorCode == "network" }
        }
        // Meanwhile the desk goes on: a paper is read into a draft, and it is submitted.
        let form = samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png")
        let doc = try await DocumentPipeline(station: station).process(files: [form])
        try await submit(station, doc.draft.id, acceptFlagged: true)
        #expect(try await station.database.outboxCounts()[.delivered] == nil)

        // The case system comes back on the same address.
        let sim = try await startSimulator(port: port)
        try await waitUntil(seconds: 30) { try await station.database.outboxCounts()[.delivered] == 6 }
        #expect(try sim.simulator.stats().received == 6)
        #expect(try await station.database.draft(id: doc.draft.id)?.0.status == .delivered)

        await group.triggerGracefulShutdown()
        try await running
        await client.shutdown()
        await sim.stop()
    }

    /// After the retention period, a delivered dossier's page images, PDF, record, field values and OCR text leave
    /// the station; its receipt and hashes stay, and a file another dossier still needs is kept.
    @Test func retentionRemovesDeliveredPagesOnly() async throws {
        let station = try makeStation()
        let shared = try renderPage(station, seed: 77).page.originalSha256
        let sharedBytes = try station.blobs.data(for: shared)
        let delivered = try await makeDraft(station, seed: 3001, shareOriginal: sharedBytes)
        let waiting = try await makeDraft(station, seed: 3002, shareOriginal: sharedBytes)
        let entry = try await submit(station, delivered.id)
        let sim = try await startSimulator()
        let client = try restClient(sim.baseURL)
        // Nothing is old enough yet: a 30-day retention keeps everything.
        let keep = fastWorker(station, client, retention: 30 * 86400)
        let summary = try await keep.runUntilEmpty()
        #expect(summary.delivered == 1)
        #expect(summary.purged.dossiers == 0)
        try await submit(station, waiting.id)  // queued after the run: stays pending

        let pages = try await station.database.pages(batchId: delivered.batchId)
        let record = try #require(try await station.database.outboxEntry(id: entry.id)?.recordSha256)
        let pdf = try JSONDecoder().decode(DossierRecord.self, from: station.blobs.data(for: record)).components[0].files[0]
        #expect(station.blobs.contains(pdf.sha256))

        // A file stored or reused just now is spared (it may belong to a page being captured): nothing goes.
        let fresh = try await Retention(database: station.database, blobs: station.blobs)
            .purge(deliveredBefore: Date().addingTimeInterval(1))
        #expect(fresh.files == 0 && fresh.dossiers == 0)
        #expect(station.blobs.contains(pdf.sha256))
        #expect(try await station.database.outboxEntry(id: entry.id)?.purgedAt == nil)
        // Days later.
        try ageFiles(in: station.blobs.root, by: 86400)
        let purged = try await Retention(database: station.database, blobs: station.blobs)
            .purge(deliveredBefore: Date().addingTimeInterval(1))
        #expect(purged.dossiers == 1)
        #expect(purged.files == 3)  // the cleaned page, the PDF and the record; the shared original stays
        #expect(!station.blobs.contains(pages[0].cleanedSha256!))
        #expect(!station.blobs.contains(pdf.sha256))
        #expect(station.blobs.contains(shared))
        #expect(!station.blobs.contains(record))
        let after = try await #require(try station.database.outboxEntry(id: entry.id))
        #expect(after.purgedAt != nil && after.receiptCode != nil && after.recordSha256 == record)
        await #expect(try station.database.pages(batchId: delivered.batchId).allSatisfy { $0.purgedAt != nil && $0.ocr == nil })
        await #expect(try station.database.draft(id: delivered.id)?.1.allSatisfy { $0.value == nil && $0.raw == nil } == true)
        await #expect(try station.database.draft(id: waiting.id)?.1.allSatisfy { $0.value != nil } == true)
        await #expect(try station.database.verifyAudit().isIntact)
        await #expect(try station.database.pages(batchId: waiting.batchId).allSatisfy { $0.purgedAt == nil })
        // Run again: nothing more to do.
        await #expect(try Retention(database: station.database, blobs: station.blobs)
            .purge(deliveredBefore: Date().addingTimeInterval(1)).dossiers == 0)
        await client.shutdown()
        await sim.stop()
    }
}

/// Moves every file's modification time back, as if it had been stored that long ago.
func ageFiles(in root: URL, by seconds: TimeInterval) throws {
    let old = Date().addingTimeInterval(-seconds)
    let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
    for file in files where !file.hasDirectoryPath {
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
    }
}

func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}
