import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HTTPForms
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Store

/// How the simulated case system behaves, faults included.
public struct SimulatorConfiguration: Sendable {
    public var clientId: String
    public var clientSecret: String
    /// Also accepted instead of a token, in `X-API-Key`.
    public var apiKey: String?
    /// Lifetime of an access token, in seconds.
    public var tokenLifetime: TimeInterval
    /// Share of submissions answered 500/502/503 before anything is stored.
    public var errorRate: Double
    /// Share of submissions stored and then left without a reply (the connection is closed).
    public var dropRate: Double
    /// Share of submissions answered 429 with a `Retry-After`.
    public var throttleRate: Double
    /// Submissions per second above which the simulator answers 429 (nil: no limit).
    public var rateLimit: Double?
    /// Share of submissions whose still-valid token is refused as expired (401).
    public var expireTokenRate: Double
    /// Added before each answer, in seconds (a range: each request draws from it).
    public var latency: ClosedRange<Double>
    /// The `Retry-After` sent with 429 and 503, in seconds.
    public var retryAfter: Int
    /// SQLite file to keep what was received in; nil keeps it in memory.
    public var storePath: String?
    public var maxUploadBytes: Int
    /// PEM certificate chain and private key: serve HTTPS instead of HTTP.
    public var tlsCertificate: String?
    public var tlsKey: String?

    public init(clientId: String, clientSecret: String, apiKey: String? = nil, tokenLifetime: TimeInterval = 300,
                errorRate: Double = 0, dropRate: Double = 0, throttleRate: Double = 0, rateLimit: Double? = nil,
                expireTokenRate: Double = 0, latency: ClosedRange<Double> = 0...0, retryAfter: Int = 1,
                storePath: String? = nil, maxUploadBytes: Int = 100 << 20) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.apiKey = apiKey
        self.tokenLifetime = tokenLifetime
        self.errorRate = errorRate
        self.dropRate = dropRate
        self.throttleRate = throttleRate
        self.rateLimit = rateLimit
        self.expireTokenRate = expireTokenRate
        self.latency = latency
        self.retryAfter = retryAfter
        self.storePath = storePath
        self.maxUploadBytes = maxUploadBytes
    }
}

/// The request context: the connection is kept so that a "dropped reply" fault can close it.
public struct SimulatorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// `sohoa case-sim`: the case-system API of `case-system.openapi.yaml` on a real HTTP server, with a store of what it
/// received and fault injection. Tests, benchmarks and the demo deliver to it.
public final class CaseSimulator: Sendable {
    private let settings: LockedValue<SimulatorConfiguration>
    /// The current settings; fault rates can change while it runs (`update`).
    public var configuration: SimulatorConfiguration { settings.withLock { $0 } }
    let store: SimulatorStore
    let tokens = LockedValue([String: Date]())
    let faults = LockedValue(FaultCounts())
    let bucket: LockedValue<(tokens: Double, at: Date)>
    let logger: Logger

