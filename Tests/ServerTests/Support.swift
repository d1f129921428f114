import AsyncHTTPClient
import Foundation
import Testing
import Logging
import NIOCore
import NIOHTTP1
import Pipeline
import Server
import ServiceLifecycle
import Station
import Store

let samplesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples")

/// A station service on a free loopback port, with three accounts.
final class RunningStation: Sendable {
    let station: StationParts
    /// The station's use cases, for tests that do what a command would (issue a pairing code).
    let app: StationApp
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>
    static let passwords = ["canbo": "officer-pass-123", "kiemtra": "review-pass-123", "kiemtra2": "review-pass-456",
                            "quantri": "admin-pass-1234"]

    static func start(in existing: URL? = nil, scanners: ScannerAccess? = nil, watchdog: TimeInterval = 45,
                      kioskIdle: TimeInterval = 120) async throws -> RunningStation {
        let dir = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-server-\(UUID().uuidString)")
        let station = try StationParts(StationConfiguration(dataDirectory: dir, workers: 2))
        if try await station.database.userCount() == 0 {
            for (name, role) in [("canbo", Role.officer), ("kiemtra", .reviewer), ("kiemtra2", .reviewer), ("quantri", .admin)] {
                _ = try await station.database.createUser(username: name, displayName: name, role: role,
                                                    passwordHash: try PasswordHash.make(passwords[name]!), actor: "test")
            }
        }
        var logger = Logger(label: "test.serve")
        logger.logLevel = .critical
        let app = try StationApp(parts: station, scanners: scanners, scannerWatchdog: watchdog, logger: logger)
        let jobs = app.jobs
        let server = try StationServer(app: app, configuration: ServerConfiguration(port: 0, maxUploadBytes: 8 << 20, kioskIdle: kioskIdle),
                                       logger: logger)
        let bound = AsyncStream<Int>.makeStream()
        let http = try server.application { bound.continuation.yield($0) }
        let group = ServiceGroup(services: [http, jobs], gracefulShutdownSignals: [], logger: logger)
        try await jobs.resumeInterrupted()
        let task = Task {
            defer { bound.continuation.finish() }
            try await group.run()
        }
        var it = bound.stream.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        return RunningStation(station: station, app: app, port: port, group: group, task: task)
    }

    private init(station: StationParts, app: StationApp, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.station = station
        self.app = app
        self.port = port
        self.group = group
        self.task = task
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A browser-like client: keeps its cookies, does not follow redirects, reads the page's CSRF token.
final class Client: @unchecked Sendable {
    let base: String
    var cookies: [String: String] = [:]
    var csrf: String?
    static let http: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }()

    init(_ station: RunningStation) { base = "http://127.0.0.1:\(station.port)" }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var data: Data
        var location: String? { headers.first(name: "Location") }
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil,
              headers extra: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (k, v) in extra { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.http.execute(request, timeout: .seconds(60))
        for cookie in response.headers["Set-Cookie"] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1] }
        }
        let buffer = try await response.body.collect(upTo: 32 << 20)
        let data = Data(buffer.readableBytesView)
        let text = String(decoding: data, as: UTF8.self)
        if let range = text.range(of: "name=\"csrf-token\" content=\"") {
            let token = text[range.upperBound...].prefix(while: { $0 != "\"" })
            if !token.isEmpty { csrf = String(token) }
        }
        return Reply(status: Int(response.status.code), headers: response.headers, body: text, data: data)
    }

    /// A kiosk's device token, sent as `Authorization: Bearer` (the kiosk API).
    var bearer: String?

    func get(_ path: String) async throws -> Reply { try await send(.GET, path) }

    func post(_ path: String, _ fields: [String: String], csrf withToken: Bool = true,
              headers: [(String, String)] = []) async throws -> Reply {
        var all = fields
        if withToken, let csrf { all["_csrf"] = csrf }
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return try await send(.POST, path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
                              headers: headers)
    }

    /// Opens a desk batch for `procedure` and returns its id.
    func openBatch(_ procedure: String = "1.001193") async throws -> String {
        try #require(try await post("/desk/batches", ["procedure": procedure]).location?
            .split(separator: "/").last.map(String.init))
    }

    func login(_ user: String, password: String? = nil) async throws -> Reply {
        let page = try await get("/login")
        let token = page.body.range(of: "name=\"_csrf\" value=\"").map { page.body[$0.upperBound...].prefix(while: { $0 != "\"" }) }
        let reply = try await post("/login", ["_csrf": String(token ?? ""), "username": user,
                                             "password": password ?? RunningStation.passwords[user] ?? "", "next": "/"],
                                   csrf: false)
        if reply.status == 303, let home = try await get("/").location { _ = try await get(home) }
        return reply
    }

    func upload(_ path: String, files: [(name: String, data: Data)], withToken: Bool = true) async throws -> Reply {
        let boundary = "b-\(UUID().uuidString)"
        var body = Data()
        if withToken, let csrf {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n".utf8))
        }
        for f in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(f.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(f.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await send(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

func waitFor(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
