import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Pipeline
import Station
import Store

/// How the station's HTTP service behaves.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Serve HTTPS with this certificate and key (`StationTLS.serverConfiguration`); nil: plain HTTP, which
    /// `sohoa serve` allows on loopback only.
    public var tls: TLSConfiguration?
    /// Mark cookies `Secure` (on when the station serves HTTPS: browsers keep no Secure cookie from plain HTTP).
    public var secureCookies: Bool
    /// The most one upload request may carry.
    public var maxUploadBytes: Int
    /// A bearer token that may read `/metrics` without a session (a Prometheus scraper).
    public var metricsToken: String?
    /// Seconds without a touch after which a kiosk screen clears itself and returns to the start.
    public var kioskIdle: TimeInterval

    public init(host: String = "127.0.0.1", port: Int = 8080, tls: TLSConfiguration? = nil, secureCookies: Bool? = nil,
                maxUploadBytes: Int = 60 << 20, metricsToken: String? = nil, kioskIdle: TimeInterval = 120) {
        self.kioskIdle = kioskIdle
        self.host = host
        self.port = port
        self.tls = tls
        self.secureCookies = secureCookies ?? (tls != nil)
        self.maxUploadBytes = maxUploadBytes
        self.metricsToken = metricsToken
    }
}

/// `sohoa serve`'s HTTP side: the JSON API and the server-rendered desk, review, admin and kiosk pages. Routes
/// parse the request, call a use case of ``StationApp`` and render its result; they change nothing themselves.
public final class StationServer: Sendable {
    public let app: StationApp
    public let configuration: ServerConfiguration
    let views: Views
    let throttle = LoginThrottle()
    let metrics = Metrics()
    let images = ImageCache()
    let logger: Logger
    var kioskIdle: TimeInterval { configuration.kioskIdle }

    /// Verified when a login names no usable account, so that a wrong name costs the same time as a wrong password.
    let dummyPasswordHash: String
    /// Wrong kiosk pairing codes: 10 per address and 30 for the whole station per quarter hour.
    let pairThrottle = LoginThrottle(limits: { $0.hasPrefix("addr:") ? 10 : 30 })

    public init(app: StationApp, configuration: ServerConfiguration, logger: Logger) throws {
        self.app = app
        self.configuration = configuration
        self.views = try Views.builtIn()
        self.logger = logger
        self.dummyPasswordHash = try Accounts.makeDummyHash()
    }

    /// For reading; changes go through `app`'s use cases.
    var database: AppDatabase { app.database }

    /// The application, over HTTPS when `configuration.tls` is set; `onRunning` gets the port actually bound.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = Router(context: StationContext.self)
        router.add(middleware: metrics)
        router.add(middleware: SessionMiddleware(database: database))
        addHealthRoutes(router)
        addStaticRoutes(router)
        addAuthRoutes(router)
        addDeskRoutes(router)
        addReviewRoutes(router)
        addAdminRoutes(router)
        addImageRoutes(router)
        addKioskRoutes(router)
        addKioskPairingRoutes(router)
        addAPIDocRoutes(router)
        var server = HTTPServerBuilder.http1()
        if let tls = configuration.tls { server = try .tls(.http1(), tlsConfiguration: tls) }
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "sohoa"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    // MARK: Helpers for routes

    /// The signed-in user with the needed role. A page request without a session is sent to the login page; an
    /// API request gets 401.
    func require(_ role: Role, _ request: Request, _ context: StationContext) throws -> User {
        guard let user = context.user else {
            if request.uri.path.hasPrefix("/api/") { throw ServerError(.unauthorized, "sign in first") }
            throw RedirectToLogin(next: request.uri.path)
        }
        guard user.may(role) else { throw ServerError(.forbidden, "your role may not do this") }
        return user
    }

    /// A URL-encoded form body (up to 64 KB) decoded by Hummingbird's form decoder, its CSRF token checked.
    func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: StationContext) async throws -> T {
        let body = String(decoding: try await smallBody(request), as: UTF8.self)
        try CSRF.check(request, context, formToken: try? URLEncodedFormDecoder().decode(CSRFField.self, from: body)._csrf)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: body)
        } catch {
            throw ServerError(.badRequest, "the form is not the one expected: reload the page")
        }
    }

    /// A form with nothing but its CSRF token (a button).
    func button(_ request: Request, _ context: StationContext) async throws {
        _ = try await form(CSRFField.self, request, context)
    }

    /// A JSON body (up to 64 KB), its CSRF token checked (header).
    func json<T: Decodable>(_ type: T.Type, _ request: Request, _ context: StationContext) async throws -> T {
        try CSRF.check(request, context, formToken: nil)
        do {
            return try JSONDecoder().decode(T.self, from: try await smallBody(request))
        } catch let e as ServerError {
            throw e
        } catch {
            throw ServerError(.badRequest, "the request body is not the JSON expected")
        }
    }

    func smallBody(_ request: Request, limit: Int = 64 << 10) async throws -> Data {
        var request = request
        do {
            return Data(try await request.collectBody(upTo: limit).readableBytesView)
        } catch {
            throw ServerError(.tooLarge, "the request body is larger than \(limit >> 10) KB")
        }
    }

    func csrf(_ context: StationContext) -> String? { context.session?.csrfToken }

    func chrome(_ user: User?, _ context: StationContext) -> Chrome { Chrome(user: user, csrf: csrf(context)) }

    /// Runs a use case; its refusals become HTTP errors.
    func call<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as StationError {
            throw ServerError(e)
        }
    }

    /// An Encodable value as JSON (keys sorted).
    static func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// An id from the path, checked for shape (ids are prefix_ + 26 base-32 characters).
    static func id(_ context: StationContext, _ name: String, prefix: String) throws -> String {
        guard let value = context.parameters.get(name), value.hasPrefix(prefix + "_"), value.count <= 40,
              value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw ServerError(.notFound, "no such \(name)")
        }
        return value
    }

    /// A page number from the path.
    static func seq(_ context: StationContext) throws -> Int {
        guard let seq = context.parameters.get("seq", as: Int.self), seq >= 1 else { throw ServerError(.notFound, "no such page") }
        return seq
    }

    static func fieldKey(_ context: StationContext) throws -> String {
        guard let key = context.parameters.get("key"), !key.isEmpty, key.count <= 80,
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }) else {
            throw ServerError(.notFound, "no such field")
        }
        return key
    }

    static func query(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// The CSRF token every form of the station carries.
struct CSRFField: Decodable {
    var _csrf: String?
}

extension ServerError {
    /// A use case's refusal at the HTTP edge.
    init(_ e: StationError) {
        switch e.code {
        case .notFound: self.init(.notFound, e.message)
        case .conflict, .needsReview, .claimed: self.init(.conflict, e.message)
        case .invalid: self.init(.badRequest, e.message)
        case .unusable: self.init(.unprocessable, e.message)
        case .store: self.init(.internal, "the station's store failed")
        }
    }
}

/// Sends a browser without a session to the login page.
struct RedirectToLogin: Error, HTTPResponseError {
    var next: String
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: LocalRedirect.loginLocation(next: next)])
    }
}
