import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import NIOCore
import Station
import Store

extension StationServer {
    func addDeskRoutes(_ router: Router<StationContext>) {
        router.get("/desk") { [self] request, context in
            let user = try require(.officer, request, context)
            return views.page("desk", DeskPage(
                chrome: chrome(user, context),
                procedures: app.parts.extractor.templates.map { .init(code: $0.procedure ?? "", title: $0.title) },
                batches: try await database.recentBatches().map {
                    .init(id: $0.id, status: Words.statusName($0.status), pages: $0.pageCount, created: Words.time($0.createdAt))
                }))
        }
        router.post("/desk/batches") { [self] request, context in
            let user = try require(.officer, request, context)
            struct Open: Decodable { var procedure: String? }
            let fields = try await form(Open.self, request, context)
            let batch = try await call { try await app.batches.open(procedure: fields.procedure ?? "", by: .user(user)) }
            return Views.redirect("/desk/batches/\(batch.id)")
        }
        router.get("/desk/batches/:batch") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let batch = try await database.batch(id: id) else { throw ServerError(.notFound, "no such batch") }
            return views.page("desk-batch", try await deskPage(batch, user: user, context: context,
                                                               error: request.uri.queryParameters.get("error")))
        }
        router.get("/api/batches/:batch") { [self] request, context in
            _ = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let batch = try await database.batch(id: id) else { throw ServerError(.notFound, "no such batch") }
            return try Self.jsonResponse(BatchStatus(
                id: id, status: batch.status.rawValue, pages: try await database.pages(batchId: id).count,
                draftId: try await database.draft(batchId: id)?.id, job: app.jobs.state(of: id).map(BatchStatus.Job.init)))
        }
        router.post("/desk/batches/:batch/upload") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            let files = try await uploadedFiles(request, context)
            let outcome = try await call { try await app.batches.upload(files, into: id, by: .user(user)) }
            let refused = outcome.refused.joined(separator: "; ")
            return Views.redirect("/desk/batches/\(id)" + (refused.isEmpty ? "" : "?error=" + Self.query(refused)))
        }
        router.post("/desk/batches/:batch/scan") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            struct Scan: Decodable { var device: String? }
            let fields = try await form(Scan.self, request, context)
            try await call { try await app.batches.scan(batchId: id, device: fields.device ?? "", by: .user(user)) }
            return Views.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/read") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            try await button(request, context)
            try await call { try await app.batches.read(batchId: id, by: .user(user)) }
            return Views.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/reopen") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            try await button(request, context)
            try await call { try await app.batches.reopen(batchId: id, by: .user(user)) }
            return Views.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/pages/:seq/:action") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            let seq = try Self.seq(context)
            struct PageAction: Decodable {
                var to: Int?
                var device: String?
            }
            let fields = try await form(PageAction.self, request, context)
            let batches = app.batches
            try await call {
                switch context.parameters.get("action") ?? "" {
                case "delete": try await batches.delete(batchId: id, seq: seq, by: .user(user))
                case "rotate": try await batches.rotate(batchId: id, seq: seq, by: .user(user))
                case "rescan": try await batches.rescan(batchId: id, seq: seq, device: fields.device ?? "", by: .user(user))
                case "move":
                    guard let to = fields.to else { throw StationError(.invalid, "say where to move it") }
                    try await batches.move(batchId: id, seq: seq, to: to, by: .user(user))
                default: throw StationError(.notFound, "no such page action")
                }
            }
            return Views.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            struct Value: Decodable { var value: String? }
            let fields = try await form(Value.self, request, context)
            do {
                let (draft, _) = try await call {
                    try await app.drafts.edit(draftId: id, key: key, typed: fields.value ?? "", by: .user(user),
                                              requireClaim: false)
                }
                return Views.redirect("/desk/batches/\(draft.batchId)#fields")
            } catch let refused as RefusedValue {
                return Views.redirect("/desk/batches/\(refused.batchId)?error=\(Self.query("\(refused.reason) [\(key)]"))")
            }
        }
        router.post("/desk/drafts/:draft/submit") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            try await button(request, context)
            guard let (draft, fields) = try await database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            do {
                _ = try await app.drafts.submit(draftId: id, by: .user(user))
            } catch let e as StationError where e.code == .needsReview {
                let why = draft.form == nil ? "Chưa nhận ra mẫu đơn: hồ sơ này cần kiểm tra viên xem."
                    : "Còn \(fields.filter(\.needsReview).count) trường cần kiểm tra: sửa hoặc xác nhận trước khi nộp."
                return Views.redirect("/desk/batches/\(draft.batchId)?error=" + Self.query(why))
            } catch let e as StationError {
                throw ServerError(e)
            }
            return Views.redirect("/desk/batches/\(draft.batchId)")
        }
    }

    /// The files of a multipart upload (its CSRF token checked).
    func uploadedFiles(_ request: Request, _ context: StationContext) async throws -> [IncomingFile] {
        guard let contentType = request.headers[.contentType], let boundary = Multipart.boundary(contentType) else {
            throw ServerError(.badRequest, "send the files as multipart/form-data")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: configuration.maxUploadBytes)
        } catch {
            throw ServerError(.tooLarge, "the upload is larger than \(configuration.maxUploadBytes >> 20) MB")
        }
        let parts = Multipart.parse(Data(body.readableBytesView), boundary: boundary)
        try CSRF.check(request, context, formToken: parts.first { $0.name == "_csrf" }.map { String(decoding: $0.body, as: UTF8.self) })
        return parts.filter { $0.name == "files" && !$0.body.isEmpty }.map {
            IncomingFile(name: $0.filename ?? "trang", data: $0.body)
        }
    }

    func deskPage(_ batch: Batch, user: User, context: StationContext, error: String?) async throws -> DeskBatchPage {
        let pages = try await database.pages(batchId: batch.id)
        let job = app.jobs.state(of: batch.id)
        let capturing = batch.status == .capturing && job?.running != true
        let devices = app.scanners?.devices ?? []
        var drafts: [DeskBatchPage.DraftView] = []
        if let draft = try await database.draft(batchId: batch.id), let (_, fields) = try await database.draft(id: draft.id) {
            let flagged = fields.filter(\.needsReview).count
            let editable = draft.status == .needsReview || draft.status == .ready
            drafts.append(.init(
                id: draft.id, formTitle: app.formTitle(draft.form) ?? "Chưa nhận ra mẫu",
                status: Words.statusName(draft.status),
                summary: flagged == 0 ? "Không còn trường nào cần kiểm tra."
                    : "\(flagged) trường cần kiểm tra (tô vàng): sửa rồi nhấn Enter để xác nhận.",
                editable: editable, canSubmit: flagged == 0 && draft.form != nil,
                fields: fields.map { f in
                    .init(draftId: draft.id, key: f.key, label: Words.label(f.key), value: f.value ?? "",
                          flagged: f.needsReview, editable: editable,
                          state: f.needsReview ? "cần kiểm tra"
                            : (f.confirmedBy.map { "đã xác nhận (\($0))" } ?? "\(Int(f.confidence * 100)) %"))
                }))
        }
        return DeskBatchPage(
            chrome: chrome(user, context),
            batch: .init(id: batch.id, status: Words.statusName(batch.status), statusCode: batch.status.rawValue),
            hasError: error != nil, error: error ?? "",
            job: .init(job),
            thumbs: pages.map { p in
                .init(seq: p.seq, version: String((p.cleanedSha256 ?? p.originalSha256).prefix(12)), failed: p.state == .failed,
                      previous: max(1, p.seq - 1), rescanDevices: devices.prefix(1).map { $0 })
            },
            capturing: capturing, devices: devices, hasDevices: !devices.isEmpty, hasPages: !pages.isEmpty,
            pageCount: pages.count, draftId: drafts.first?.id ?? "", drafts: drafts)
    }
}

