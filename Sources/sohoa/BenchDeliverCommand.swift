import ArgumentParser
import CaseSimulator
import Delivery
import Foundation
import Logging
import Pipeline
import Station
import Store

/// A benchmark, not a test: how fast does a backlog drain to the case system?
struct BenchDeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-deliver",
        abstract: "Queue a backlog of dossiers and time its delivery to the simulator over loopback HTTP.",
        discussion: """
            Reads one document for real (the files given), builds its package (searchable PDF and record) and \
            times that. Then queues --dossiers deliveries of that document: each has its own draft, record and \
            idempotency key and carries the same real PDF (rendered once). Starts the case-system simulator on a \
            free loopback port and delivers the backlog through the real REST adapter (OAuth2, multipart), \
            printing dossiers per second, the time to drain, attempts and peak memory.
            """)

    @Option(name: .long, help: "Dossiers in the backlog.") var dossiers = 1000
    @Option(name: .long, help: "Deliveries in flight at once.") var concurrency = 4
    @Option(name: .customLong("latency-ms"), help: "Simulator delay per submission, in milliseconds.") var latencyMs = 0.0
    @Option(name: .customLong("error-rate"), help: "Simulator 5xx share.") var errorRate = 0.0
    @Option(name: .long, help: "Tesseract workers for reading the document.") var workers = 2
    @Argument(help: "Page images of one document.") var files: [String]

    func run() async throws {
        LoggingSystem.bootstrapOnce()
        var logger = Logger(label: "sohoa.bench")
        logger.logLevel = .warning
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-bench-deliver-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let st = try StationParts(StationConfiguration(dataDirectory: scratch, workers: workers))

        let app = try StationApp(parts: st, logger: logger)
        let doc = try await app.batches.process(files: files.map { URL(fileURLWithPath: $0) })
        let t0 = Date()
        let first = try await app.drafts.submit(draftId: doc.draft.id, acceptFlagged: true, by: .system).package
        let buildSeconds = Date().timeIntervalSince(t0)
        let pdf = first.record.components[0].files[0]

        // The rest of the backlog: the same pages and fields under new drafts, each with its own record and key.
        let t1 = Date()
        try await app.drafts.queueCopies(of: ProcessedDocumentSnapshot(draft: doc.draft, fields: doc.fields, pages: doc.pages),
                                         count: max(1, dossiers) - 1, sharing: pdf, by: .system)
        let queueSeconds = Date().timeIntervalSince(t1)

        let secret = UUID().uuidString
        let sim = try await RunningSimulator.start(try CaseSimulator(
            SimulatorConfiguration(clientId: "bench", clientSecret: secret, errorRate: errorRate,
                                   latency: (latencyMs / 1000)...(latencyMs / 1000)), logger: logger))
        let client = try RESTCaseSystem(.init(baseURL: sim.baseURL, auth: .oauth2(clientId: "bench", clientSecret: secret,
                                                                                   tokenURL: nil)), logger: logger)
        let worker = app.maintenance.deliveryWorker(
            caseSystem: client,
            configuration: DeliveryConfiguration(concurrency: concurrency, idlePoll: 0.05,
                                                 retry: RetryPolicy(baseDelay: 0.05, maxDelay: 1), retention: nil),
            logger: logger)
        let t2 = Date()
        let summary = try await worker.runUntilEmpty()
        let drainSeconds = Date().timeIntervalSince(t2)
        await client.shutdown()
        let stats = try sim.simulator.stats()
        await sim.stop()

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let counts = try await st.database.outboxCounts()
        print(String(format: "package build (searchable PDF of %d page(s) + record): %.2f s; PDF %d KB",
                     first.record.components[0].pageCount, buildSeconds, pdf.size / 1024))
        print(String(format: "queued %d dossiers in %.1f s (%.1f ms each: draft, record, outbox row)",
                     dossiers, queueSeconds, queueSeconds * 1000 / Double(max(1, dossiers - 1))))
        print(String(format: "delivered %d of %d in %.1f s: %.1f dossiers/s, %.1f MB/s, concurrency %d",
                     counts[.delivered] ?? 0, dossiers, drainSeconds, Double(summary.delivered) / drainSeconds,
                     Double(stats.bytes) / drainSeconds / 1_048_576, concurrency))
        print("attempts \(summary.attempts), retried \(summary.retried), parked \(counts[.parked] ?? 0); simulator: "
              + "received \(stats.received), duplicates \(stats.duplicates), 5xx \(stats.errors)")
        print(String(format: "peak memory %.0f MB", Double(usage.ru_maxrss) / 1024))
    }
}
