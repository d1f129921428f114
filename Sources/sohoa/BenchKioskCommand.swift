import ArgumentParser
import AsyncHTTPClient
import Foundation
import Imaging
import Logging
import NIOCore
import Pipeline
import Scanning
import Server
import Station
import ServiceLifecycle
import Store

/// A soak run, not a test: many kiosk sessions in a row through the API, with faults, looking for leaks.
struct BenchKioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-kiosk",
        abstract: "Run kiosk sessions back to back through the API with random faults and look for leaks.",
        discussion: """
            Starts the station on a free loopback port with a kiosk whose scanner is SANE's pnm backend reading the \
            given form page, with faults injected: jams, a scanner that stops answering (the watchdog), citizens \
            who cancel and citizens who walk away (the janitor). Each session creates an intake over HTTP with the \
            kiosk's token, scans one to three sheets, checks and confirms. At the end it checks that every \
            confirmed session has a receipt and a draft in the review queue, that no unfinished intake, page \
            file or job is left, and reports memory growth.
            """)

    @Option(name: .long, help: "Kiosk sessions to run, one after another.") var sessions = 200
    @Option(name: .long, help: "Random seed for the faults.") var seed: UInt64 = 1
    @Option(name: .long, help: "OCR workers.") var workers = 2
    @Argument(help: "A form page image (scanned by the pnm backend).") var form: String

    func run() async throws {
        LoggingSystem.bootstrapOnce()
        var logger = Logger(label: "sohoa.bench")
        logger.logLevel = .critical
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-bench-kiosk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let station = try StationParts(StationConfiguration(dataDirectory: scratch.appendingPathComponent("data"), workers: workers))
        let sheet = scratch.appendingPathComponent("sheet.pgm")
        let source = URL(fileURLWithPath: form)
        try PageImage.load(source, info: try ImageProbe.probe(source)).grayscale().encoded(.pnm).write(to: sheet)
        let sane = scratch.appendingPathComponent("sane")
        try FileManager.default.createDirectory(at: sane, withIntermediateDirectories: true)
        try Data("pnm\n".utf8).write(to: sane.appendingPathComponent("dll.conf"))
        SkipLibraryDestructorsAtExit.install()
        let runtime = try SaneRuntime.shared(configDirectory: sane.path)
        let catalog = try ProfileCatalog.load(extraDirectory: nil)
        let faults = FaultPlan(seed: seed)
        let access = ScannerAccess(devices: ["pnm:0"], options: [OptionSetting(name: "filename", value: sheet.path)]) { name in
            let real = try await runtime.open(name)
            return .init(device: FaultInjectingDevice(real) { faults.next() }, profile: catalog.profile(for: real.info),
                         close: { await real.close() })
        }
        let app = try StationApp(parts: station, scanners: access, scannerWatchdog: 2, logger: logger)
        let (_, code, _) = try await app.accounts.addKiosk(name: "soak", by: .system)
        guard let (_, token) = try await app.accounts.pairKiosk(typedCode: code, from: nil) else {
            throw ValidationError("the soak kiosk could not be paired")
        }

        let jobs = app.jobs
        let server = try StationServer(app: app, configuration: ServerConfiguration(port: 0), logger: logger)
        let janitor = KioskJanitor(station: station, maxAge: 3600, logger: logger)
        let bound = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(services: [try server.application { bound.continuation.yield($0) }, jobs],
                                 gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var it = bound.stream.makeAsyncIterator()
            guard let port = await it.next() else { throw CancellationError() }
            let api = KioskAPI(base: "http://127.0.0.1:\(port)", token: token)
            var outcomes: [String: Int] = [:]
            var receipts: [String] = []
            var rss: [Double] = []
            var walkedAway: [String] = []
            let start = Date()
            for n in 1...sessions {
                let (outcome, value) = try await soakSession(api, faults: faults)
                outcomes[outcome, default: 0] += 1
                if outcome == "receipt", let value { receipts.append(value) }
                if outcome == "walked-away", let value { walkedAway.append(value) }
                if n == min(20, sessions) || n == sessions { rss.append(Self.residentMB()) }
            }
            let elapsed = Date().timeIntervalSince(start)
            // The citizens who walked away: the janitor clears what they left (as if an hour had passed).
            let cleared = try await janitor.sweep(now: Date().addingTimeInterval(7200))
            try await api.shutdown()

            // Leak checks.
            let db = station.database
            let queue = Set(try await db.reviewQueue(limit: 100_000).map(\.draftId))
            var missing = 0
            for number in receipts {
                guard let intake = try await db.intake(number: number), let draft = try await db.draft(batchId: intake.batchId),
                      queue.contains(draft.id) else { missing += 1; continue }
            }
            var leftover = 0
            var referenced = Set<String>()
            for b in try await db.recentBatches(limit: 100_000) {
                if (try? await db.intake(batchId: b.id)) == nil { leftover += 1 }
                for p in try await db.pages(batchId: b.id) {
                    referenced.insert(p.originalSha256)
                    if let c = p.cleanedSha256 { referenced.insert(c) }
                }
            }
            let files = Self.blobFiles(station.blobs.root)
            let orphanFiles = files.subtracting(referenced).count
            let running = jobs.activeCount

            print("sessions: \(sessions) in \(String(format: "%.0f", elapsed)) s "
                  + "(\(String(format: "%.2f", elapsed / Double(sessions))) s each)")
            for (k, v) in outcomes.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v)") }
            print("injected: \(faults.summary)")
            print("receipts: \(receipts.count); without a draft in the review queue: \(missing)")
            print("walked away: \(walkedAway.count); cleared by the janitor: \(cleared)")
            print("unfinished intakes left: \(leftover); page files not used by any page: \(orphanFiles) of \(files.count); "
                  + "jobs still running: \(running)")
            print(String(format: "resident memory after 20 sessions %.0f MB, at the end %.0f MB (growth %.0f MB)",
                         rss.first ?? 0, rss.last ?? 0, (rss.last ?? 0) - (rss.first ?? 0)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if missing > 0 || leftover > 0 || orphanFiles > 0 || running > 0 {
                throw fail("the soak run found leaks (see above)", ExitStatus.partial)
            }
        }
    }

    /// One citizen: returns what happened and the receipt number or intake id.
    func soakSession(_ api: KioskAPI, faults: FaultPlan) async throws -> (String, String?) {
        let intake = try await api.post("/kiosk/intakes", ["procedure": "1.001193"])["intakeId"] as? String ?? ""
        let sheets = faults.int(1...3)
        var scanned = 0
        while scanned < sheets {
            _ = try await api.post("/kiosk/intakes/\(intake)/scan", [:])
            let state = try await api.wait(intake, until: ["scanning-ready", "stopped"])
            scanned = state["pages"] as? Int ?? scanned
            if state["phase"] as? String == "stopped" && faults.chance(0.2) {
                _ = try await api.post("/kiosk/intakes/\(intake)/cancel", ["reason": "gave-up"])
                return ("cancelled-after-fault", nil)
            }
        }
        if faults.chance(0.05) { return ("walked-away", intake) }
        if faults.chance(0.05) {
            _ = try await api.post("/kiosk/intakes/\(intake)/cancel", ["reason": "idle"])
            return ("cancelled", nil)
        }
        _ = try await api.post("/kiosk/intakes/\(intake)/check", [:])
        let checked = try await api.wait(intake, until: ["checked", "stopped"], seconds: 300)
        guard checked["phase"] as? String == "checked" else { return ("check-failed", nil) }
        let receipt = try await api.post("/kiosk/intakes/\(intake)/confirm", [:])["receipt"] as? String
        return receipt == nil ? ("refused: papers missing", nil) : ("receipt", receipt)
    }

    static func residentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    static func blobFiles(_ root: URL) -> Set<String> {
        var found: Set<String> = []
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) ?? .init()
        where !url.hasDirectoryPath && !url.lastPathComponent.hasPrefix(".") {
            found.insert(url.deletingLastPathComponent().lastPathComponent + url.lastPathComponent)
        }
        return found
    }
}