/// `GET /api/batches/ID`: where a batch is, for the desk page's polling.
struct BatchStatus: Encodable {
    struct Job: Encodable {
        var kind: String
        var running: Bool
        var done: Int
        @Nullable var total: Int?
        @Nullable var error: String?

        init(_ s: JobState) {
            kind = s.kind
            running = s.running
            done = s.pagesDone
            total = s.pagesTotal
            error = s.error
        }
    }

    var id: String
    var status: String
    var pages: Int
    @Nullable var draftId: String?
    @Nullable var job: Job?
}

struct DeskPage {
    struct Procedure {
        var code: String
        var title: String
    }

    struct Row {
        var id: String
        var status: String
        var pages: Int
        var created: String
    }

    var chrome: Chrome
    var procedures: [Procedure]
    var batches: [Row]
}

struct DeskBatchPage {
    struct BatchView {
        var id: String
        var status: String
        /// The status as the API names it (`capturing`…), for the page's polling script.
        var statusCode: String
    }

    struct JobView {
        var running = false
        var label = ""
        var done = 0
        var totalText = ""
        var max = 1
        var hasError = false
        var error = ""

        init(_ job: JobState?) {
            guard let job else { return }
            if job.running {
                running = true
                label = job.kind == "scan" ? "Đang quét" : "Đang đọc"
                done = job.pagesDone
                totalText = job.pagesTotal.map { "/\($0)" } ?? ""
                max = Swift.max(1, job.pagesTotal ?? job.pagesDone)
            } else if let e = job.error {
                hasError = true
                error = e
            }
        }
    }

    struct Thumb {
        var seq: Int
        var version: String
        var failed: Bool
        var previous: Int
        var rescanDevices: [String]
    }

    struct FieldView {
        var draftId: String
        var key: String
        var label: String
        var value: String
        var flagged: Bool
        var editable: Bool
        var state: String
    }

    struct DraftView {
        var id: String
        var formTitle: String
        var status: String
        var summary: String
        var editable: Bool
        var canSubmit: Bool
        var fields: [FieldView]
    }

    var chrome: Chrome
    var batch: BatchView
    var hasError: Bool
    var error: String
    var job: JobView
    var thumbs: [Thumb]
    var capturing: Bool
    var devices: [String]
    var hasDevices: Bool
    var hasPages: Bool
    var pageCount: Int
    /// The draft's id, or empty: what the page showed, for its polling script.
    var draftId: String
    var drafts: [DraftView]
}
