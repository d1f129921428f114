import Foundation

/// Where a sign-in may send the browser next: only a path of this station. The GET and POST of `/login` and the
/// redirect to it all pass `next=` through here.
enum LocalRedirect {
    /// Characters a path (and its query) may hold here: printable ASCII without backslash, quotes, `<>` or spaces.
    private static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-._~?=&%:@+,;!*()$")

    /// `candidate` when it is a path of this station (`/desk`, `/review?x=1`), else nil: no scheme
    /// (`https://…`, `javascript:`), no network-path (`//host`), no backslash (`/\host`, which browsers read as
    /// `//host`), no control characters, nothing that leads back to `/login`.
    static func path(_ candidate: String?) -> String? {
        guard let c = candidate, c.utf8.count <= 512, c.hasPrefix("/"), !c.hasPrefix("//"),
              c.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains(Character($0)) }) else { return nil }
        let path = c.prefix { $0 != "?" }
        if path == "/login" || path.hasPrefix("/login/") { return nil }
        return c
    }

    /// The login page's address that comes back to `next` after signing in.
    static func loginLocation(next: String?) -> String {
        guard let safe = path(next), safe != "/" else { return "/login" }
        var keep = CharacterSet.alphanumerics
        keep.insert(charactersIn: "/-._~")
        return "/login?next=" + (safe.addingPercentEncoding(withAllowedCharacters: keep) ?? "/")
    }
}
