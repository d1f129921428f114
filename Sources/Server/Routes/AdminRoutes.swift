import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import NIOCore
import Station
import Store

extension StationServer {
    func addHealthRoutes(_ router: Router<StationContext>) {
        // The only routes without a session: they say nothing about dossiers.
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { [self] _, _ in
            var problems: [String] = []
            do { _ = try await database.outboxCounts() } catch { problems.append("database") }
            if !FileManager.default.isWritableFile(atPath: app.parts.blobs.root.path) { problems.append("page store") }
            struct Readiness: Encodable {
                var ready: Bool
                var problems: [String]
            }
            return try Self.jsonResponse(Readiness(ready: problems.isEmpty, problems: problems),
                                         status: problems.isEmpty ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { [self] request, context in
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let tokenOK = configuration.metricsToken.map { t in bearer.map { CSRF.constantTimeEqual($0, t) } ?? false } ?? false
            if !tokenOK {
                guard let user = context.user else { throw ServerError(.unauthorized, "sign in or send the metrics token") }
                guard user.role == .admin else { throw ServerError(.forbidden, "admins only") }
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: try await metricsText())))
        }
    }

    func metricsText() async throws -> String {
        let outbox = try await database.outboxCounts()
        let review = try await database.reviewQueue(limit: 100_000).count
        let pages = try await database.pageCounts()
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric("sohoa_pages", "gauge", "Pages in the store by state.",
               PageState.allCases.map { ("{state=\"\($0.rawValue)\"}", Double(pages[$0] ?? 0)) })
        metric("sohoa_ocr_seconds_total", "counter", "Seconds the OCR workers spent reading.",
               [("", app.parts.ocr.busySeconds)])
        metric("sohoa_review_backlog", "gauge", "Drafts waiting for review.", [("", Double(review))])
        metric("sohoa_outbox", "gauge", "Deliveries by state.",
               OutboxState.allCases.map { ("{state=\"\($0.rawValue)\"}", Double(outbox[$0] ?? 0)) })
        metric("sohoa_batch_jobs_running", "gauge", "Scans and reads in progress.", [("", Double(app.jobs.activeCount))])
        metric("sohoa_http_requests_total", "counter", "HTTP requests by status class.",
               metrics.snapshot().map { ("{code=\"\($0.key)\"}", Double($0.value)) }.sorted { $0.0 < $1.0 })
        return lines.joined(separator: "\n") + "\n"
    }

    func addAdminRoutes(_ router: Router<StationContext>) {
        // The audit log, newest first, 100 entries a page (`?before=SEQ` for older ones), optionally about one
        // subject (`?subject=b_…`). Only the clear detail is shown: whether an entry seals citizens' values, and
        // whether retention destroyed them, but never the values.
        router.get("/admin/audit") { [self] request, context in
            let user = try require(.admin, request, context)
            let query = request.uri.queryParameters
            let subject = query.get("subject").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            if let subject, subject.count > 100 { throw ServerError(.badRequest, "the subject is too long") }
            var before: Int64?
            if let text = query.get("before"), !text.isEmpty {
                guard let seq = Int64(text), seq > 0 else { throw ServerError(.badRequest, "before must be an entry number") }
                before = seq
            }
            let verification = try await database.verifyAudit()
            var entries = try await database.auditEntries(limit: AuditPage.pageSize + 1, subject: subject, before: before)
            let hasOlder = entries.count > AuditPage.pageSize
            entries = Array(entries.prefix(AuditPage.pageSize))
            let filter = subject.map { "&subject=\(Self.query($0))" } ?? ""
            return views.page("admin-audit", AuditPage(
                chrome: chrome(user, context), intact: verification.isIntact, entries: verification.entries,
                brokenAt: verification.brokenAt ?? 0, subject: subject ?? "", filtered: subject != nil,
                paged: before != nil, newestHref: "/admin/audit" + (subject.map { "?subject=\(Self.query($0))" } ?? ""),
                hasOlder: hasOlder, olderHref: "/admin/audit?before=\(entries.last?.seq ?? 0)" + filter,
                empty: entries.isEmpty, rows: entries.map(AuditPage.Row.init)))
        }
    }