/// Seeded random faults: a jam on 8 % of reads, a hang on 2 %.
final class FaultPlan: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64
    private var jams = 0, hangs = 0

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    private func random() -> Double {
        lock.withLock {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Double(state % 1_000_000) / 1_000_000
        }
    }

    func next() -> FaultInjectingDevice.Fault? {
        let r = random()
        if r < 0.08 { lock.withLock { jams += 1 }; return .jam }
        if r < 0.10 { lock.withLock { hangs += 1 }; return .hang }
        return nil
    }

    func chance(_ p: Double) -> Bool { random() < p }
    func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random() * Double(range.count)) }
    var summary: String { lock.withLock { "\(jams) jams, \(hangs) stuck scans" } }
}

/// The kiosk's API over HTTP with its bearer token.
final class KioskAPI: @unchecked Sendable {
    let base: String
    let token: String
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    init(base: String, token: String) {
        self.base = base
        self.token = token
    }

    func post(_ path: String, _ fields: [String: String]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: fields.map { "\($0.key)=\($0.value)" }.joined(separator: "&")))
        return try await send(request)
    }

    func get(_ path: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> [String: Any] {
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    func wait(_ intake: String, until phases: Set<String>, seconds: Double = 60) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let state = try await get("/api/kiosk/intakes/\(intake)")
            if phases.contains(state["phase"] as? String ?? "") { return state }
            try await Task.sleep(for: .milliseconds(100))
        }
        return [:]
    }

    func shutdown() async throws { try await client.shutdown() }
}
