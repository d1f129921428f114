import Foundation
import HTTPTypes
import Hummingbird
import Station
import Store

extension StationServer {
    func addAuthRoutes(_ router: Router<StationContext>) {
        router.get("/") { [self] request, context in
            let user = try require(.officer, request, context, anyRole: true)
            return Views.redirect(user.may(.officer) ? "/desk" : "/review")
        }
        router.get("/login") { request, _ in
            self.loginPage(error: nil, next: LocalRedirect.path(request.uri.queryParameters.get("next")))
        }
        router.post("/login") { [self] request, context in
            struct LoginForm: Decodable {
                var _csrf: String?
                var username: String?
                var password: String?
                var next: String?
            }
            let body = String(decoding: try await smallBody(request, limit: 16 << 10), as: UTF8.self)
            let fields = (try? URLEncodedFormDecoder().decode(LoginForm.self, from: body))
                ?? LoginForm(_csrf: nil, username: nil, password: nil, next: nil)
            // Login CSRF: the form's token must match the cookie set with the form.
            guard let sent = fields._csrf, let cookie = request.cookies["sohoa_login"]?.value,
                  CSRF.constantTimeEqual(sent, cookie) else {
                throw ServerError(.forbidden, "the login form is stale: reload the page")
            }
            let username = (fields.username ?? "").trimmingCharacters(in: .whitespaces)
            let password = fields.password ?? ""
            let keys = ["user:" + username.lowercased(), "addr:" + (context.remoteAddress ?? "?")]
            if let wait = throttle.blocked(keys) {
                var response = loginPage(error: "Đăng nhập sai quá nhiều lần. Thử lại sau \(Int(wait / 60) + 1) phút.",
                                         next: LocalRedirect.path(fields.next))
                response.status = .tooManyRequests
                response.headers[.retryAfter] = "\(Int(wait) + 1)"
                return response
            }
            guard let user = try await call({
                try await app.accounts.login(username: username, password: password, from: context.remoteAddress,
                                             dummyHash: dummyPasswordHash)
            }) else {
                throttle.fail(keys)
                var response = loginPage(error: "Sai tên đăng nhập hoặc mật khẩu.", next: LocalRedirect.path(fields.next))
                response.status = .unauthorized
                return response
            }
            throttle.succeed(keys)
            let (token, _) = try await call {
                try await app.accounts.openSession(user, lifetime: SessionCookie.lifetime, from: context.remoteAddress)
            }
            let next = LocalRedirect.path(fields.next) ?? "/"
            var response = Views.redirect(next)
            response.setCookie(Cookie(name: SessionCookie.name, value: token, maxAge: Int(SessionCookie.lifetime), path: "/",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { [self] request, context in
            try await button(request, context)
            if let session = context.session, let user = context.user {
                try await call { try await app.accounts.endSession(tokenHash: session.tokenHash, by: .user(user)) }
            }
            var response = Views.redirect("/login")
            response.setCookie(Cookie(name: SessionCookie.name, value: "", maxAge: 0, path: "/",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// Any signed-in user (for `/`), or a role.
    func require(_ role: Role, _ request: Request, _ context: StationContext, anyRole: Bool) throws -> User {
        guard anyRole else { return try require(role, request, context) }
        guard let user = context.user else {
            if request.uri.path.hasPrefix("/api/") { throw ServerError(.unauthorized, "sign in first") }
            throw RedirectToLogin(next: request.uri.path)
        }
        return user
    }

    func loginPage(error: String?, next: String?) -> Response {
        struct LoginPage {
            var chrome: Chrome
            var hasError: Bool
            var error: String
            var token: String
            var next: String
        }
        let token = Accounts.randomHex(bytes: 16)
        var response = views.page("login", LoginPage(chrome: Chrome(user: nil, csrf: nil), hasError: error != nil,
                                                     error: error ?? "", token: token, next: next ?? "/"))
        response.setCookie(Cookie(name: "sohoa_login", value: token, maxAge: 3600, path: "/login",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
