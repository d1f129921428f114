import Foundation
import HTTPTypes
import Hummingbird
import Store

extension StationServer {
    func addReviewRoutes(_ router: Router<StationContext>) {
        // The queue: drafts with flagged fields, oldest first.
        router.get("/review") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let queue = try database.reviewQueue()
            let rows = queue.map { item -> String in
                """
                <tr><td><a href="/review/drafts/\(h(item.draftId))">\(h(item.draftId))</a></td>
                <td>\(h(item.form.flatMap { editor.titles[$0] } ?? "Chưa nhận ra mẫu"))</td>
                <td>\(item.flaggedCount)</td><td>\(h(Self.time(item.createdAt)))</td>
                <td>\(item.claimedBy.map { "đang do \(h($0)) xử lý" } ?? "")</td></tr>
                """
            }.joined()
            let body = """
                <h1>Hồ sơ cần kiểm tra (\(queue.count))</h1>
                <form method="post" action="/review/next"><input type="hidden" name="_csrf" value="\(h(csrf(context)))">
                <button type="submit" id="next" \(queue.isEmpty ? "disabled" : "")>Nhận hồ sơ tiếp theo</button></form>
                <table><tr><th>Hồ sơ</th><th>Mẫu</th><th>Trường cần kiểm tra</th><th>Tiếp nhận</th><th></th></tr>\(rows)</table>
                """
            return Layout.page("Kiểm tra", user: user, csrf: csrf(context), body: body)
        }
        router.post("/review/next") { [self] request, context in
            let user = try require(.reviewer, request, context)
            _ = try await form(request, context)
            guard let id = try database.claimNextForReview(user: user, ttl: configuration.claimTTL) else {
                return Layout.redirect("/review")
            }
            return Layout.redirect("/review/drafts/\(id)")
        }
        router.get("/review/drafts/:draft") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            guard let (draft, fields) = try database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            if draft.status != .needsReview {
                return Layout.page("Kiểm tra", user: user, csrf: csrf(context), body: """
                    <p class="note">Hồ sơ \(h(id)) không còn trường nào cần kiểm tra (\(h(Layout.statusName(draft.status)))).</p>
                    <p><a class="button" href="/review">Về danh sách</a></p>
                    """)
            }
            do {
                try mapped { try database.claimForReview(draftId: id, user: user, ttl: configuration.claimTTL) }
            } catch let e as ServerError where e.code == .conflict {
                var response = Layout.page("Kiểm tra", user: user, csrf: csrf(context), body: """
                    <p class="error">Hồ sơ này đang do một kiểm tra viên khác xử lý.</p><p><a href="/review">Về danh sách</a></p>
                    """)
                response.status = .conflict
                return response
            }
            let message = request.uri.queryParameters.get("error")
            return Layout.page("Kiểm tra \(id)", user: user, csrf: csrf(context),
                               body: reviewBody(draft, fields, error: message, csrf: csrf(context)), script: Self.reviewScript)
        }
        router.post("/review/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            let fields = try await form(request, context)
            switch try edit(draftId: id, key: key, typed: fields["value"] ?? "", user: user, requireClaim: true) {
            case .refused(let why, _):
                return Layout.redirect("/review/drafts/\(id)?error=\(Self.query("\(why) [\(key)]"))#f-\(key)")
            case .updated(let updated, _):
                // The last flagged field settled: on to the next draft.
                return Layout.redirect(updated.status == .ready ? "/review?done=\(id)" : "/review/drafts/\(id)")
            }
        }
        router.post("/review/drafts/:draft/accept") { [self] request, context in
            let user = try require(.reviewer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            _ = try await form(request, context)
            try mapped { try database.acceptReviewedDraft(draftId: id, user: user) }
            return Layout.redirect("/review?done=\(id)")
        }
        // JSON for scripts and tests: the same edit.
        router.post("/api/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            struct Edit: Decodable { var value: String? }
            let body = try await json(Edit.self, request, context)
            switch try edit(draftId: id, key: key, typed: body.value ?? "", user: user, requireClaim: user.role == .reviewer) {
            case .refused(let why, _): throw ServerError(.badRequest, why)
            case .updated(let updated, let value):
                return try Self.jsonResponse(["draftId": id, "key": key, "value": value.map { $0 as Any } ?? NSNull(),
                                              "status": updated.status.rawValue])
            }
        }
        router.get("/api/drafts/:draft") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            let id = try Self.id(context, "draft", prefix: "d")
            guard let (draft, fields) = try database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            // The same draft contract the CLI prints.
            let body = try DraftDocument(draft: draft, fields: fields).jsonData()
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/api/review/queue") { [self] request, context in
            _ = try require(.reviewer, request, context)
            return try Self.jsonResponse(try database.reviewQueue().map {
                ["draftId": $0.draftId, "form": $0.form ?? NSNull(), "flagged": $0.flaggedCount,
                 "claimedBy": $0.claimedBy ?? NSNull()] as [String: Any]
            })
        }
    }

    static func fieldKey(_ context: StationContext) throws -> String {
        guard let key = context.parameters.get("key"), !key.isEmpty, key.count <= 80,
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }) else {
            throw ServerError(.notFound, "no such field")
        }
        return key
    }

    static func time(_ d: Date) -> String { LocalTime.string(d, "HH:mm dd/MM/yyyy") }

    /// Each flagged field: the crop of the page around it, the value as read, an editor. Enter confirms.
    func reviewBody(_ draft: Draft, _ fields: [DraftField], error: String?, csrf: String?) -> String {
        let flagged = fields.filter(\.needsReview)
        let items = flagged.enumerated().map { (i, f) -> String in
            let crop = f.box != nil && f.page != nil
                ? "<img class=\"crop\" alt=\"Vùng ảnh của trường\" src=\"/drafts/\(h(draft.id))/fields/\(h(f.key))/crop\">"
                : "<p class=\"note\">Không tìm thấy trường này trên trang: xem toàn trang (phím <kbd>F</kbd>).</p>"
            return """
                <div class="card field" id="f-\(h(f.key))">
                <div><strong>\(h(Self.label(f.key)))</strong> <small>\(h(f.key)) · độ tin cậy \(Int(f.confidence * 100)) %</small></div>
                \(crop)
                <form method="post" action="/review/drafts/\(h(draft.id))/fields/\(h(f.key))">
                <input type="hidden" name="_csrf" value="\(h(csrf))">
                <p>Đọc được: <code>\(h(f.raw ?? f.value ?? "—"))</code></p>
                <input type="text" name="value" value="\(h(f.value))" data-field="\(h(f.key))" \(i == 0 ? "autofocus" : "")>
                <button type="submit">Xác nhận (Enter)</button>
                </form></div>
                """
        }.joined()
        let page = fields.first(where: \.needsReview)?.page ?? 1
        if flagged.isEmpty {
            // Nothing doubtful (a kiosk intake): the operator looks the fields over and accepts the draft.
            let rows = fields.map { f -> String in
                "<tr><td>\(h(Self.label(f.key)))</td><td>\(h(f.value ?? "—"))</td></tr>"
            }.joined()
            return """
                <h1>Hồ sơ \(h(draft.id)) — \(h(draft.form.flatMap { editor.titles[$0] } ?? "chưa nhận ra mẫu"))</h1>
                <p class="note">Không có trường nào bị đánh dấu. Đối chiếu với trang giấy rồi xác nhận.</p>
                <p><a id="fullpage" href="/pages/\(h(draft.batchId))/1?size=full" target="_blank">Xem toàn trang</a></p>
                <table>\(rows)</table>
                <form method="post" action="/review/drafts/\(h(draft.id))/accept"><input type="hidden" name="_csrf" value="\(h(csrf))">
                <p><button type="submit" id="accept" autofocus>Xác nhận hồ sơ (Enter)</button></p></form>
                """
        }
        return """
            <h1>Hồ sơ \(h(draft.id)) — \(h(draft.form.flatMap { editor.titles[$0] } ?? "chưa nhận ra mẫu"))</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(h($0))</p>" } ?? "")
            <p class="note">Còn \(flagged.count) trường cần kiểm tra. <kbd>Enter</kbd> xác nhận, <kbd>Tab</kbd> sang ô
            khác, <kbd>F</kbd> (ngoài ô nhập) hoặc <kbd>Alt</kbd>+<kbd>F</kbd> mở toàn trang.</p>
            <p><a id="fullpage" href="/pages/\(h(draft.batchId))/\(page)?size=full" target="_blank">Xem toàn trang</a></p>
            \(items)
            """
    }

    static let reviewScript = """
        document.addEventListener('keydown', function (e) {
          var typing = e.target && e.target.tagName === 'INPUT';
          if ((e.key === 'f' || e.key === 'F') && (e.altKey || !typing)) {
            e.preventDefault(); window.open(document.getElementById('fullpage').href, '_blank');
          }
        });
        """

    /// A readable name for a field key (Vietnamese).
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