    public init(_ configuration: SimulatorConfiguration,
                logger: Logger = Logger(label: "sohoa.case-sim", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        self.settings = LockedValue(configuration)
        self.store = try SimulatorStore(path: configuration.storePath)
        self.bucket = LockedValue((configuration.rateLimit ?? 0, Date()))
        self.logger = logger
    }

    /// Changes fault rates, latency or credentials of a running simulator (tests: "the case system recovers").
    public func update(_ change: (inout SimulatorConfiguration) -> Void) {
        settings.withLock { change(&$0) }
    }

    struct FaultCounts: Sendable, Codable {
        var requests = 0
        var errors = 0
        var drops = 0
        var throttled = 0
        var expiredTokens = 0
        var unauthorized = 0
        var rejected = 0
    }

    /// The HTTP application on `host:port`; `onRunning` gets the port actually bound (useful with port 0).
    public func application(host: String = "127.0.0.1", port: Int = 8090,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = Router(context: SimulatorContext.self)
        router.get("/_sim/health") { _, _ in "ok" }
        router.get("/_sim/stats") { [self] _, _ in try self.statsResponse() }
        router.post("/oauth/token") { [self] request, context in try await self.issueToken(request, context) }
        router.post("/api/v1/hoso") { [self] request, context in try await self.submit(request, context) }
        router.get("/api/v1/hoso/:code") { [self] request, context in try await self.status(request, context) }
        var server = HTTPServerBuilder.http1()
        let settings = configuration
        if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(.http1(), tlsConfiguration: tls)
        }
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "sohoa-case-sim"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// What it received and the faults it injected, as `GET /_sim/stats` answers.
    public struct Stats: Codable, Sendable, Equatable {
        /// Dossiers stored (one per idempotency key).
        public var received: Int
        /// Distinct station dossier ids among them: equal to `received` unless a station sent one dossier twice
        /// under different keys.
        public var distinctDossiers: Int
        /// Repeat submissions answered with the first receipt (suppressed by idempotency key).
        public var duplicates: Int
        public var bytes: Int
        public var requests: Int
        public var errors: Int
        public var drops: Int
        public var throttled: Int
        public var expiredTokens: Int
        public var unauthorized: Int
        public var rejected: Int
    }

    public func stats() throws -> Stats {
        let c = try store.counts()
        let f = faults.withLock { $0 }
        return Stats(received: c.received, distinctDossiers: c.distinctDossiers, duplicates: c.duplicates,
                     bytes: c.bytes, requests: f.requests, errors: f.errors, drops: f.drops, throttled: f.throttled,
                     expiredTokens: f.expiredTokens, unauthorized: f.unauthorized, rejected: f.rejected)
    }

    /// Receipt codes by idempotency key.
    public func receipts() throws -> [String: String] { try store.receipts() }

    // MARK: Routes

    private func statsResponse() throws -> Response {
        json(.ok, try JSONEncoder().encode(try stats()))
    }

    private func issueToken(_ request: Request, _ context: SimulatorContext) async throws -> Response {
        let configuration = self.configuration
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: 64 << 10))
        struct TokenForm: Decodable {
            var grant_type: String?
            var client_id: String?
            var client_secret: String?
        }
        let form = (try? URLEncodedFormDecoder().decode(TokenForm.self, from: body))
            ?? TokenForm(grant_type: nil, client_id: nil, client_secret: nil)
        var id = form.client_id, secret = form.client_secret
        if let basic = request.headers[.authorization], basic.hasPrefix("Basic "),
           let decoded = Data(base64Encoded: String(basic.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            id = String(decoded[..<colon])
            secret = String(decoded[decoded.index(after: colon)...])
        }
        guard form.grant_type == "client_credentials" else {
            return error(.badRequest, "unsupported_grant_type", "only client_credentials is supported")
        }
        guard id == configuration.clientId, secret == configuration.clientSecret else {
            faults.withLock { $0.unauthorized += 1 }
            return error(.unauthorized, "invalid_client", "unknown client or wrong secret")
        }
        let token = Self.randomToken()
        let lifetime = configuration.tokenLifetime
        tokens.withLock { tokens in
            let now = Date()
            tokens = tokens.filter { $0.value > now }
            tokens[token] = now.addingTimeInterval(lifetime)
        }
        let reply: [String: Any] = ["access_token": token, "token_type": "Bearer", "expires_in": Int(lifetime)]
        return json(.ok, try JSONSerialization.data(withJSONObject: reply))
    }

