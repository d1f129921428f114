import Delivery
import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import Imaging
import NIOCore
import Store

extension StationServer {
    func addDeskRoutes(_ router: Router<StationContext>) {
        router.get("/desk") { [self] request, context in
            let user = try require(.officer, request, context)
            let procedures = station.extractor.templates.map { t -> String in
                "<option value=\"\(h(t.procedure ?? ""))\">\(h(t.title)) (\(h(t.procedure ?? "")))</option>"
            }.joined()
            let rows = try database.recentBatches().map { b -> String in
                "<tr><td><a href=\"/desk/batches/\(h(b.id))\">\(h(b.id))</a></td><td>\(h(Layout.statusName(b.status)))</td>"
                    + "<td>\(b.pageCount)</td><td>\(h(Self.time(b.createdAt)))</td></tr>"
            }.joined()
            let body = """
                <h1>Tiếp nhận hồ sơ</h1>
                <div class="card"><form method="post" action="/desk/batches">
                <input type="hidden" name="_csrf" value="\(h(csrf(context)))">
                <label>Thủ tục <select name="procedure" id="procedure">\(procedures)</select></label>
                <p><button type="submit" id="new-batch">Bắt đầu hồ sơ mới</button></p></form></div>
                <h2>Hồ sơ gần đây</h2>
                <table><tr><th>Lô</th><th>Trạng thái</th><th>Số trang</th><th>Tạo lúc</th></tr>\(rows)</table>
                """
            return Layout.page("Tiếp nhận", user: user, csrf: csrf(context), body: body)
        }
        router.post("/desk/batches") { [self] request, context in
            let user = try require(.officer, request, context)
            let fields = try await form(request, context)
            let procedure = String((fields["procedure"] ?? "").prefix(20))
            let settings = String(decoding: try JSONSerialization.data(withJSONObject: ["procedure": procedure]), as: UTF8.self)
            let batch = try database.beginBatch(source: "desk:\(user.username)", captureSettings: settings)
            try database.audit(actor: user.username, action: "batch.create", subject: batch.id, detail: ["procedure": procedure])
            return Layout.redirect("/desk/batches/\(batch.id)")
        }
        router.get("/desk/batches/:batch") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let batch = try database.batch(id: id) else { throw ServerError(.notFound, "no such batch") }
            let message = request.uri.queryParameters.get("error")
            return Layout.page("Hồ sơ \(id)", user: user, csrf: csrf(context),
                               body: try deskBody(batch, error: message, csrf: csrf(context)),
                               script: Self.deskScript(id))
        }
        router.get("/api/batches/:batch") { [self] request, context in
            _ = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let batch = try database.batch(id: id) else { throw ServerError(.notFound, "no such batch") }
            let pages = try database.pages(batchId: id)
            let job = jobs.state(of: id)
            return try Self.jsonResponse([
                "id": id, "status": batch.status.rawValue, "pages": pages.count,
                "draftId": try database.draft(batchId: id)?.id ?? NSNull(),
                "job": job.map { ["kind": $0.kind, "running": $0.running, "done": $0.pagesDone,
                                  "total": $0.pagesTotal ?? NSNull(), "error": $0.error ?? NSNull()] as [String: Any] }
                    ?? NSNull(),
            ])
        }
        router.post("/desk/batches/:batch/upload") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            let added = try await upload(request, context, batchId: id, user: user)
            return Layout.redirect("/desk/batches/\(id)" + (added.isEmpty ? "" : "?error=" + Self.query(added)))
        }
        router.post("/desk/batches/:batch/scan") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            let fields = try await form(request, context)
            guard let device = fields["device"], scanners?.devices.contains(device) == true else {
                throw ServerError(.badRequest, "choose one of the station's scanners")
            }
            guard try database.batch(id: id)?.status == .capturing else {
                throw ServerError(.conflict, "this batch is no longer being captured")
            }
            guard jobs.state(of: id)?.running != true else { throw ServerError(.conflict, "this batch is already busy") }
            try database.audit(actor: user.username, action: "batch.scan", subject: id, detail: ["device": device])
            jobs.submit(.scan(batchId: id, device: device))
            return Layout.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/read") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            _ = try await form(request, context)
            guard let batch = try database.batch(id: id) else { throw ServerError(.notFound, "no such batch") }
            guard batch.status == .capturing || batch.status == .processing else {
                throw ServerError(.conflict, "this batch was already read")
            }
            guard try !database.pages(batchId: id).isEmpty else { throw ServerError(.conflict, "this batch has no page yet") }
            guard jobs.state(of: id)?.running != true else { throw ServerError(.conflict, "this batch is already busy") }
            try database.audit(actor: user.username, action: "batch.read", subject: id)
            jobs.submit(.read(batchId: id))
            return Layout.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/reopen") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            _ = try await form(request, context)
            try mapped { try database.reopenBatch(batchId: id, actor: user.username) }
            return Layout.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/batches/:batch/pages/:seq/:action") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "batch", prefix: "b")
            guard let seq = context.parameters.get("seq", as: Int.self), seq >= 1 else {
                throw ServerError(.notFound, "no such page")
            }
            let fields = try await form(request, context)
            try await pageAction(context.parameters.get("action") ?? "", batchId: id, seq: seq, fields: fields, user: user)
            return Layout.redirect("/desk/batches/\(id)")
        }
        router.post("/desk/drafts/:draft/fields/:key") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            let key = try Self.fieldKey(context)
            let fields = try await form(request, context)
            switch try edit(draftId: id, key: key, typed: fields["value"] ?? "", user: user, requireClaim: false) {
            case .refused(let why, let batchId):
                return Layout.redirect("/desk/batches/\(batchId)?error=\(Self.query("\(why) [\(key)]"))")
            case .updated(let draft, _):
                return Layout.redirect("/desk/batches/\(draft.batchId)#fields")
            }
        }
        router.post("/desk/drafts/:draft/submit") { [self] request, context in
            let user = try require(.officer, request, context)
            let id = try Self.id(context, "draft", prefix: "d")
            _ = try await form(request, context)
            guard let (draft, fields) = try database.draft(id: id) else { throw ServerError(.notFound, "no such draft") }
            let flagged = fields.filter(\.needsReview).count
            guard flagged == 0, draft.form != nil else {
                return Layout.redirect("/desk/batches/\(draft.batchId)?error="
                                       + Self.query("Còn \(flagged) trường cần kiểm tra: sửa hoặc xác nhận trước khi nộp."))
            }
            let packager = DossierPackager(database: database, blobs: station.blobs, formTitles: editor.titles,
                                           tessdataPath: station.configuration.ocr.dataPath)
            let built = try packager.build(draftId: id)
            let entry = try mapped {
                try database.enqueueDelivery(draftId: id, recordSha256: built.recordSha256, acceptFlagged: false)
            }
            try database.audit(actor: user.username, action: "draft.submit", subject: id, detail: ["delivery": entry.id])
            return Layout.redirect("/desk/batches/\(draft.batchId)")
        }
    }

    static func query(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Stores each uploaded file's pages into a batch being captured. Returns what was refused, for the officer.
    func upload(_ request: Request, _ context: StationContext, batchId: String, user: User) async throws -> String {
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
        guard try database.batch(id: batchId)?.status == .capturing else {
            throw ServerError(.conflict, "this batch is no longer being captured")
        }
        var refused: [String] = []
        let files = parts.filter { $0.name == "files" && !$0.body.isEmpty }
        guard !files.isEmpty else { throw ServerError(.badRequest, "no file in the upload") }
        for part in files {
            let name = Self.safeName(part.filename ?? "trang")
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-upload-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            try part.body.write(to: scratch)
            do {
                let info = try ImageProbe.probe(scratch, limits: station.configuration.limits)
                let hash = try station.blobs.put(part.body)
                for (index, size) in info.pages.enumerated() {
                    let dpi = PageImage.usableDPI(info.dpi)
                    _ = try database.addCapturedPage(batchId: batchId, NewPage(
                        sourceName: name, sourcePage: index, originalSha256: hash, format: info.format.rawValue,
                        width: size.width, height: size.height, dpi: dpi ?? station.configuration.assumedDPI,
                        dpiAssumed: dpi == nil))
                }
                // The file's name may be the citizen's: sealed with the batch's key.
                try database.audit(AuditEvent(actor: user.username, action: "page.upload", subject: batchId,
                                              batchId: batchId, detail: ["pages": "\(info.pages.count)"],
                                              sealed: ["file": name]))
            } catch let e as ImagingError {
                refused.append("\(name): \(e.description)")
            }
        }
        return refused.joined(separator: "; ")
    }

    /// A file name as shown, never a path.
    static func safeName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "trang"
        let clean = last.filter { !$0.isNewline && $0.asciiValue.map { $0 >= 32 } ?? true }
        let trimmed = String(clean.prefix(100))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "trang" : trimmed
    }

    func pageAction(_ action: String, batchId: String, seq: Int, fields: [String: String], user: User) async throws {
        switch action {
        case "delete":
            try mapped { try database.deletePage(batchId: batchId, seq: seq, actor: user.username) }
        case "move":
            guard let to = fields["to"].flatMap(Int.init) else { throw ServerError(.badRequest, "say where to move it") }
            try mapped { try database.movePage(batchId: batchId, from: seq, to: to, actor: user.username) }
        case "rescan":
            guard let device = fields["device"], scanners?.devices.contains(device) == true else {
                throw ServerError(.badRequest, "choose one of the station's scanners")
            }
            guard try database.pages(batchId: batchId).contains(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            guard try database.batch(id: batchId)?.status == .capturing, jobs.state(of: batchId)?.running != true else {
                throw ServerError(.conflict, "this batch is busy or no longer being captured")
            }
            jobs.submit(.rescan(batchId: batchId, device: device, seq: seq, username: user.username))
        case "rotate":
            guard let page = try database.pages(batchId: batchId).first(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            let url = station.blobs.url(for: page.originalSha256)
            let image = try PageImage.load(url, page: page.sourcePage, info: try ImageProbe.probe(url), assumedDPI: page.dpi)
            let turned = try image.rotated(quarterTurns: 1)
            let hash = try station.blobs.put(try turned.encoded(.png))
            try mapped {
                try database.replacePageImage(batchId: batchId, seq: seq, sha256: hash, width: turned.width,
                                              height: turned.height, reason: "rotate", actor: user.username)
            }
        default:
            throw ServerError(.notFound, "no such page action")
        }
    }

    func deskBody(_ batch: Batch, error: String?, csrf: String?) throws -> String {
        let pages = try database.pages(batchId: batch.id)
        let draft = try database.draft(batchId: batch.id)
        let job = jobs.state(of: batch.id)
        let capturing = batch.status == .capturing && job?.running != true
        let token = "<input type=\"hidden\" name=\"_csrf\" value=\"\(h(csrf))\">"
        let rescanDevice = scanners?.devices.first
        let thumbs = pages.map { p -> String in
            let actions = capturing ? """
                <form method="post" action="/desk/batches/\(h(batch.id))/pages/\(p.seq)/rotate" class="inline">\(token)<button class="secondary" title="Xoay 90°">⟳</button></form>
                <form method="post" action="/desk/batches/\(h(batch.id))/pages/\(p.seq)/move" class="inline">\(token)<input type="hidden" name="to" value="\(max(1, p.seq - 1))"><button class="secondary" title="Lên trước">◀</button></form>
                <form method="post" action="/desk/batches/\(h(batch.id))/pages/\(p.seq)/delete" class="inline">\(token)<button class="secondary" title="Xóa trang">✕</button></form>
                \(rescanDevice.map { d in "<form method=\"post\" action=\"/desk/batches/\(h(batch.id))/pages/\(p.seq)/rescan\" class=\"inline\">\(token)<input type=\"hidden\" name=\"device\" value=\"\(h(d))\"><button class=\"secondary\" title=\"Quét lại trang này\">Quét lại</button></form>" } ?? "")
                """ : ""
            return """
                <div class="thumb" id="page-\(p.seq)"><a href="/pages/\(h(batch.id))/\(p.seq)?size=full" target="_blank">
                <img alt="Trang \(p.seq)" src="/pages/\(h(batch.id))/\(p.seq)?size=thumb&amp;v=\(h(String((p.cleanedSha256 ?? p.originalSha256).prefix(12))))"></a>
                <div>Trang \(p.seq)\(p.state == .failed ? " — lỗi" : "")</div>\(actions)</div>
                """
        }.joined()
        var parts = ["<h1>Hồ sơ \(h(batch.id)) <small>(\(h(Layout.statusName(batch.status))))</small></h1>"]
        if let error { parts.append("<p class=\"error\" role=\"alert\">\(h(error))</p>") }
        if let job {
            if job.running {
                let total = job.pagesTotal ?? max(job.pagesDone, 1)
                parts.append("""
                    <div class="card" id="progress"><p>\(job.kind == "scan" ? "Đang quét" : "Đang đọc"): \(job.pagesDone)\(job.pagesTotal.map { "/\($0)" } ?? "") trang</p>
                    <div class="progress"><div style="width:\(min(100, 100 * job.pagesDone / max(1, total)))%"></div></div></div>
                    """)
            } else if let e = job.error {
                parts.append("<p class=\"error\" role=\"alert\" id=\"job-error\">\(h(e))</p>")
            }
        }
        parts.append("<div class=\"thumbs\" id=\"thumbs\">\(thumbs)</div>")
        if capturing {
            let devices = (scanners?.devices ?? []).map { d -> String in "<option>\(h(d))</option>" }.joined()
            parts.append("""
                <div class="cols"><div class="card">
                <form method="post" action="/desk/batches/\(h(batch.id))/scan">\(token)
                <label>Máy quét <select name="device" id="device">\(devices)</select></label>
                <p><button type="submit" id="scan" \(devices.isEmpty ? "disabled" : "")>Quét</button></p></form></div>
                <div class="card"><form method="post" action="/desk/batches/\(h(batch.id))/upload" enctype="multipart/form-data">\(token)
                <label>Tải ảnh trang lên (PNG, JPEG, TIFF)<br><input type="file" name="files" id="files" multiple accept="image/*,.tif,.tiff"></label>
                <p><button type="submit" id="upload">Tải lên</button></p></form></div></div>
                <form method="post" action="/desk/batches/\(h(batch.id))/read">\(token)
                <button type="submit" id="read" \(pages.isEmpty ? "disabled" : "")>Đọc hồ sơ (\(pages.count) trang)</button></form>
                """)
        }
        if let draft, let (_, fields) = try database.draft(id: draft.id) {
            let flagged = fields.filter(\.needsReview).count
            let rows = fields.map { f -> String in
                """
                <tr class="\(f.needsReview ? "flagged" : "")"><td>\(h(Self.label(f.key)))<br><small>\(h(f.key))</small></td>
                <td><form method="post" action="/desk/drafts/\(h(draft.id))/fields/\(h(f.key))">\(token)
                <input type="text" name="value" value="\(h(f.value))" aria-label="\(h(f.key))"
                \(draft.status == .needsReview || draft.status == .ready ? "" : "disabled")></form></td>
                <td>\(f.needsReview ? "cần kiểm tra" : (f.confirmedBy.map { "đã xác nhận (\(h($0)))" } ?? "\(Int(f.confidence * 100)) %"))</td></tr>
                """
            }.joined()
            let editable = draft.status == .needsReview || draft.status == .ready
            parts.append("""
                <h2 id="fields">\(h(draft.form.flatMap { editor.titles[$0] } ?? "Chưa nhận ra mẫu")) — \(h(Layout.statusName(draft.status)))</h2>
                <p>\(flagged == 0 ? "Không còn trường nào cần kiểm tra." : "\(flagged) trường cần kiểm tra (tô vàng): sửa rồi nhấn Enter để xác nhận.")</p>
                <table>\(rows)</table>
                """ + (editable ? """
                <p><form method="post" action="/desk/drafts/\(h(draft.id))/submit" class="inline">\(token)
                <button type="submit" id="submit" \(flagged == 0 && draft.form != nil ? "" : "disabled")>Nộp hồ sơ</button></form>
                <form method="post" action="/desk/batches/\(h(batch.id))/reopen" class="inline">\(token)
                <button type="submit" class="secondary" id="reopen">Sửa trang</button></form></p>
                """ : "<p class=\"note\" id=\"submitted\">Hồ sơ đã nộp: \(h(Layout.statusName(draft.status))).</p>"))
        }
        return parts.joined(separator: "\n")
    }

    static func deskScript(_ batchId: String) -> String {
        """
        (function () {
          var last = null;
          function poll() {
            fetch('/api/batches/\(batchId)', {credentials: 'same-origin'}).then(function (r) { return r.json(); })
              .then(function (s) {
                var key = JSON.stringify([s.status, s.pages, s.job && s.job.running, s.job && s.job.done, s.draftId]);
                if (last !== null && key !== last) { location.reload(); return; }
                last = key;
                if (s.job && s.job.running) setTimeout(poll, 1000);
              });
          }
          poll();
        })();
        """
    }
}
