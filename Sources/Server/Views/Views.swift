import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Store

/// The station's pages: Mustache templates (`Resources/templates`, escaped by default: `{{value}}` is always
/// HTML-escaped), server-rendered, Vietnamese first. Styles and scripts are files under `/static/`: no page has an
/// inline script or style, so the Content-Security-Policy can forbid both.
struct Views: Sendable {
    let library: MustacheLibrary

    /// Loads every template shipped with the server.
    static func builtIn() throws -> Views {
        guard let dir = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources") else {
            throw ServerError(.internal, "the page templates are missing from the installation")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        return Views(library: library)
    }

    /// The policy every page is served with: nothing but the station's own files, no inline script or style, no
    /// framing, forms only to the station.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A page rendered from `template` with `model` (a struct whose properties the template names).
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(Self.templateValue(model), withTemplate: template) else {
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Trang \(template) bị thiếu.")))
        }
        return Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A view model as dictionaries, arrays and plain values, reflected once: Mustache then finds every name by a
    /// dictionary lookup instead of reflecting the model again for each tag (a 50-page batch has ~800 of them).
    static func templateValue(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double: return value
        case let dictionary as [String: String]: return dictionary
        case let dictionary as [String: Any]: return dictionary.mapValues(templateValue)
        case let array as [Any]: return array.map(templateValue)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.map { templateValue($0.value) } ?? ""
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                // A property wrapper's storage (`_error`) stands for the property (`error`).
                fields[label.hasPrefix("_") ? String(label.dropFirst()) : label] = templateValue(child.value)
            }
            return fields
        default: return value
        }
    }

    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
    ]

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// What every station page shows around its content: who is signed in, their links, the CSRF token.
struct Chrome {
    var signedIn = false
    var displayName = ""
    var roleName = ""
    var csrf = ""
    var isOfficer = false
    var isReviewer = false
    var isAdmin = false

    init(user: User?, csrf: String?) {
        self.csrf = csrf ?? ""
        guard let user else { return }
        signedIn = true
        displayName = user.displayName
        roleName = Words.roleName(user.role)
        isOfficer = user.may(.officer)
        isReviewer = user.may(.reviewer)
        isAdmin = user.role == .admin
    }
}

/// A page that only says something (a refusal, a note), with a way back.
struct MessagePage {
    var chrome: Chrome
    var title: String
    var message: String
    var isError: Bool
    var hasLink: Bool
    var linkHref: String
    var linkText: String

    init(_ chrome: Chrome, title: String, message: String, isError: Bool, link: (href: String, text: String)? = nil) {
        self.chrome = chrome
        self.title = title
        self.message = message
        self.isError = isError
        hasLink = link != nil
        linkHref = link?.href ?? ""
        linkText = link?.text ?? ""
    }
}

/// Vietnamese names for codes the pages show.
enum Words {
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

    static func time(_ d: Date) -> String { LocalTime.string(d, "HH:mm dd/MM/yyyy") }

    /// What an audit entry's action code means, for the admin's log (the code itself is shown beside it).
    static func actionName(_ code: String) -> String {
        let names = [
            "audit.reanchor": "Neo lại chuỗi nhật ký", "backup.restore": "Khôi phục bản sao lưu",
            "batch.create": "Mở hồ sơ", "batch.read": "Đọc hồ sơ", "batch.reopen": "Mở lại để sửa trang",
            "batch.scan": "Quét giấy tờ", "delivery.cancel": "Hủy gửi hồ sơ", "delivery.retry": "Gửi lại hồ sơ",
            "draft.status": "Đổi trạng thái hồ sơ", "draft.submit": "Nộp hồ sơ", "field.confirm": "Xác nhận trường",
            "field.update": "Sửa trường", "intake.abandon": "Hủy lượt nộp tại kiosk",
            "intake.confirm": "Xác nhận lượt nộp tại kiosk", "kiosk.add": "Thêm kiosk", "kiosk.pair": "Ghép nối kiosk",
            "kiosk.pair-code": "Cấp mã ghép nối kiosk", "kiosk.revoke": "Thu hồi kiosk", "login": "Đăng nhập",
            "login.failed": "Đăng nhập không thành công", "logout": "Đăng xuất", "page.delete": "Xóa trang",
            "page.move": "Đổi thứ tự trang", "page.rescan": "Quét lại trang", "page.rotate": "Xoay trang",
            "page.upload": "Tải trang lên", "retention.purge": "Xóa dữ liệu hết thời hạn lưu trữ",
            "user.create": "Tạo tài khoản",
        ]
        return names[code] ?? "Thao tác khác"
    }

    /// A readable name for a field key.
    static func label(_ key: String) -> String {
        let parts = key.split(separator: ".").map(String.init)
        let who: [String: String] = ["requester": "Người yêu cầu", "child": "Người được khai sinh", "mother": "Mẹ",
                                     "father": "Cha", "applicant": "Người kê khai", "householdHead": "Chủ hộ",
                                     "bride": "Bên nữ", "groom": "Bên nam", "members": "Thành viên"]
        let what: [String: String] = ["fullName": "Họ, chữ đệm, tên", "dateOfBirth": "Ngày sinh", "birthYear": "Năm sinh",
                                      "idNumber": "Số định danh", "residence": "Nơi cư trú", "sex": "Giới tính",
                                      "ethnicity": "Dân tộc", "nationality": "Quốc tịch", "phone": "Số điện thoại",
                                      "email": "Email", "placeOfBirth": "Nơi sinh", "hometown": "Quê quán",
                                      "relationship": "Quan hệ", "relationshipToHead": "Quan hệ với chủ hộ",
                                      "recipient": "Kính gửi", "signedAt": "Làm tại", "signedDate": "Ngày ký",
                                      "copies": "Số bản sao", "request": "Nội dung đề nghị",
                                      "marriageOrdinal": "Kết hôn lần thứ"]
        let field = what[parts.last ?? ""] ?? parts.last ?? key
        if parts.count >= 2, let person = who[parts[0]] {
            return parts.count == 3 ? "\(person) \(parts[1]): \(field)" : "\(person): \(field)"
        }
        return field
    }
}
