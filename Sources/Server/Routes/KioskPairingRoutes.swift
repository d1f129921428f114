import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Pairing a kiosk: the kiosk's own browser opens `/kiosk/pair` and types the one-time code that `sohoa kiosk add` or
/// `sohoa kiosk pair-code` printed; the station answers with the kiosk's device token in an HttpOnly cookie. No token
/// ever travels in a URL. An API client posts the code with `Accept: application/json` and gets the token to send
/// as `Authorization: Bearer`.
extension StationServer {
    static let pairCookie = "sohoa_pair"

    func addKioskPairingRoutes(_ router: Router<StationContext>) {
        router.get("/kiosk/pair") { [self] _, _ in pairPage(error: nil) }
        router.post("/kiosk/pair") { [self] request, context in
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: 4 << 10) } catch {
                throw ServerError(.tooLarge, "the pairing form is larger than 4 KB")
            }
            let fields = URLEncodedForm.parse(String(buffer: body))
            let api = request.headers[.accept]?.contains("application/json") == true
            if !api {
                // Like the login form: the form's token must match the cookie set with the form.
                try CSRF.checkOrigin(request)
                guard let sent = fields["_csrf"], let cookie = request.cookies[Self.pairCookie]?.value,
                      CSRF.constantTimeEqual(sent, cookie) else {
                    throw ServerError(.forbidden, "the pairing form is stale: reload the page")
                }
            }
            let keys = ["addr:" + (context.remoteAddress ?? "?"), "station"]
            if let wait = pairThrottle.blocked(keys) {
                let message = "Nhập sai mã quá nhiều lần. Thử lại sau \(Int(wait / 60) + 1) phút."
                var response = try pairFailure(api, message, status: .tooManyRequests)
                response.headers[.retryAfter] = "\(Int(wait) + 1)"
                return response
            }
            let token = randomToken()
            guard let code = KioskPairing.normalize(fields["code"] ?? ""),
                  let kiosk = try database.redeemKioskPairingCode(
                      codeHash: KioskPairing.hash(normalized: code), newTokenHash: SHA256.hex(Data(token.utf8)),
                      from: context.remoteAddress) else {
                pairThrottle.fail(keys)
                let message = "Mã không đúng, đã dùng hoặc đã hết hạn. "
                    + "Xin cán bộ cấp mã mới (sohoa kiosk pair-code TÊN-KIOSK)."
                return try pairFailure(api, message, status: .unauthorized)
            }
            pairThrottle.succeed([keys[0]])
            logger.notice("kiosk paired", metadata: ["kiosk": "\(kiosk.name)"])
            if api { return try Self.jsonResponse(["kiosk": kiosk.name, "token": token]) }
            var response = Layout.redirect("/kiosk")
            response.setCookie(Cookie(name: KioskCookie.name, value: token, maxAge: 10 * 365 * 86400, path: "/",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Self.pairCookie, value: "", maxAge: 0, path: "/kiosk/pair",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    private func pairFailure(_ api: Bool, _ message: String, status: HTTPResponse.Status) throws -> Response {
        if api { throw ServerError(status == .tooManyRequests ? .tooManyRequests : .unauthorized, message) }
        var response = pairPage(error: message)
        response.status = status
        return response
    }

    func pairPage(error: String?) -> Response {
        let token = randomToken(bytes: 16)
        let body = """
            <div class="card" style="max-width:460px;margin:40px auto">
            <h1>Ghép nối kiosk</h1>
            \(error.map { "<p class=\"error\" role=\"alert\" id=\"pair-error\">\(h($0))</p>" } ?? "")
            <p>Nhập mã ghép nối 8 ký tự do cán bộ quản trị cấp bằng lệnh <code>sohoa kiosk add</code> hoặc \
            <code>sohoa kiosk pair-code</code>. Mã chỉ dùng một lần và hết hạn sau 15 phút.</p>
            <p lang="en"><small>Pair this kiosk: type the 8-character code printed by <code>sohoa kiosk add</code> or \
            <code>sohoa kiosk pair-code</code> (one use, valid 15 minutes).</small></p>
            <form method="post" action="/kiosk/pair">
            <input type="hidden" name="_csrf" value="\(token)">
            <p><label>Mã ghép nối<br><input type="text" name="code" id="code" autocomplete="off" autocapitalize="characters"
            spellcheck="false" maxlength="12" placeholder="ABCD-EFGH" autofocus required></label></p>
            <p><button type="submit" id="pair">Ghép nối</button></p>
            </form></div>
            """
        var response = Layout.page("Ghép nối kiosk", user: nil, csrf: nil, body: body)
        response.setCookie(Cookie(name: Self.pairCookie, value: token, maxAge: 3600, path: "/kiosk/pair",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
