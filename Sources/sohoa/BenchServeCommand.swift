import ArgumentParser
import AsyncHTTPClient
import Foundation
import Imaging
import Logging
import NIOCore
import Pipeline
import Server
import Station
import ServiceLifecycle
import Store

/// A benchmark, not a test: do the desk's pages stay quick while the station reads a long batch?
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-serve",
        abstract: "Load the desk's pages and API with wrk while the station OCRs a batch, and report latency.",
        discussion: """
            Starts the station service on a free loopback port with a fresh data directory, signs an officer in, \
            and measures with wrk (Debian's `wrk`): first idle, then while a --pages batch of the given form pages \
            is being read by the OCR workers on the same cores. Prints requests/s and p50/p95/p99 latency per route \
            in three phases (idle; reading; reading while 4 submits and 4 page rotations run without pause, each             submit building a dossier's searchable PDF, each rotation decoding and re-encoding a page), and whether             reading was still going on when each measurement ended.
            """)

    @Option(name: .long, help: "Pages in the batch being read during the load.") var pages = 50
    @Option(name: .long, help: "Seconds of load per route and phase.") var duration = 10
    @Option(name: .long, help: "wrk connections.") var connections = 8
    @Option(name: .long, help: "OCR workers.") var workers = 2
    @Argument(help: "Form page images (used in turn).") var files: [String]

    func run() async throws {
        let wrk = "/usr/bin/wrk"
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw fail("wrk is not installed (apt-get install wrk)", ExitStatus.usage)
        }
        LoggingSystem.bootstrapOnce()
        var logger = Logger(label: "sohoa.bench")
        logger.logLevel = .critical
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let station = try StationParts(StationConfiguration(dataDirectory: scratch, workers: workers))
        let app = try StationApp(parts: station, logger: logger)
        let password = UUID().uuidString
        let user = try await app.accounts.createUser(username: "bench", displayName: "bench", role: .officer,
                                                     password: password, by: .system)

        // The batch: the form pages, uploaded as the desk would, read later.
        let procedure = station.extractor.templates.compactMap(\.procedure).first ?? ""
        let batch = try await app.batches.open(procedure: procedure, by: .user(user))
        let uploads = try (0..<pages).map { i in
            let url = URL(fileURLWithPath: files[i % files.count])
            return IncomingFile(name: url.lastPathComponent, data: try Data(contentsOf: url))
        }
        _ = try await app.batches.upload(uploads, into: batch.id, by: .user(user))

        // For the third phase: four read drafts to submit (and withdraw, and submit again), and a batch of four pages
        // being captured to turn.
        var drafts: [String] = []
        for i in 0..<4 {
            drafts.append(try await app.batches.process(files: [URL(fileURLWithPath: files[i % files.count])]).draft.id)
        }
        let turning = try await app.batches.open(procedure: procedure, by: .user(user))
        _ = try await app.batches.upload(Array(uploads.prefix(4)), into: turning.id, by: .user(user))
        let edits = EditLoad(app: app, user: user, drafts: drafts, turning: turning.id)

        let jobs = app.jobs
        let server = try StationServer(app: app, configuration: ServerConfiguration(port: 0), logger: logger)
        let bound = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(services: [try server.application { bound.continuation.yield($0) }, jobs],
                                 gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var it = bound.stream.makeAsyncIterator()
            guard let port = await it.next() else { throw CancellationError() }
            let base = "http://127.0.0.1:\(port)"
            let cookie = try await login(base: base, password: password)
            let routes = ["/desk", "/desk/batches/\(batch.id)", "/api/batches/\(batch.id)", "/healthz"]
            var rows: [(String, String, WrkResult)] = []
            for route in routes {
                rows.append(("idle", route, try measure(wrk, base + route, cookie: cookie)))
            }
            let start = Date()
            jobs.submit(.read(batchId: batch.id))
            try await Task.sleep(for: .seconds(3))  // the workers are busy
            var stillReading: [Bool] = []
            for route in routes {
                rows.append(("reading", route, try measure(wrk, base + route, cookie: cookie)))
                stillReading.append(jobs.state(of: batch.id)?.running == true)
            }
            for route in routes {
                let load = Task { try await edits.run() }
                rows.append(("reading+edits", route, try measure(wrk, base + route, cookie: cookie)))
                load.cancel()
                _ = try? await load.value
                stillReading.append(jobs.state(of: batch.id)?.running == true)
            }
            while jobs.state(of: batch.id)?.running == true { try await Task.sleep(for: .milliseconds(200)) }
            let readSeconds = Date().timeIntervalSince(start)
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)

            print("route\tphase\trequests/s\tp50 ms\tp95 ms\tp99 ms\terrors")
            for (phase, route, r) in rows {
                print(String(format: "%@\t%@\t%.0f\t%.2f\t%.2f\t%.2f\t%d", route, phase, r.rps, r.p50, r.p95, r.p99, r.errors))
            }
            print(String(format: "the %d-page batch was read in %.1f s (%.2f s/page) while under load; still reading at "
                         + "the end of %d of %d measurements", pages, readSeconds, readSeconds / Double(pages),
                         stillReading.filter { $0 }.count, stillReading.count))
            print(String(format: "during reading+edits: %d submits and %d rotations done", edits.submits.withLock { $0 },
                         edits.rotations.withLock { $0 }))
            print(String(format: "peak memory %.0f MB", Double(usage.ru_maxrss) / 1024))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Four submit loops (submit, withdraw, submit again) and four rotation loops, until cancelled.
    struct EditLoad: Sendable {
        let app: StationApp
        let user: User
        let drafts: [String]
        let turning: String
        let submits = LockedValue(0)
        let rotations = LockedValue(0)

        func run() async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for draft in drafts {
                    group.addTask {
                        // A loop cancelled between a submit and its withdrawal left the draft queued: withdraw it first.
                        for line in try await app.database.outbox(state: .pending, limit: 100) where line.draftId == draft {
                            try await app.drafts.cancelDelivery(id: line.id, by: .user(user))
                        }
                        while !Task.isCancelled {
                            let queued = try await app.drafts.submit(draftId: draft, acceptFlagged: true, by: .user(user))
                            submits.withLock { $0 += 1 }
                            try await app.drafts.cancelDelivery(id: queued.entry.id, by: .user(user))
                        }
                    }
                }
                for seq in 1...4 {
                    group.addTask {
                        while !Task.isCancelled {
                            try await app.batches.rotate(batchId: turning, seq: seq, by: .user(user))
                            rotations.withLock { $0 += 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    struct WrkResult {
        var rps: Double
        var p50: Double
        var p95: Double
        var p99: Double
        var errors: Int
    }

    /// One wrk run; a small Lua script prints the percentiles wrk does not by default.
    func measure(_ wrk: String, _ url: String, cookie: String) throws -> WrkResult {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-wrk-\(getpid()).lua")
        try Data("""
            done = function(summary, latency, requests)
              io.write(string.format("RESULT %f %f %f %f %d\\n", summary.requests / (summary.duration / 1e6),
                latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
                summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
            end
            """.utf8).write(to: script)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrk)
        p.arguments = ["-t2", "-c\(connections)", "-d\(duration)s", "-s", script.path, "-H", "Cookie: \(cookie)", url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT") }) else {
            throw fail("wrk printed no result for \(url)", ExitStatus.store)
        }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        return WrkResult(rps: v[0], p50: v[1], p95: v[2], p99: v[3], errors: Int(v[4]))
    }

    /// Signs in through the login form as a browser would; returns the session cookie.
    func login(base: String, password: String) async throws -> String {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        do {
            let page = try await client.execute(HTTPClientRequest(url: base + "/login"), timeout: .seconds(10))
            let loginCookie = page.headers["Set-Cookie"].first { $0.hasPrefix("sohoa_login=") }?
                .split(separator: ";")[0] ?? ""
            let token = loginCookie.split(separator: "=").last.map(String.init) ?? ""
            var request = HTTPClientRequest(url: base + "/login")
            request.method = .POST
            request.headers.add(name: "Cookie", value: String(loginCookie))
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "_csrf=\(token)&username=bench&password=\(password)&next=/desk"))
            let reply = try await client.execute(request, timeout: .seconds(10))
            guard let session = reply.headers["Set-Cookie"].first(where: { $0.hasPrefix("sohoa_session=") }) else {
                throw fail("could not sign in to the benchmark station", ExitStatus.store)
            }
            try await client.shutdown()
            return String(session.split(separator: ";")[0])
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
