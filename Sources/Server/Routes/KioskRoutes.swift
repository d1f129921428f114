import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import NIOCore
import Station
import Store

/// The self-service kiosk: a device token, not a person, and only its own intakes.
extension StationServer {
    func addKioskRoutes(_ router: Router<StationContext>) {
        router.get("/kiosk") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let lang = Self.language(request)
            struct Home {
                struct Choice {
                    var code: String
                    var title: String
                }

                var procedures: [Choice]
            }
            return kioskPage("kiosk-home", Home(procedures: app.catalog.procedures.map {
                .init(code: $0.code, title: $0.title.in(lang))
            }), kiosk: kiosk, lang: lang, idle: false)
        }
        router.get("/kiosk/procedures/:code") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let lang = Self.language(request)
            guard let code = context.parameters.get("code"), let p = app.catalog.procedure(code) else {
                throw ServerError(.notFound, "no such procedure")
            }
            struct ProcedurePage {
                struct Paper {
                    var title: String
                    var required: Bool
                }

                var code: String
                var title: String
                var papers: [Paper]
            }
            return kioskPage("kiosk-procedure", ProcedurePage(
                code: p.code, title: p.title.in(lang), papers: p.papers.map { .init(title: $0.title.in(lang), required: $0.required) }),
                kiosk: kiosk, lang: lang)
        }
        router.post("/kiosk/intakes") { [self] request, context in
            let kiosk = try requireKiosk(context)
            struct Start: Decodable {
                var procedure: String?
                var phone: String?
            }
            let fields = try await kioskForm(Start.self, request, context, kiosk)
            let batch = try await call {
                try await app.intakes.start(procedure: fields.procedure ?? "", phone: fields.phone, kiosk: kiosk)
            }
            struct Started: Encodable { var intakeId: String }
            if context.kioskByHeader { return try Self.jsonResponse(Started(intakeId: batch.id), status: .created) }
            return Views.redirect("/kiosk/intakes/\(batch.id)")
        }
        router.get("/kiosk/intakes/:batch") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let batch = try await ownBatch(context, kiosk)
            let lang = Self.language(request)
            return kioskPage("kiosk-intake", try await intakePage(batch, lang: lang), kiosk: kiosk, lang: lang,
                             poll: "/api/kiosk/intakes/\(batch.id)")
        }
        router.get("/api/kiosk/intakes/:batch") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let batch = try await ownBatch(context, kiosk)
            return try Self.jsonResponse(try await app.intakes.state(batch))
        }
        router.post("/kiosk/intakes/:batch/:action") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let batch = try await ownBatch(context, kiosk)
            struct Action: Decodable { var reason: String? }
            let fields = try await kioskForm(Action.self, request, context, kiosk)
            let intakes = app.intakes
            switch context.parameters.get("action") ?? "" {
            case "scan":
                try await call { try await intakes.scan(batch, kiosk: kiosk) }
            case "check":
                try await call { try await intakes.check(batch) }
            case "confirm":
                let intake = try await call { try await intakes.confirm(batch, kiosk: kiosk) }
                struct Confirmed: Encodable { var receipt: String }
                if context.kioskByHeader { return try Self.jsonResponse(Confirmed(receipt: intake.number)) }
                return Views.redirect("/kiosk/receipts/\(intake.number)")
            case "cancel":
                try await call { try await intakes.cancel(batch, kiosk: kiosk, reason: fields.reason ?? "cancel") }
                struct Cancelled: Encodable { var cancelled: String }
                if context.kioskByHeader { return try Self.jsonResponse(Cancelled(cancelled: batch.id)) }
                return Views.redirect("/kiosk")
            default:
                throw ServerError(.notFound, "no such action")
            }
            if context.kioskByHeader { return try Self.jsonResponse(try await intakes.state(batch)) }
            return Views.redirect("/kiosk/intakes/\(batch.id)")
        }
        router.post("/kiosk/intakes/:batch/pages/:seq/rescan") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let batch = try await ownBatch(context, kiosk)
            _ = try await kioskForm(CSRFField.self, request, context, kiosk)
            let seq = try Self.seq(context)
            try await call { try await app.intakes.rescan(batch, seq: seq, kiosk: kiosk) }
            return context.kioskByHeader ? try Self.jsonResponse(try await app.intakes.state(batch))
                : Views.redirect("/kiosk/intakes/\(batch.id)")
        }
        router.get("/kiosk/intakes/:batch/pages/:seq") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let batch = try await ownBatch(context, kiosk)
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let page = try await database.pages(batchId: batch.id).first(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            let blobs = app.parts.blobs
            let hash = page.cleanedSha256 ?? page.originalSha256
            let jpeg = try await images.jpeg(key: "\(hash)/\(page.sourcePage)/kiosk") {
                let url = blobs.url(for: hash)
                let image = try PageImage.load(url, page: page.cleanedSha256 == nil ? page.sourcePage : 0,
                                               info: try ImageProbe.probe(url), assumedDPI: page.dpi)
                return try image.scaled(toWidth: min(360, image.width)).encoded(.jpeg(quality: 75))
            }
            return Self.imageResponse(jpeg)
        }
        router.get("/kiosk/receipts/:number") { [self] request, context in
            let kiosk = try requireKiosk(context)
            let lang = Self.language(request)
            let intake = try await call { try await app.intakes.receipt(context.parameters.get("number") ?? "", kiosk: kiosk) }
            struct Receipt {
                var number: String
                var qrSVG: String
                var procedureTitle: String
                var procedureCode: String
                var pageCount: Int
                var date: String
            }
            return kioskPage("kiosk-receipt", Receipt(
                number: intake.number, qrSVG: try QRCode.svg(intake.number),
                procedureTitle: app.catalog.procedure(intake.procedure)?.title.in(lang) ?? intake.procedure,
                procedureCode: intake.procedure, pageCount: intake.pageCount, date: Words.time(intake.createdAt)),
                kiosk: kiosk, lang: lang, idleSeconds: 60)
        }
    }

    // MARK: Helpers

    func requireKiosk(_ context: StationContext) throws -> Kiosk {
        guard let kiosk = context.kiosk else {
            throw ServerError(.unauthorized, "this device is not a paired kiosk: open /kiosk/pair and type the code "
                              + "that `sohoa kiosk pair-code NAME` prints")
        }
        return kiosk
    }

    /// The kiosk's own, unconfirmed intake batch; anything else is "not found" (no hint it exists).
    func ownBatch(_ context: StationContext, _ kiosk: Kiosk) async throws -> Batch {
        let id = try Self.id(context, "batch", prefix: "b")
        return try await call { try await app.intakes.own(id, kiosk: kiosk) }
    }

    /// A kiosk's CSRF token: derived from its device token's hash, so the forms of its own pages carry it.
    func kioskCSRF(_ kiosk: Kiosk) -> String { SHA256.hex(Data("csrf:\(kiosk.tokenHash)".utf8)) }

    /// A kiosk form (URL-encoded, at most 16 KB). From the kiosk's own pages it carries the kiosk's CSRF token; an
    /// API client that sends its token in a header needs none.
    func kioskForm<T: Decodable>(_ type: T.Type, _ request: Request, _ context: StationContext,
                                 _ kiosk: Kiosk) async throws -> T {
        let body = String(decoding: try await smallBody(request, limit: 16 << 10), as: UTF8.self)
        if !context.kioskByHeader {
            try CSRF.checkOrigin(request)
            guard let sent = try? URLEncodedFormDecoder().decode(CSRFField.self, from: body)._csrf,
                  CSRF.constantTimeEqual(sent, kioskCSRF(kiosk)) else {
                throw ServerError(.forbidden, "the page is stale: start again")
            }
        }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: body)
        } catch {
            throw ServerError(.badRequest, "the form is not the one expected: start again")
        }
    }

    static func language(_ request: Request) -> KioskLanguage {
        request.uri.queryParameters.get("lang").flatMap { KioskLanguage(rawValue: String($0)) }
            ?? request.cookies["sohoa_lang"].flatMap { KioskLanguage(rawValue: $0.value) } ?? .vi
    }

    func intakePage(_ batch: Batch, lang: KioskLanguage) async throws -> IntakePage {
        let state = try await app.intakes.state(batch)
        let pages = try await database.pages(batchId: batch.id)
        let canRescan = state.phase == .checked || state.phase == .ready
        return IntakePage(
            id: batch.id, pages: pages.count, hasPages: !pages.isEmpty,
            scanning: state.phase == .scanning, checking: state.phase == .checking, stopped: state.phase == .stopped,
            checked: state.phase == .checked, ready: state.phase == .ready,
            error: state.error ?? "", bad: !state.problems.isEmpty, hasMissing: !state.missing.isEmpty,
            missingText: state.missing.joined(separator: "; "),
            confirmLabel: state.problems.isEmpty ? K.confirm[lang] : K.sendAnyway[lang],
            thumbs: pages.map { p in
                let issues = state.problems["\(p.seq)"] ?? []
                return .init(seq: p.seq, version: String((p.cleanedSha256 ?? p.originalSha256).prefix(10)), bad: !issues.isEmpty,
                             issues: issues.map { K.problem($0, lang) }, canRescan: canRescan)
            })
    }

    /// A kiosk screen: large type, touch targets, an idle timeout that clears it and goes back to the start.
    func kioskPage(_ template: String, _ content: Any, kiosk: Kiosk, lang: KioskLanguage, poll: String = "",
                   idle: Bool = true, idleSeconds: Int? = nil) -> Response {
        var response = views.page(template, KioskScreen(
            content: content, lang: lang.rawValue, otherLang: lang == .vi ? "en" : "vi",
            otherLangName: lang == .vi ? "English" : "Tiếng Việt", t: K.all(lang),
            csrf: kioskCSRF(kiosk), idle: idle ? idleSeconds ?? Int(kioskIdle) : 0, poll: poll).templateValue)
        response.setCookie(Cookie(name: "sohoa_lang", value: lang.rawValue, path: "/kiosk", secure: configuration.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }
}

/// What every kiosk screen has around its content: the language, its words, the kiosk's CSRF token, the idle
/// timeout and what to poll. The content's own properties stand beside them.
struct KioskScreen {
    var content: Any
    var lang: String
    var otherLang: String
    var otherLangName: String
    var t: [String: String]
    var csrf: String
    var idle: Int
    var poll: String

    /// One dictionary for the template: the content's names, then the screen's.
    var templateValue: [String: Any] {
        var fields = Views.templateValue(content) as? [String: Any] ?? [:]
        fields.merge(["lang": lang, "otherLang": otherLang, "otherLangName": otherLangName, "t": t, "csrf": csrf,
                      "idle": idle, "poll": poll]) { _, screen in screen }
        return fields
    }
}

struct IntakePage {
    struct Thumb {
        var seq: Int
        var version: String
        var bad: Bool
        var issues: [String]
        var canRescan: Bool
    }

    var id: String
    var pages: Int
    var hasPages: Bool
    var scanning: Bool
    var checking: Bool
    var stopped: Bool
    var checked: Bool
    var ready: Bool
    var error: String
    var bad: Bool
    var hasMissing: Bool
    var missingText: String
    var confirmLabel: String
    var thumbs: [Thumb]
}

/// The kiosk's words, Vietnamese first.
enum K {
    struct Phrase {
        let vi: String
        let en: String
        subscript(_ lang: KioskLanguage) -> String { lang == .en ? en : vi }
    }

    static let phrases: [String: Phrase] = [
        "brand": Phrase(vi: "Trạm tiếp nhận hồ sơ tự động", en: "Self-service intake"),
        "welcome": Phrase(vi: "Xin chào!", en: "Welcome!"),
        "choose": Phrase(vi: "Chọn thủ tục bạn muốn nộp hồ sơ:", en: "Choose what you are applying for:"),
        "papersNeeded": Phrase(vi: "Chuẩn bị các giấy tờ sau:", en: "Have these papers ready:"),
        "optional": Phrase(vi: "nếu có", en: "if any"),
        "phone": Phrase(vi: "Số điện thoại để nhận thông báo (không bắt buộc)", en: "Phone number for updates (optional)"),
        "start": Phrase(vi: "Bắt đầu", en: "Start"),
        "back": Phrase(vi: "Quay lại", en: "Back"),
        "title": Phrase(vi: "Nộp hồ sơ", en: "Your application"),
        "placePapers": Phrase(vi: "Đặt giấy tờ vào khay nạp giấy", en: "Put your papers in the feeder"),
        "placeHint": Phrase(vi: "Mặt có chữ úp xuống, đầu trang vào trước, rồi nhấn Quét.",
                            en: "Printed side down, top edge first, then press Scan."),
        "scan": Phrase(vi: "Quét", en: "Scan"),
        "scanning": Phrase(vi: "Đang quét… xin đừng lấy giấy ra", en: "Scanning… please leave the papers in"),
        "check": Phrase(vi: "Xong, kiểm tra", en: "Done, check"),
        "checking": Phrase(vi: "Đang kiểm tra các trang…", en: "Checking the pages…"),
        "checkTitle": Phrase(vi: "Kiểm tra các trang đã quét", en: "Check the scanned pages"),
        "pleaseRescan": Phrase(vi: "Một số trang chưa rõ: nhấn Quét lại dưới trang đó.",
                               en: "Some pages are not clear: press Rescan under that page."),
        "missing": Phrase(vi: "Còn thiếu giấy tờ:", en: "Papers missing:"),
        "scanMore": Phrase(vi: "Quét thêm trang", en: "Scan more pages"),
        "rescan": Phrase(vi: "Quét lại", en: "Rescan"),
        "page": Phrase(vi: "Trang", en: "Page"),
        "pages": Phrase(vi: "Số trang", en: "Pages"),
        "pagesLower": Phrase(vi: "trang", en: "pages"),
        "cancel": Phrase(vi: "Hủy, làm lại từ đầu", en: "Cancel and start over"),
        "stopped": Phrase(vi: "Máy quét dừng lại", en: "The scanner stopped"),
        "kept": Phrase(vi: "Các trang đã quét vẫn được giữ:", en: "Pages kept so far:"),
        "continueScan": Phrase(vi: "Tiếp tục quét", en: "Continue scanning"),
        "receipt": Phrase(vi: "Giấy biên nhận", en: "Receipt"),
        "procedure": Phrase(vi: "Thủ tục", en: "Procedure"),
        "date": Phrase(vi: "Ngày nộp", en: "Date"),
        "keep": Phrase(vi: "Giữ số biên nhận này để tra cứu hồ sơ tại bộ phận một cửa hoặc trực tuyến.",
                       en: "Keep this number to follow your application at the desk or online."),
        "print": Phrase(vi: "In biên nhận", en: "Print"),
        "finish": Phrase(vi: "Hoàn tất", en: "Finish"),
        "offline": Phrase(vi: "Mất kết nối với hệ thống. Vui lòng chờ hoặc báo cán bộ; màn hình sẽ trở về đầu.",
                          en: "The system cannot be reached. Please wait or ask an officer; the screen will start over."),
    ]

    static let confirm = Phrase(vi: "Xác nhận nộp", en: "Confirm")
    static let sendAnyway = Phrase(vi: "Vẫn nộp như vậy", en: "Send as it is")

    /// Every phrase in one language, for a screen's template (`{{t.scan}}`).
    static func all(_ lang: KioskLanguage) -> [String: String] { phrases.mapValues { $0[lang] } }

    static func problem(_ code: String, _ lang: KioskLanguage) -> String {
        switch code {
        case "blank": Phrase(vi: "Trang trắng", en: "Blank page")[lang]
        case "upside_down": Phrase(vi: "Trang bị ngược", en: "Upside down")[lang]
        case "too_dark": Phrase(vi: "Quá tối", en: "Too dark")[lang]
        case "blurred": Phrase(vi: "Bị mờ", en: "Blurred")[lang]
        case "cut_off": Phrase(vi: "Bị cắt mất chữ", en: "Cut off")[lang]
        default: Phrase(vi: "Không đọc được", en: "Unreadable")[lang]
        }
    }
}
