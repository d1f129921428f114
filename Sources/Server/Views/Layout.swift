import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// HTML-escapes text for element content and attribute values.
func h(_ s: String?) -> String {
    guard let s else { return "" }
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// The station's pages: server-rendered, Vietnamese first, little JavaScript, usable at 1366×768.
enum Layout {
    static func page(_ title: String, user: User?, csrf: String?, body: String, script: String = "") -> Response {
        var nav = ""
        if let user {
            var links: [String] = []
            if user.may(.officer) { links.append("<a href=\"/desk\">Tiếp nhận</a>") }
            if user.may(.reviewer) { links.append("<a href=\"/review\">Kiểm tra</a>") }
            if user.role == .admin { links.append("<a href=\"/admin/audit\">Nhật ký</a>") }
            nav = """
                <nav>\(links.joined(separator: " "))
                <span class="who">\(h(user.displayName)) (\(h(roleName(user.role))))</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="\(h(csrf))">
                <button type="submit" class="link">Đăng xuất</button></form></nav>
                """
        }
        let html = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="csrf-token" content="\(h(csrf))">
            <title>\(h(title)) · Trạm số hóa</title>
            <style>\(css)</style></head>
            <body><header><strong>Trạm số hóa hồ sơ</strong>\(nav)</header>
            <main>\(body)</main>
            <script>\(script)</script>
            </body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                               HTTPField.Name("X-Frame-Options")!: "DENY",
                                               HTTPField.Name("Content-Security-Policy")!:
                                                   "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'self'; img-src 'self' data:"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .officer: "cán bộ tiếp nhận"
        case .reviewer: "kiểm tra viên"
        case .admin: "quản trị"
        }
    }

    static func statusName(_ s: DossierStatus) -> String {
        switch s {
        case .capturing: "đang quét"
        case .processing: "đang đọc"
        case .needsReview: "cần kiểm tra"
        case .ready: "sẵn sàng"
        case .queued: "chờ gửi"
        case .delivered: "đã gửi"
        case .failed: "lỗi"
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static let css = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;font-size:15px;color:#1b1b1b;background:#f4f5f7}
        header{background:#8b1a1a;color:#fff;padding:8px 16px;display:flex;gap:24px;align-items:center}
        header a,header button.link{color:#fff;margin-right:14px;text-decoration:none;font-size:15px}
        header .who{margin-left:auto;margin-right:12px;opacity:.9} nav{display:flex;align-items:center;flex:1}
        main{padding:14px 18px;max-width:1320px} h1{font-size:21px;margin:6px 0 12px}
        .inline{display:inline} button.link{background:none;border:0;cursor:pointer;padding:0}
        button,.button{background:#1f5fa8;color:#fff;border:0;border-radius:4px;padding:7px 14px;font-size:15px;cursor:pointer;text-decoration:none}
        button.secondary{background:#6b7280} button:disabled{background:#aab}
        table{border-collapse:collapse;width:100%;background:#fff} td,th{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left}
        .flagged{background:#fff3cd} .flagged td:first-child{border-left:4px solid #d97706}
        .error{background:#fde2e1;color:#8a1c1c;padding:8px 12px;border-radius:4px;margin:8px 0}
        .note{background:#e6f0fb;padding:8px 12px;border-radius:4px;margin:8px 0}
        .thumbs{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
        .thumb{background:#fff;border:1px solid #ccc;padding:6px;width:150px;text-align:center;font-size:13px}
        .thumb img{width:140px;height:198px;object-fit:contain;background:#eee}
        .cols{display:grid;grid-template-columns:1fr 1fr;gap:18px} .card{background:#fff;padding:12px;border-radius:6px;margin-bottom:12px}
        input[type=text],input[type=password],select{font-size:15px;padding:5px 7px;width:100%;box-sizing:border-box}
        .crop{max-width:100%;border:1px solid #999;background:#fff} .field{margin-bottom:14px}
        .progress{height:10px;background:#ddd;border-radius:5px;overflow:hidden} .progress div{height:100%;background:#1f9d55}
        kbd{background:#eee;border:1px solid #bbb;border-radius:3px;padding:0 4px}
        """
}