    private func authorized(_ request: Request) -> Response? {
        let configuration = self.configuration
        if let key = configuration.apiKey, request.headers[HTTPField.Name("X-API-Key")!] == key { return nil }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            faults.withLock { $0.unauthorized += 1 }
            return error(.unauthorized, "invalid_token", "an access token is required", bearer: true)
        }
        let token = String(header.dropFirst(7))
        let valid = tokens.withLock { ($0[token] ?? .distantPast) > Date() }
        guard valid else {
            faults.withLock { $0.expiredTokens += 1 }
            return error(.unauthorized, "invalid_token", "the access token has expired", bearer: true)
        }
        if Double.random(in: 0..<1) < configuration.expireTokenRate {
            tokens.withLock { _ = $0.removeValue(forKey: token) }
            faults.withLock { $0.expiredTokens += 1 }
            return error(.unauthorized, "invalid_token", "the access token has expired", bearer: true)
        }
        return nil
    }

    private func submit(_ request: Request, _ context: SimulatorContext) async throws -> Response {
        let configuration = self.configuration
        faults.withLock { $0.requests += 1 }
        if configuration.latency.upperBound > 0 {
            try await Task.sleep(for: .seconds(Double.random(in: configuration.latency)))
        }
        if let refusal = authorized(request) { return refusal }
        if let limited = throttle() { return limited }
        if Double.random(in: 0..<1) < configuration.errorRate {
            faults.withLock { $0.errors += 1 }
            let status: HTTPResponse.Status = [.internalServerError, .badGateway, .serviceUnavailable].randomElement()!
            var response = error(status, "unavailable", "the case system is temporarily unavailable")
            if status == .serviceUnavailable { response.headers[.retryAfter] = "\(configuration.retryAfter)" }
            return response
        }
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty, key.count <= 200 else {
            return reject(.badRequest, "idempotency_key_required", "send an Idempotency-Key header")
        }
        guard let contentType = request.headers[.contentType], let boundary = Multipart.boundary(contentType) else {
            return reject(.unsupportedMediaType, "multipart_required", "send multipart/form-data")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: configuration.maxUploadBytes)
        } catch {
            return reject(.contentTooLarge, "too_large", "the upload is larger than \(configuration.maxUploadBytes) bytes")
        }
        let data = Data(body.readableBytesView)
        let parts = Multipart.parse(data, boundary: boundary)
        guard let recordPart = parts.first(where: { $0.name == "hoso" }),
              let record = try? JSONDecoder().decode(IncomingRecord.self, from: recordPart.body) else {
            return reject(.badRequest, "invalid_record", "the part 'hoso' must be the dossier's JSON record")
        }
        guard !record.MaHoSoNoiBo.isEmpty, !record.ThanhPhanHoSo.isEmpty else {
            return reject(.unprocessableContent, "invalid_record", "MaHoSoNoiBo and ThanhPhanHoSo are required")
        }
        let files = parts.filter { $0.name == "tep" }
        for declared in record.ThanhPhanHoSo.flatMap(\.TepDinhKem) {
            guard let part = files.first(where: { $0.filename == declared.TenTep }) else {
                return reject(.unprocessableContent, "missing_file", "the file \(declared.TenTep) is named but not sent")
            }
            guard part.body.count == declared.KichThuoc, Self.sha256(part.body) == declared.MaBam.lowercased() else {
                return reject(.unprocessableContent, "checksum_mismatch", "the file \(declared.TenTep) does not match its MaBam")
            }
        }
        let outcome = try store.accept(key: key, internalId: record.MaHoSoNoiBo, procedure: record.MaTTHC,
                                       payloadSha256: Self.sha256(recordPart.body), files: files.count,
                                       bytes: data.count, now: Date())
        guard case .accepted(let receipt) = outcome else {
            return reject(.unprocessableContent, "idempotency_key_reused",
                          "this Idempotency-Key was used for a different dossier")
        }
        if Double.random(in: 0..<1) < configuration.dropRate {
            // Stored, but the station never hears so: it must send again, and the key makes that harmless.
            faults.withLock { $0.drops += 1 }
            try? await context.channel.close()
            return Response(status: .internalServerError)
        }
        let reply: [String: Any] = ["MaHoSo": receipt.code, "MaHoSoNoiBo": receipt.internalId,
                                    "NgayTiepNhan": receipt.receivedAt, "TrangThai": "DaTiepNhan",
                                    "DaTiepNhanTruocDo": receipt.replayed]
        return json(receipt.replayed ? .ok : .created, try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys]))
    }

    private func status(_ request: Request, _ context: SimulatorContext) async throws -> Response {
        if let refusal = authorized(request) { return refusal }
        guard let code = context.parameters.get("code"), let receipt = try store.lookup(code: code) else {
            return error(.notFound, "not_found", "no dossier with this code")
        }
        let reply: [String: Any] = ["MaHoSo": receipt.code, "MaHoSoNoiBo": receipt.internalId,
                                    "NgayTiepNhan": receipt.receivedAt, "TrangThai": "DaTiepNhan"]
        return json(.ok, try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys]))
    }

    /// A token bucket for `rateLimit`, then the random `throttleRate`.
    private func throttle() -> Response? {
        let configuration = self.configuration
        var limited = Double.random(in: 0..<1) < configuration.throttleRate
        if let rate = configuration.rateLimit, !limited {
            limited = bucket.withLock { b in
                let now = Date()
                b.tokens = min(rate, b.tokens + now.timeIntervalSince(b.at) * rate)
                b.at = now
                guard b.tokens >= 1 else { return true }
                b.tokens -= 1
                return false
            }
        }
        guard limited else { return nil }
        faults.withLock { $0.throttled += 1 }
        var response = error(.tooManyRequests, "rate_limited", "too many requests: slow down")
        response.headers[.retryAfter] = "\(configuration.retryAfter)"
        return response
    }

    private func reject(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        faults.withLock { $0.rejected += 1 }
        return error(status, code, message)
    }

    private func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, bearer: Bool = false) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["error": code, "message": message], options: [.sortedKeys]))
            ?? Data()
        var response = json(status, body)
        if bearer { response.headers[.wwwAuthenticate] = "Bearer error=\"\(code)\"" }
        return response
    }

    private func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    static func sha256(_ data: Data) -> String { SHA256.hex(data) }
}

/// The parts of the record the simulator checks (its own reading of the contract, independent of the station's).
struct IncomingRecord: Decodable {
    struct Component: Decodable {
        var TepDinhKem: [File]
    }

    struct File: Decodable {
        var TenTep: String
        var KichThuoc: Int
        var MaBam: String
    }

    var MaHoSoNoiBo: String
    var MaTTHC: String?
    var ThanhPhanHoSo: [Component]
}

/// Runs a simulator until stopped: for tests, benchmarks and `bench-deliver`.
public final class RunningSimulator: Sendable {
    public let simulator: CaseSimulator
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts on `host:port` (0 picks a free port) and returns once it accepts connections.
    public static func start(_ simulator: CaseSimulator, host: String = "127.0.0.1", port: Int = 0) async throws
        -> RunningSimulator {
        let bound = AsyncStream<Int>.makeStream()
        let app = try simulator.application(host: host, port: port) { bound.continuation.yield($0) }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: simulator.logger)
        let task = Task {
            defer { bound.continuation.finish() }
            try await group.run()
        }
        var iterator = bound.stream.makeAsyncIterator()
        guard let actual = await iterator.next() else { throw CancellationError() }
        return RunningSimulator(simulator: simulator, port: actual, group: group, task: task)
    }

    private init(simulator: CaseSimulator, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.simulator = simulator
        self.port = port
        self.group = group
        self.task = task
    }

    public var baseURL: URL {
        URL(string: "\(simulator.configuration.tlsCertificate == nil ? "http" : "https")://127.0.0.1:\(port)")!
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
