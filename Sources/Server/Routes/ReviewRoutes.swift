import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Station
import Store

extension StationServer {
    func addReviewRoutes(_ router: Router<StationContext>) {
        // The queue: drafts with flagged fields, oldest first.
        router.get("/review") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let queue = try await database.reviewQueue()
            return views.page("review-queue", ReviewQueuePage(
                chrome: chrome(user, context), count: queue.count, hasItems: !queue.isEmpty,
                items: queue.map {
                    .init(draftId: $0.draftId, formTitle: app.formTitle($0.form) ?? "Chưa nhận ra mẫu", flagged: $0.flaggedCount,
                          created: Words.time($0.createdAt), claimed: $0.claimedBy != nil, claimedBy: $0.claimedBy ?? "")
                }))
        }
        router.post("/review/next") { [self] request, context in
            let user = try require(.reviewer, request, context)
            try await button(request, context)
            guard let id = try await call({ try await app.drafts.claimNext(by: .user(user)) }) else {
                return Views.redirect("/review")
            }
            return Views.redirect("/review/drafts/\(id)")
        }
        router.get("/review/drafts/:draft") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            guard let (draft, fields) = try await database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            if draft.status != .needsReview {
                return views.page("message", MessagePage(
                    chrome(user, context), title: "Kiểm tra",
                    message: "Hồ sơ \(id) không còn trường nào cần kiểm tra (\(Words.statusName(draft.status))).",
                    isError: false, link: ("/review", "Về danh sách")))
            }
            do {
                try await app.drafts.claim(draftId: id, by: .user(user))
            } catch let e as StationError where e.code == .claimed {
                return views.page("message", MessagePage(
                    chrome(user, context), title: "Kiểm tra", message: "Hồ sơ này đang do một kiểm tra viên khác xử lý.",
                    isError: true, link: ("/review", "Về danh sách")), status: .conflict)
            } catch let e as StationError {
                throw ServerError(e)
            }
            return views.page("review-draft", ReviewDraftPage(
                chrome: chrome(user, context), draft: draft, fields: fields, formTitle: app.formTitle(draft.form),
                error: request.uri.queryParameters.get("error")))
        }
        router.post("/review/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            struct Value: Decodable { var value: String? }
            let fields = try await form(Value.self, request, context)
            do {
                let (updated, _) = try await call {
                    try await app.drafts.edit(draftId: id, key: key, typed: fields.value ?? "", by: .user(user),
                                              requireClaim: true)
                }
                // The last flagged field settled: on to the next draft.
                return Views.redirect(updated.status == .ready ? "/review?done=\(id)" : "/review/drafts/\(id)")
            } catch let refused as RefusedValue {
                return Views.redirect("/review/drafts/\(id)?error=\(Self.query("\(refused.reason) [\(key)]"))#f-\(key)")
            }
        }
        router.post("/review/drafts/:draft/accept") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            try await button(request, context)
            try await call { try await app.drafts.accept(draftId: id, by: .user(user)) }
            return Views.redirect("/review?done=\(id)")
        }
        // JSON for scripts and tests: the same edit.
        router.post("/api/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            struct Edit: Decodable { var value: String? }
            let body = try await json(Edit.self, request, context)
            do {
                let (updated, value) = try await call {
                    try await app.drafts.edit(draftId: id, key: key, typed: body.value ?? "", by: .user(user),
                                              requireClaim: user.role == .reviewer)
                }
                return try Self.jsonResponse(FieldEdited(draftId: id, key: key, value: value, status: updated.status.rawValue))
            } catch let refused as RefusedValue {
                throw ServerError(.badRequest, refused.reason)
            }
        }
        router.get("/api/drafts/:draft") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "draft", prefix: "d")
            guard let (draft, fields) = try await database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            // The same draft contract the CLI prints.
            let body = try DraftDocument(draft: draft, fields: fields).jsonData()
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/api/review/queue") { [self] request, context in
            _ = try require(.reviewer, request, context)
            return try Self.jsonResponse(try await database.reviewQueue().map {
                QueueItem(draftId: $0.draftId, form: $0.form, flagged: $0.flaggedCount, claimedBy: $0.claimedBy)
            })
        }
    }
}

/// `POST /api/drafts/ID/fields/KEY`'s answer.
struct FieldEdited: Encodable {
    var draftId: String
    var key: String
    @Nullable var value: String?
    var status: String
}

/// One line of `GET /api/review/queue`.
struct QueueItem: Encodable {
    var draftId: String
    @Nullable var form: String?
    var flagged: Int
    @Nullable var claimedBy: String?
}

struct ReviewQueuePage {
    struct Item {
        var draftId: String
        var formTitle: String
        var flagged: Int
        var created: String
        var claimed: Bool
        var claimedBy: String
    }

    var chrome: Chrome
    var count: Int
    var hasItems: Bool
    var items: [Item]
}

/// Each flagged field: the crop of the page around it, the value as read, an editor. Enter confirms. With nothing
/// flagged (a kiosk intake), the fields to look over and an accept button.
struct ReviewDraftPage {
    struct Flagged {
        var key: String
        var label: String
        var percent: Int
        var hasCrop: Bool
        var read: String
        var value: String
        var first: Bool
    }

    struct Row {
        var label: String
        var shown: String
    }

    var chrome: Chrome
    var draftId: String
    var batchId: String
    var formTitle: String
    var hasError: Bool
    var error: String
    var hasFlagged: Bool
    var flaggedCount: Int
    var firstPage: Int
    var flagged: [Flagged]
    var fields: [Row]

    init(chrome: Chrome, draft: Draft, fields: [DraftField], formTitle: String?, error: String?) {
        self.chrome = chrome
        draftId = draft.id
        batchId = draft.batchId
        self.formTitle = formTitle ?? "chưa nhận ra mẫu"
        hasError = error != nil
        self.error = error ?? ""
        let doubtful = fields.filter(\.needsReview)
        hasFlagged = !doubtful.isEmpty
        flaggedCount = doubtful.count
        firstPage = doubtful.first?.page ?? 1
        flagged = doubtful.enumerated().map { i, f in
            Flagged(key: f.key, label: Words.label(f.key), percent: Int(f.confidence * 100),
                    hasCrop: f.box != nil && f.page != nil, read: f.raw ?? f.value ?? "—", value: f.value ?? "", first: i == 0)
        }
        self.fields = fields.map { Row(label: Words.label($0.key), shown: $0.value ?? "—") }
    }
}