    /// The pages' styles and scripts (no dossier data in them, so no session is needed: the login page uses them).
    func addStaticRoutes(_ router: Router<StationContext>) {
        let files = StaticFiles.builtIn()
        router.get("/static/:file") { _, context in
            guard let name = context.parameters.get("file"), let file = files[name] else {
                throw ServerError(.notFound, "no such file")
            }
            return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=3600",
                                                   HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
    }

    func addImageRoutes(_ router: Router<StationContext>) {
        // A page's image: the cleaned page once read, else the original; thumbnail or full width.
        router.get("/pages/:batch/:seq") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let page = try await database.pages(batchId: id).first(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            let width = request.uri.queryParameters.get("size") == "full" ? 1400 : 280
            let hash = page.cleanedSha256 ?? page.originalSha256
            let blobs = app.parts.blobs
            let jpeg = try await images.jpeg(key: "\(hash)/\(page.sourcePage)/\(width)") {
                let url = blobs.url(for: hash)
                guard blobs.contains(hash) else { throw ServerError(.notFound, "this page's image was removed") }
                let image = try PageImage.load(url, page: page.cleanedSha256 == nil ? page.sourcePage : 0,
                                               info: try ImageProbe.probe(url), assumedDPI: page.dpi)
                return try image.scaled(toWidth: min(width, image.width)).encoded(.jpeg(quality: 75))
            }
            return Self.imageResponse(jpeg)
        }
        // The crop of the cleaned page around a field's box, for the reviewer.
        router.get("/drafts/:draft/fields/:key/crop") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            guard let (draft, fields) = try await database.draft(id: id), let field = fields.first(where: { $0.key == key }),
                  let box = field.box, let pageNo = field.page,
                  let page = try await database.pages(batchId: draft.batchId).first(where: { $0.seq == pageNo }),
                  let hash = page.cleanedSha256 else {
                throw ServerError(.notFound, "no image for this field")
            }
            let blobs = app.parts.blobs
            let jpeg = try await images.jpeg(key: "\(hash)/crop/\(box)") {
                let url = blobs.url(for: hash)
                guard blobs.contains(hash) else { throw ServerError(.notFound, "this page's image was removed") }
                let image = try PageImage.load(url, info: try ImageProbe.probe(url), assumedDPI: page.dpi)
                let margin = max(20, box[3])
                let rect = PixelRect(x: box[0] - margin * 2, y: box[1] - margin, width: box[2] + margin * 4,
                                     height: box[3] + margin * 2).intersection(image.bounds)
                let crop = try image.cropped(to: rect)
                return try (crop.width > 1200 ? crop.scaled(toWidth: 1200) : crop).encoded(.jpeg(quality: 85))
            }
            return Self.imageResponse(jpeg)
        }
    }

    static func imageResponse(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Counts responses by status class; the one middleware every request passes.
final class Metrics: RouterMiddleware, @unchecked Sendable {
    typealias Context = StationContext
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func handle(_ request: Request, context: StationContext,
                next: (Request, StationContext) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            count(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            count(error.status.code)
            throw error
        } catch {
            count(500)
            throw error
        }
    }

    private func count(_ code: Int) {
        lock.withLock { counts["\(code / 100)xx", default: 0] += 1 }
    }

    func snapshot() -> [String: Int] { lock.withLock { counts } }
}

/// The files under `Resources/static`, read once.
enum StaticFiles {
    struct File: Sendable {
        var data: Data
        var contentType: String
    }

    static func builtIn() -> [String: File] {
        guard let dir = Bundle.module.url(forResource: "static", withExtension: nil, subdirectory: "Resources"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [:] }
        var files: [String: File] = [:]
        for name in names {
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(name)) else { continue }
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            files[name] = File(data: data, contentType: type)
        }
        return files
    }
}

/// Rendered page images (JPEG), the most recent few hundred, decoded off the cooperative pool.
final class ImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Data] = [:]
    private var order: [String] = []
    private let capacity = 300

    func jpeg(key: String, render: @escaping @Sendable () throws -> Data) async throws -> Data {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let data = try await Blocking.run(render)
        lock.withLock {
            if entries[key] == nil { order.append(key) }
            entries[key] = data
            while order.count > capacity { entries[order.removeFirst()] = nil }
        }
        return data
    }
}

/// `GET /admin/audit`: one page of the log.
struct AuditPage {
    static let pageSize = 100

    struct Row {
        var seq: Int64
        var at: String
        var actor: String
        var actionName: String
        var action: String
        var subject: String
        var hasSubject: Bool
        var subjectHref: String
        var detail: String
        /// `none`, `sealed` or `destroyed` (a CSS class and a test hook).
        var values: String
        var valuesLabel: String

        init(_ e: AuditEntry) {
            seq = e.seq
            at = Words.time(e.at)
            actor = e.actor
            actionName = Words.actionName(e.action)
            action = e.action
            subject = e.subject ?? ""
            hasSubject = e.subject != nil
            subjectHref = "/admin/audit?subject=" + StationServer.query(e.subject ?? "")
            detail = e.detail ?? ""
            values = e.values.rawValue
            valuesLabel = switch e.values {
            case .none: "Không có"
            case .sealed: "Đã niêm phong"
            case .destroyed: "Đã hủy theo thời hạn lưu trữ"
            }
        }
    }

    var chrome: Chrome
    var intact: Bool
    var entries: Int
    var brokenAt: Int64
    var subject: String
    var filtered: Bool
    var paged: Bool
    var newestHref: String
    var hasOlder: Bool
    var olderHref: String
    var empty: Bool
    var rows: [Row]
}
