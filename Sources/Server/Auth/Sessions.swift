import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Station
import Store

/// What a request carries through the server: the signed-in user and session, and the peer's address.
public struct StationContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    public var session: SessionRecord?
    /// A kiosk device, signed in by its token (a cookie set at pairing, or `Authorization: Bearer`).
    public var kiosk: Kiosk?
    /// The kiosk's token came in a header (an API client), not a cookie: no CSRF token is needed.
    public var kioskByHeader = false
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Uploads are read by the desk's own routes, with their own limit.
    public var maxUploadSize: Int { 64 << 10 }
}

/// Cookie names and lifetimes.
enum SessionCookie {
    static let name = "sohoa_session"
    static let lifetime: TimeInterval = 10 * 3600  // a working day
}

enum KioskCookie {
    static let name = "sohoa_kiosk"
}

/// Finds the session named by the request's cookie; it does not refuse anything (routes say who may enter).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = StationContext
    let database: AppDatabase

    func handle(_ request: Request, context: StationContext,
                next: (Request, StationContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[SessionCookie.name]?.value, token.count == 64,
           let (session, user) = try await database.session(tokenHash: Accounts.tokenHash(token)) {
            context.session = session
            context.user = user
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        if let token = bearer ?? request.cookies[KioskCookie.name]?.value, token.count == 64,
           let kiosk = try await database.kiosk(tokenHash: Accounts.tokenHash(token)) {
            context.kiosk = kiosk
            context.kioskByHeader = bearer != nil
        }
        return try await next(request, context)
    }
}

/// Refuses state-changing requests that do not prove they come from the station's own pages: the session's CSRF
/// token in the `X-CSRF-Token` header or the `_csrf` form field, and no foreign `Origin`.
enum CSRF {
    static let header = HTTPField.Name("X-CSRF-Token")!

    static func check(_ request: Request, _ context: StationContext, formToken: String?) throws {
        try checkOrigin(request)
        guard let session = context.session else { throw ServerError(.unauthorized, "sign in first") }
        let sent = request.headers[header] ?? formToken
        guard let sent, constantTimeEqual(sent, session.csrfToken) else {
            throw ServerError(.forbidden, "the form's security token is missing or stale: reload the page")
        }
    }

    /// A request that names its origin must come from one of the station's own pages.
    static func checkOrigin(_ request: Request) throws {
        if let origin = request.headers[.origin] {
            // The page that sent it must be one of ours: same host and port as the request was addressed to.
            let authority = (request.head.authority ?? "").lowercased()
            guard let url = URL(string: origin), let host = url.host?.lowercased(),
                  authority == host + (url.port.map { ":\($0)" } ?? "") else {
                throw ServerError(.forbidden, "cross-site request refused")
            }
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Too many failed logins for one name (5) or from one address (20: desks may share one) lock that door for a
/// while.
final class LoginThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    let window: TimeInterval
    private let limits: @Sendable (String) -> Int

    init(window: TimeInterval = 15 * 60, limits: @escaping @Sendable (String) -> Int = { $0.hasPrefix("addr:") ? 20 : 5 }) {
        self.window = window
        self.limits = limits
    }

    func limit(_ key: String) -> Int { limits(key) }

    /// Seconds until `keys` may try again, or nil when they may now.
    func blocked(_ keys: [String], now: Date = Date()) -> TimeInterval? {
        lock.withLock {
            var wait: TimeInterval?
            for key in keys {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent
                if recent.count >= limit(key), let oldest = recent.first {
                    wait = max(wait ?? 0, window - now.timeIntervalSince(oldest))
                }
            }
            return wait
        }
    }

    func fail(_ keys: [String], now: Date = Date()) {
        lock.withLock { for key in keys { failures[key, default: []].append(now) } }
    }

    func succeed(_ keys: [String]) {
        lock.withLock { for key in keys { failures[key] = nil } }
    }
}
