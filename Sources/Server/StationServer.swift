import Delivery
import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Pipeline
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
    /// How long a reviewer's hold on a draft lasts without activity.
    public var claimTTL: TimeInterval
    /// A bearer token that may read `/metrics` without a session (a Prometheus scraper).
    public var metricsToken: String?
    /// Seconds without a touch after which a kiosk screen clears itself and returns to the start.
    public var kioskIdle: TimeInterval

    public init(host: String = "127.0.0.1", port: Int = 8080, tls: TLSConfiguration? = nil, secureCookies: Bool? = nil,
                maxUploadBytes: Int = 60 << 20, claimTTL: TimeInterval = 600, metricsToken: String? = nil,
                kioskIdle: TimeInterval = 120) {
        self.kioskIdle = kioskIdle
        self.host = host
        self.port = port
        self.tls = tls
        self.secureCookies = secureCookies ?? (tls != nil)
        self.maxUploadBytes = maxUploadBytes
        self.claimTTL = claimTTL
        self.metricsToken = metricsToken
    }
}

/// `sohoa serve`'s HTTP side: the JSON API and the server-rendered desk, review and admin pages.
public final class StationServer: Sendable {
    public let station: Station
    public let configuration: ServerConfiguration
    public let jobs: BatchJobs
    let scanners: ScannerAccess?
    let editor: FieldEditor
    let throttle = LoginThrottle()
    let metrics = Metrics()
    let images = ImageCache()
    let catalog: ProcedureCatalog
    let logger: Logger
    var kioskIdle: TimeInterval { configuration.kioskIdle }

    /// Verified when a login names no usable account, so that a wrong name costs the same time as a wrong password.
    let dummyPasswordHash: String
    /// Wrong kiosk pairing codes: 10 per address and 30 for the whole station per quarter hour.
    let pairThrottle = LoginThrottle(limits: { $0.hasPrefix("addr:") ? 10 : 30 })

    public init(station: Station, configuration: ServerConfiguration, jobs: BatchJobs, scanners: ScannerAccess?,
                logger: Logger) {
        self.station = station
        self.configuration = configuration
        self.jobs = jobs
        self.scanners = scanners
        self.editor = FieldEditor(templates: station.extractor.templates)
        self.catalog = (try? ProcedureCatalog.builtIn()) ?? ProcedureCatalog(procedures: [])
        self.logger = logger
        self.dummyPasswordHash = (try? PasswordHash.make(randomToken())) ?? ""
    }

    var database: AppDatabase { station.database }

    /// The application, over HTTPS when `configuration.tls` is set; `onRunning` gets the port actually bound.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = Router(context: StationContext.self)
        router.add(middleware: metrics)
        router.add(middleware: SessionMiddleware(database: database))
        addHealthRoutes(router)
        addAuthRoutes(router)
        addDeskRoutes(router)
        addReviewRoutes(router)
        addAdminRoutes(router)
        addImageRoutes(router)
        addKioskRoutes(router)
        addKioskPairingRoutes(router)
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

    /// A URL-encoded form body (up to 64 KB), its CSRF token checked.
    func form(_ request: Request, _ context: StationContext) async throws -> [String: String] {
        let fields = URLEncodedForm.parse(String(decoding: try await smallBody(request), as: UTF8.self))
        try CSRF.check(request, context, formToken: fields["_csrf"])
        return fields
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

    private func smallBody(_ request: Request) async throws -> Data {
        var request = request
        do {
            return Data(try await request.collectBody(upTo: 64 << 10).readableBytesView)
        } catch {
            throw ServerError(.tooLarge, "the request body is larger than 64 KB")
        }
    }

    /// Checks a typed value by its field's type and stores it as settled by `user`: `.refused` says why it cannot
    /// be right. Desk, review and API edits all come through here.
    func edit(draftId: String, key: String, typed: String, user: User, requireClaim: Bool) throws -> EditOutcome {
        guard let (draft, _) = try database.draft(id: draftId) else { throw ServerError(.notFound, "no such draft") }
        switch editor.check(typed, form: draft.form, key: key) {
        case .refused(let why):
            return .refused(why, batchId: draft.batchId)
        case .accepted(let value):
            let updated = try mapped {
                try database.updateField(draftId: draftId, key: key, value: value, needsReview: false, user: user,
                                         requireClaim: requireClaim, claimTTL: configuration.claimTTL)
            }
            return .updated(updated, value: value)
        }
    }

    enum EditOutcome {
        case refused(String, batchId: String)
        case updated(Draft, value: String?)
    }

    func csrf(_ context: StationContext) -> String? { context.session?.csrfToken }

    /// Store errors as HTTP errors.
    func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            switch e.code {
            case .notFound: throw ServerError(.notFound, e.description)
            case .conflict: throw ServerError(.conflict, e.description)
            default: throw ServerError(.internal, "the station's store failed")
            }
        }
    }

    static func jsonResponse(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An id from the path, checked for shape (ids are prefix_ + 26 base-32 characters).
    static func id(_ context: StationContext, _ name: String, prefix: String) throws -> String {
        guard let value = context.parameters.get(name), value.hasPrefix(prefix + "_"), value.count <= 40,
              value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw ServerError(.notFound, "no such \(name)")
        }
        return value
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
