import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import Store

extension StationServer {
    func addAuthRoutes(_ router: Router<StationContext>) {
        router.get("/") { [self] request, context in
            let user = try require(.officer, request, context, anyRole: true)
            return Layout.redirect(user.may(.officer) ? "/desk" : "/review")
        }
        router.get("/login") { request, _ in
            self.loginPage(error: nil, next: LocalRedirect.path(request.uri.queryParameters.get("next")))
        }
        router.post("/login") { [self] request, context in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 10)
            let fields = URLEncodedForm.parse(String(buffer: body))
            // Login CSRF: the form's token must match the cookie set with the form.
            guard let sent = fields["_csrf"], let cookie = request.cookies["sohoa_login"]?.value,
                  CSRF.constantTimeEqual(sent, cookie) else {
                throw ServerError(.forbidden, "the login form is stale: reload the page")
            }
            let username = (fields["username"] ?? "").trimmingCharacters(in: .whitespaces)
            let password = fields["password"] ?? ""
            let keys = ["user:" + username.lowercased(), "addr:" + (context.remoteAddress ?? "?")]
            if let wait = throttle.blocked(keys) {
                var response = loginPage(error: "Đăng nhập sai quá nhiều lần. Thử lại sau \(Int(wait / 60) + 1) phút.",
                                         next: LocalRedirect.path(fields["next"]))
                response.status = .tooManyRequests
                response.headers[.retryAfter] = "\(Int(wait) + 1)"
                return response
            }
            // An unknown or disabled name costs the same yescrypt as a known one: timing does not tell which exist.
            let active = try database.user(username: username).flatMap { $0.disabledAt == nil ? $0 : nil }
            let matches = PasswordHash.verify(password, against: active?.passwordHash ?? dummyPasswordHash)
            guard let user = active, matches else {
                throttle.fail(keys)
                try database.recordFailedLogin(username: username, from: context.remoteAddress)
                var response = loginPage(error: "Sai tên đăng nhập hoặc mật khẩu.",
                                         next: LocalRedirect.path(fields["next"]))
                response.status = .unauthorized
                return response
            }
            throttle.succeed(keys)
            let token = randomToken()
            _ = try database.createSession(user: user, tokenHash: SHA256.hex(Data(token.utf8)), csrfToken: randomToken(),
                                           lifetime: SessionCookie.lifetime, from: context.remoteAddress)
            let next = LocalRedirect.path(fields["next"]) ?? "/"
            var response = Layout.redirect(next)
            response.setCookie(Cookie(name: SessionCookie.name, value: token, maxAge: Int(SessionCookie.lifetime), path: "/",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { [self] request, context in
            _ = try await form(request, context)
            if let session = context.session {
                try database.endSession(tokenHash: session.tokenHash, actor: context.user?.username ?? "-")
            }
            var response = Layout.redirect("/login")
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
        let token = randomToken(bytes: 16)
        let body = """
            <div class="card" style="max-width:380px;margin:40px auto">
            <h1>Đăng nhập</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(h($0))</p>" } ?? "")
            <form method="post" action="/login">
            <input type="hidden" name="_csrf" value="\(token)">
            <input type="hidden" name="next" value="\(h(next ?? "/"))">
            <p><label>Tên đăng nhập<br><input type="text" name="username" id="username" autocomplete="username" autofocus required></label></p>
            <p><label>Mật khẩu<br><input type="password" name="password" id="password" autocomplete="current-password" required></label></p>
            <p><button type="submit" id="login">Đăng nhập</button></p>
            </form></div>
            """
        var response = Layout.page("Đăng nhập", user: nil, csrf: nil, body: body)
        response.setCookie(Cookie(name: "sohoa_login", value: token, maxAge: 3600, path: "/login",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
