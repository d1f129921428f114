import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The generic REST/JSON case-system adapter (`case-system.openapi.yaml`): OAuth2 client credentials (the token is
/// cached and refreshed) or an API key, one multipart upload per dossier with an `Idempotency-Key` header.
public final class RESTCaseSystem: CaseSystem {
    public struct Configuration: Sendable {
        public enum Auth: Sendable {
            case oauth2(clientId: String, clientSecret: String, tokenURL: URL?)
            case apiKey(String)
        }

        /// The API's base address, e.g. `https://dvc.example.gov.vn/lienthong` (paths below it as in the OpenAPI).
        public var baseURL: URL
        public var auth: Auth
        public var connectTimeout: TimeInterval
        /// Time allowed for one whole request and its reply.
        public var requestTimeout: TimeInterval
        /// Plain HTTP is refused except to this machine (the simulator), unless allowed here.
        public var allowInsecureHTTP: Bool
        /// A PEM file of certificate authorities to trust instead of the system's (a provincial private CA).
        public var caFile: String?

        public init(baseURL: URL, auth: Auth, connectTimeout: TimeInterval = 5, requestTimeout: TimeInterval = 60,
                    allowInsecureHTTP: Bool = false, caFile: String? = nil) {
            self.baseURL = baseURL
            self.auth = auth
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.allowInsecureHTTP = allowInsecureHTTP
            self.caFile = caFile
        }

        var tokenURL: URL {
            if case .oauth2(_, _, let url?) = auth { return url }
            return baseURL.appendingPathComponent("oauth/token")
        }
    }

    public let configuration: Configuration
    private let client: HTTPClient
    private let tokens: TokenCache
    private let logger: Logger

    public init(_ configuration: Configuration,
                logger: Logger = Logger(label: "sohoa.delivery", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        guard let scheme = configuration.baseURL.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = configuration.baseURL.host, !host.isEmpty else {
            throw DeliveryError(.configuration, "the case system's address must be an https:// URL")
        }
        if scheme == "http" && !configuration.allowInsecureHTTP && !["127.0.0.1", "localhost", "::1"].contains(host) {
            throw DeliveryError(.configuration, "the case system must be reached over https (plain http only on this machine)")
        }
        self.configuration = configuration
        self.logger = logger
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .milliseconds(Int64(configuration.connectTimeout * 1000)),
                               read: .milliseconds(Int64(configuration.requestTimeout * 1000)))
        config.redirectConfiguration = .disallow
        if let caFile = configuration.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw DeliveryError(.configuration, "cannot read the CA file \(caFile)")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(caFile)
            config.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        tokens = TokenCache()
    }

    /// Closes the connection pool. Call once, when the worker stops.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func submit(_ dossier: OutgoingDossier, idempotencyKey: String) async throws -> CaseReceipt {
        do {
            return try await submitOnce(dossier, idempotencyKey: idempotencyKey)
        } catch let failure as DeliveryFailure where failure.code == "token_expired" {
            // The token was refused before its time (revoked, or the clocks disagree): fetch a new one, try once more.
            await tokens.invalidate()
            do {
                return try await submitOnce(dossier, idempotencyKey: idempotencyKey)
            } catch let again as DeliveryFailure where again.code == "token_expired" {
                // The token endpoint accepts the credentials (a wrong secret is refused there, permanently) but the
                // API refused a fresh token too: trouble on its side, worth trying later.
                throw DeliveryFailure(.retryable, "token_refused", "the case system refused a fresh access token",
                                      status: 401)
            }
        }
    }

    private func submitOnce(_ dossier: OutgoingDossier, idempotencyKey: String) async throws -> CaseReceipt {
        let boundary = "sohoa-" + UUID().uuidString
        var request = HTTPClientRequest(url: configuration.baseURL.appendingPathComponent("api/v1/hoso").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        try await authorize(&request)
        request.body = .bytes(ByteBuffer(bytes: Self.multipart(dossier, boundary: boundary)))

        let (status, headers, body) = try await send(request)
        switch status {
        case 200, 201:
            guard let receipt = try? JSONDecoder().decode(CaseReceipt.self, from: body) else {
                throw DeliveryFailure(.retryable, "bad_reply", "the case system's reply has no dossier code", status: status)
            }
            return receipt
        case 401 where { if case .oauth2 = configuration.auth { return true } else { return false } }():
            throw DeliveryFailure(.retryable, "token_expired", "the access token was refused", status: 401)
        default:
            throw Self.failure(status: status, headers: headers, body: body)
        }
    }

    private func authorize(_ request: inout HTTPClientRequest) async throws {
        switch configuration.auth {
        case .apiKey(let key):
            request.headers.add(name: "X-API-Key", value: key)
        case .oauth2(let id, let secret, _):
            let token = try await tokens.token { [self] in try await fetchToken(clientId: id, clientSecret: secret) }
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
    }

    private func fetchToken(clientId: String, clientSecret: String) async throws -> (String, TimeInterval) {
        var request = HTTPClientRequest(url: configuration.tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let credentials = Data("\(clientId):\(clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
        let (status, headers, body) = try await send(request)
        guard status == 200 else {
            if status == 400 || status == 401 {
                throw DeliveryFailure(.permanent, "auth_rejected",
                                      "the case system refuses the station's client credentials (HTTP \(status))",
                                      status: status)
            }
            throw Self.failure(status: status, headers: headers, body: body)
        }
        struct TokenReply: Decodable {
            var access_token: String
            var expires_in: Double?
        }
        guard let reply = try? JSONDecoder().decode(TokenReply.self, from: body) else {
            throw DeliveryFailure(.retryable, "bad_reply", "the token endpoint's reply has no access token", status: status)
        }
        return (reply.access_token, reply.expires_in ?? 300)
    }

    /// One request; a network problem becomes a retryable failure.
    private func send(_ request: HTTPClientRequest) async throws -> (Int, HTTPHeaders, Data) {
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeout * 1000)))
            let buffer = try await response.body.collect(upTo: 4 << 20)
            return (Int(response.status.code), response.headers, Data(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
                    || error == .connectTimeout {
            throw DeliveryFailure(.retryable, "timeout", "the case system did not answer in time")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.debug("request failed", metadata: ["error": "\(error)"])
            throw DeliveryFailure(.retryable, "network", "the case system cannot be reached (\(Self.describe(error)))")
        }
    }

    static func failure(status: Int, headers: HTTPHeaders, body: Data) -> DeliveryFailure {
        struct ErrorReply: Decodable {
            var error: String?
            var message: String?
        }
        let reply = try? JSONDecoder().decode(ErrorReply.self, from: body)
        let retryAfter = headers.first(name: "Retry-After").flatMap(TimeInterval.init)
        let kind = DeliveryFailure.kind(ofStatus: status)
        let code: String
        switch status {
        case 429: code = "rate_limited"
        case 408: code = "timeout"
        case 500...: code = "server_error"
        case 401, 403: code = "auth_rejected"
        default: code = "rejected"
        }
        var message = "HTTP \(status)"
        if let e = reply?.error { message += " \(e)" }
        if let m = reply?.message { message += ": " + String(m.prefix(300)) }
        return DeliveryFailure(kind, code, message, status: status, retryAfter: retryAfter)
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if error is NIOSSLError || text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "its TLS certificate is not trusted: check the address, or name the provincial CA with --ca-file"
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") { return "connection closed before the reply" }
        return String(text.prefix(120))
    }

    /// `multipart/form-data`: the record as the part `hoso`, then each file as a part `tep`.
    static func multipart(_ dossier: OutgoingDossier, boundary: String) -> Data {
        var body = Data()
        func add(_ s: String) { body.append(Data(s.utf8)) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"hoso\"\r\nContent-Type: application/json\r\n\r\n")
        body.append(dossier.record)
        for file in dossier.files {
            add("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"\(file.name)\"\r\n")
            add("Content-Type: \(file.contentType)\r\n\r\n")
            body.append(file.data)
        }
        add("\r\n--\(boundary)--\r\n")
        return body
    }
}

/// The cached access token, refreshed a little before it expires; concurrent callers share one refresh.
actor TokenCache {
    private var token: String?
    private var expires = Date.distantPast
    private var refreshing: Task<(String, TimeInterval), any Error>?

    func token(fetch: @escaping @Sendable () async throws -> (String, TimeInterval)) async throws -> String {
        if let token, Date() < expires { return token }
        if refreshing == nil { refreshing = Task { try await fetch() } }
        let task = refreshing!
        defer { refreshing = nil }
        let (value, lifetime) = try await task.value
        token = value
        // Refresh before the end: 30 s early, or a tenth of a short lifetime.
        expires = Date().addingTimeInterval(max(0, lifetime - min(30, lifetime / 10)))
        return value
    }

    func invalidate() {
        token = nil
        expires = .distantPast
    }
}
