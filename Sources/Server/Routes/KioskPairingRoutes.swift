import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Station
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
            struct PairForm: Decodable {
                var _csrf: String?
                var code: String?
            }
            let body = String(decoding: try await smallBody(request, limit: 4 << 10), as: UTF8.self)
            let fields = (try? URLEncodedFormDecoder().decode(PairForm.self, from: body)) ?? PairForm(_csrf: nil, code: nil)
            let api = request.headers[.accept]?.contains("application/json") == true
            if !api {
                // Like the login form: the form's token must match the cookie set with the form.
                try CSRF.checkOrigin(request)
                guard let sent = fields._csrf, let cookie = request.cookies[Self.pairCookie]?.value,
                      CSRF.constantTimeEqual(sent, cookie) else {
                    throw ServerError(.forbidden, "the pairing form is stale: reload the page")
                }
            }
            let keys = ["addr:" + (context.remoteAddress ?? "?"), "station"]
            if let wait = pairThrottle.blocked(keys) {
                let message = "Nhập sai mã quá nhiều lần. Thử lại sau \(Int(wait / 60) + 1) phút."
                var response = try pairFailure(api, message, status: .tooManyRequests, request, context)
                response.headers[.retryAfter] = "\(Int(wait) + 1)"
                return response
            }
            guard let (kiosk, token) = try await call({
                try await app.accounts.pairKiosk(typedCode: fields.code ?? "", from: context.remoteAddress)
            }) else {
                pairThrottle.fail(keys)
                let message = "Mã không đúng, đã dùng hoặc đã hết hạn. "
                    + "Xin cán bộ cấp mã mới (sohoa kiosk pair-code TÊN-KIOSK)."
                return try pairFailure(api, message, status: .unauthorized, request, context)
            }
            pairThrottle.succeed([keys[0]])
            logger.notice("kiosk paired", metadata: ["kiosk": "\(kiosk.name)"])
            struct Paired: Encodable {
                var kiosk: String
                var token: String
            }
            if api { return try Self.jsonResponse(Paired(kiosk: kiosk.name, token: token)) }
            var response = Views.redirect("/kiosk")
            response.setCookie(Cookie(name: KioskCookie.name, value: token, maxAge: 10 * 365 * 86400, path: "/",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Self.pairCookie, value: "", maxAge: 0, path: "/kiosk/pair",
                                      secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// The error as JSON for an API client (returned, not thrown, so that the caller can add `Retry-After`), else
    /// the pairing page with the message.
    private func pairFailure(_ api: Bool, _ message: String, status: HTTPResponse.Status, _ request: Request,
                             _ context: StationContext) throws -> Response {
        if api {
            return try ServerError(status == .tooManyRequests ? .tooManyRequests : .unauthorized, message)
                .response(from: request, context: context)
        }
        var response = pairPage(error: message)
        response.status = status
        return response
    }

    func pairPage(error: String?) -> Response {
        struct PairPage {
            var chrome: Chrome
            var hasError: Bool
            var error: String
            var token: String
        }
        let token = Accounts.randomHex(bytes: 16)
        var response = views.page("kiosk-pair", PairPage(chrome: Chrome(user: nil, csrf: nil), hasError: error != nil,
                                                         error: error ?? "", token: token))
        response.setCookie(Cookie(name: Self.pairCookie, value: token, maxAge: 3600, path: "/kiosk/pair",
                                  secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
