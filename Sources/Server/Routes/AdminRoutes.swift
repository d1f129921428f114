import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import NIOCore
import Store

extension StationServer {
    func addHealthRoutes(_ router: Router<StationContext>) {
        // The only routes without a session: they say nothing about dossiers.
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { [self] _, _ in
            var problems: [String] = []
            do { _ = try database.outboxCounts() } catch { problems.append("database") }
            if !FileManager.default.isWritableFile(atPath: station.blobs.root.path) { problems.append("page store") }
            return try Self.jsonResponse(["ready": problems.isEmpty, "problems": problems],
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
                            body: .init(byteBuffer: ByteBuffer(string: try metricsText())))
        }
    }

    func metricsText() throws -> String {
        let outbox = try database.outboxCounts()
        let review = try database.reviewQueue(limit: 100_000).count
        let pages = try database.pageCounts()
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric("sohoa_pages", "gauge", "Pages in the store by state.",
               PageState.allCases.map { ("{state=\"\($0.rawValue)\"}", Double(pages[$0] ?? 0)) })
        metric("sohoa_ocr_seconds_total", "counter", "Seconds the OCR workers spent reading.",
               [("", station.ocr.busySeconds)])
        metric("sohoa_review_backlog", "gauge", "Drafts waiting for review.", [("", Double(review))])
        metric("sohoa_outbox", "gauge", "Deliveries by state.",
               OutboxState.allCases.map { ("{state=\"\($0.rawValue)\"}", Double(outbox[$0] ?? 0)) })
        metric("sohoa_batch_jobs_running", "gauge", "Scans and reads in progress.", [("", Double(jobs.activeCount))])
        metric("sohoa_http_requests_total", "counter", "HTTP requests by status class.",
               metrics.snapshot().map { ("{code=\"\($0.key)\"}", Double($0.value)) }.sorted { $0.0 < $1.0 })
        return lines.joined(separator: "\n") + "\n"
    }

    func addAdminRoutes(_ router: Router<StationContext>) {
        router.get("/admin/audit") { [self] request, context in
            let user = try require(.admin, request, context)
            let verification = try database.verifyAudit()
            let rows = try database.auditEntries(limit: 300).map { e -> String in
                "<tr><td>\(e.seq)</td><td>\(h(Self.time(e.at)))</td><td>\(h(e.actor))</td><td>\(h(e.action))</td>"
                    + "<td>\(h(e.subject))</td><td><code>\(h(e.detail))</code></td></tr>"
            }.joined()
            let status = verification.isIntact
                ? "<p class=\"note\" id=\"chain\">Chuỗi nhật ký nguyên vẹn (\(verification.entries) mục).</p>"
                : "<p class=\"error\" id=\"chain\">Nhật ký bị sửa đổi tại mục \(verification.brokenAt ?? 0)!</p>"
            let body = """
                <h1>Nhật ký thao tác</h1>\(status)
                <table><tr><th>#</th><th>Lúc</th><th>Người</th><th>Thao tác</th><th>Đối tượng</th><th>Chi tiết</th></tr>\(rows)</table>
                """
            return Layout.page("Nhật ký", user: user, csrf: csrf(context), body: body)
        }
    }

    func addImageRoutes(_ router: Router<StationContext>) {
        // A page's image: the cleaned page once read, else the original; thumbnail or full width.
        router.get("/pages/:batch/:seq") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let page = try database.pages(batchId: id).first(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            let width = request.uri.queryParameters.get("size") == "full" ? 1400 : 280
            let hash = page.cleanedSha256 ?? page.originalSha256
            let blobs = station.blobs
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
            guard let (draft, fields) = try database.draft(id: id), let field = fields.first(where: { $0.key == key }),
                  let box = field.box, let pageNo = field.page,
                  let page = try database.pages(batchId: draft.batchId).filter({ $0.state == .processed })
                      .first(where: { $0.seq == pageNo }) ?? database.pages(batchId: draft.batchId).first(where: { $0.seq == pageNo }),
                  let hash = page.cleanedSha256 else {
                throw ServerError(.notFound, "no image for this field")
            }
            let blobs = station.blobs
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

/// Rendered page images (JPEG), the most recent few hundred, decoded off the event loop.
final class ImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Data] = [:]
    private var order: [String] = []
    private let capacity = 300

    func jpeg(key: String, render: @escaping @Sendable () throws -> Data) async throws -> Data {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let data = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Data, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(with: Result { try render() }) }
        }
        lock.withLock {
            if entries[key] == nil { order.append(key) }
            entries[key] = data
            while order.count > capacity { entries[order.removeFirst()] = nil }
        }
        return data
    }
}
