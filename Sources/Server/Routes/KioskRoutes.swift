import Foundation
import HTTPForms
import HTTPTypes
import Hummingbird
import Imaging
import NIOCore
import Store

/// The self-service kiosk: a device token, not a person, and only its own intakes.
extension StationServer {
    func addKioskRoutes(_ router: Router<StationContext>) {
        router.get("/kiosk") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let lang = Self.language(request)
            let buttons = catalog.procedures.map { p -> String in
                "<a class=\"big\" href=\"/kiosk/procedures/\(h(p.code))\">\(h(p.title.in(lang)))</a>"
            }.joined()
            return kioskPage(K.choose[lang], kiosk: kiosk, lang: lang, body: """
                <h1>\(K.welcome[lang])</h1><p class="lead">\(K.choose[lang])</p><div class="choices">\(buttons)</div>
                """, idle: false)
        }
        router.get("/kiosk/procedures/:code") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let lang = Self.language(request)
            guard let code = context.parameters.get("code"), let p = catalog.procedure(code) else {
                throw ServerError(.notFound, "no such procedure")
            }
            let papers = p.papers.map { paper -> String in
                "<li>\(h(paper.title.in(lang)))\(paper.required ? "" : " <small>(\(K.optional[lang]))</small>")</li>"
            }.joined()
            return kioskPage(p.title.in(lang), kiosk: kiosk, lang: lang, body: """
                <h1>\(h(p.title.in(lang)))</h1><p class="lead">\(K.papersNeeded[lang])</p><ul class="papers">\(papers)</ul>
                <form method="post" action="/kiosk/intakes">\(kioskToken(kiosk))
                <input type="hidden" name="procedure" value="\(h(p.code))">
                <label>\(K.phone[lang])<br><input type="tel" name="phone" id="phone" inputmode="numeric" maxlength="11"
                pattern="0[0-9]{9,10}" autocomplete="off"></label>
                <p><button type="submit" class="big" id="start">\(K.start[lang])</button>
                <a class="big secondary" href="/kiosk">\(K.back[lang])</a></p></form>
                """)
        }
        router.post("/kiosk/intakes") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let fields = try await kioskForm(request, context, kiosk)
            guard let code = fields["procedure"], catalog.procedure(code) != nil else {
                throw ServerError(.badRequest, "choose a procedure")
            }
            let phone = (fields["phone"] ?? "").filter(\.isNumber)
            guard phone.isEmpty || (phone.hasPrefix("0") && (10...11).contains(phone.count)) else {
                throw ServerError(.badRequest, "a phone number is 10 or 11 digits starting with 0")
            }
            let settings = try JSONSerialization.data(withJSONObject: ["procedure": code, "phone": phone], options: [.sortedKeys])
            let batch = try database.beginBatch(source: kiosk.source, captureSettings: String(decoding: settings, as: UTF8.self))
            if context.kioskByHeader { return try Self.jsonResponse(["intakeId": batch.id], status: .created) }
            return Layout.redirect("/kiosk/intakes/\(batch.id)")
        }
        router.get("/kiosk/intakes/:batch") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let batch = try ownBatch(context, kiosk)
            return kioskPage(K.title[Self.language(request)], kiosk: kiosk, lang: Self.language(request),
                             body: try intakeBody(batch, kiosk: kiosk, lang: Self.language(request)),
                             script: Self.pollScript(batch.id))
        }
        router.get("/api/kiosk/intakes/:batch") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let batch = try ownBatch(context, kiosk)
            return try Self.jsonResponse(try intakeState(batch, kiosk: kiosk))
        }
        router.post("/kiosk/intakes/:batch/:action") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let batch = try ownBatch(context, kiosk)
            let fields = try await kioskForm(request, context, kiosk)
            let action = context.parameters.get("action") ?? ""
            let location = try kioskAction(action, batch: batch, kiosk: kiosk, fields: fields)
            if context.kioskByHeader {
                if location.hasPrefix("/kiosk/receipts/") {
                    return try Self.jsonResponse(["receipt": String(location.dropFirst("/kiosk/receipts/".count))])
                }
                if action == "cancel" { return try Self.jsonResponse(["cancelled": batch.id]) }
                return try Self.jsonResponse(try intakeState(batch, kiosk: kiosk))
            }
            return Layout.redirect(location)
        }
        router.post("/kiosk/intakes/:batch/pages/:seq/rescan") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let batch = try ownBatch(context, kiosk)
            _ = try await kioskForm(request, context, kiosk)
            guard let seq = context.parameters.get("seq", as: Int.self),
                  try database.pages(batchId: batch.id).contains(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            guard jobs.state(of: batch.id)?.running != true, let device = scanners?.devices.first else {
                throw ServerError(.conflict, "the scanner is busy")
            }
            if batch.status != .capturing { try mapped { try database.reopenBatch(batchId: batch.id, actor: kiosk.source) } }
            jobs.submit(.kioskScan(batchId: batch.id, device: device, replacing: seq))
            return context.kioskByHeader ? try Self.jsonResponse(try intakeState(batch, kiosk: kiosk))
                : Layout.redirect("/kiosk/intakes/\(batch.id)")
        }
        router.get("/kiosk/intakes/:batch/pages/:seq") { [self] request, context in
            let kiosk = try requireKiosk(request, context)
            let batch = try ownBatch(context, kiosk)
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let page = try database.pages(batchId: batch.id).first(where: { $0.seq == seq }) else {
                throw ServerError(.notFound, "no such page")
            }
            let blobs = station.blobs
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
            let kiosk = try requireKiosk(request, context)
            let lang = Self.language(request)
            guard let number = context.parameters.get("number"), let intake = try database.intake(number: number),
                  intake.kioskId == kiosk.id, Date().timeIntervalSince(intake.createdAt) < 15 * 60 else {
                throw ServerError(.notFound, "no such receipt here")
            }
            let title = catalog.procedure(intake.procedure)?.title.in(lang) ?? intake.procedure
            let qr = try QRCode.svg(intake.number)
            return kioskPage(K.receipt[lang], kiosk: kiosk, lang: lang, body: """
                <div class="receipt" id="receipt"><h1>\(K.receipt[lang])</h1>
                <p class="number" id="intake-number">\(h(intake.number))</p>
                <div class="qr">\(qr)</div>
                <table><tr><th>\(K.procedure[lang])</th><td>\(h(title)) (\(h(intake.procedure)))</td></tr>
                <tr><th>\(K.pages[lang])</th><td id="page-count">\(intake.pageCount)</td></tr>
                <tr><th>\(K.date[lang])</th><td>\(h(Self.time(intake.createdAt)))</td></tr></table>
                <p>\(K.keep[lang])</p></div>
                <p class="noprint"><button class="big" onclick="window.print()">\(K.print[lang])</button>
                <a class="big secondary" href="/kiosk" id="done">\(K.finish[lang])</a></p>
                """, idleSeconds: 60)
        }
    }

    // MARK: Helpers

    func requireKiosk(_ request: Request, _ context: StationContext) throws -> Kiosk {
        guard let kiosk = context.kiosk else {
            throw ServerError(.unauthorized, "this device is not a paired kiosk: open /kiosk/pair and type the code "
                              + "that `sohoa kiosk pair-code NAME` prints")
        }
        return kiosk
    }

    /// The kiosk's own, unconfirmed intake batch; anything else is "not found" (no hint it exists).
    func ownBatch(_ context: StationContext, _ kiosk: Kiosk) throws -> Batch {
        let id = try Self.id(context, "batch", prefix: "b")
        guard let batch = try database.batch(id: id), batch.source == kiosk.source,
              try database.intake(batchId: id) == nil else {
            throw ServerError(.notFound, "no such intake")
        }
        return batch
    }

    /// A kiosk's CSRF token: derived from its device token's hash, so the forms of its own pages carry it.
    func kioskCSRF(_ kiosk: Kiosk) -> String { SHA256.hex(Data("csrf:\(kiosk.tokenHash)".utf8)) }

    func kioskToken(_ kiosk: Kiosk) -> String {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(kioskCSRF(kiosk))\">"
    }

    func kioskForm(_ request: Request, _ context: StationContext, _ kiosk: Kiosk) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 10)
        let fields = URLEncodedForm.parse(String(buffer: body))
        if !context.kioskByHeader {
            try CSRF.checkOrigin(request)
            guard let sent = fields["_csrf"], CSRF.constantTimeEqual(sent, kioskCSRF(kiosk)) else {
                throw ServerError(.forbidden, "the page is stale: start again")
            }
        }
        return fields
    }

    static func language(_ request: Request) -> KioskLanguage {
        request.uri.queryParameters.get("lang").flatMap(KioskLanguage.init) ?? request.cookies["sohoa_lang"].flatMap {
            KioskLanguage(rawValue: $0.value)
        } ?? .vi
    }

    /// What a kiosk action does; returns where the kiosk goes next.
    func kioskAction(_ action: String, batch: Batch, kiosk: Kiosk, fields: [String: String]) throws -> String {
        let busy = jobs.state(of: batch.id)?.running == true
        switch action {
        case "scan":
            guard !busy, let device = scanners?.devices.first else { throw ServerError(.conflict, "the scanner is busy") }
            if batch.status != .capturing { try mapped { try database.reopenBatch(batchId: batch.id, actor: kiosk.source) } }
            jobs.submit(.kioskScan(batchId: batch.id, device: device, replacing: nil))
        case "check":
            guard !busy else { throw ServerError(.conflict, "still scanning") }
            guard try !database.pages(batchId: batch.id).isEmpty else { throw ServerError(.conflict, "nothing scanned yet") }
            jobs.submit(.kioskCheck(batchId: batch.id))
        case "confirm":
            guard !busy, try database.draft(batchId: batch.id) != nil else { throw ServerError(.conflict, "check the pages first") }
            let state = try intakeState(batch, kiosk: kiosk)
            if let missing = state["missing"] as? [String], !missing.isEmpty {
                throw ServerError(.conflict, "required papers are missing")
            }
            let settings = Self.intakeSettings(batch)
            let intake = try mapped {
                try database.confirmIntake(batchId: batch.id, kiosk: kiosk, procedure: settings["procedure"] ?? "",
                                           phone: settings["phone"].flatMap { $0.isEmpty ? nil : $0 })
            }
            jobs.forget(batch.id)
            return "/kiosk/receipts/\(intake.number)"
        case "cancel":
            guard !busy else { throw ServerError(.conflict, "still scanning") }
            for hash in try database.abandonKioskBatch(batchId: batch.id, kiosk: kiosk, reason: fields["reason"] ?? "cancel") {
                try station.blobs.remove(hash)
            }
            jobs.forget(batch.id)
            return "/kiosk"
        default:
            throw ServerError(.notFound, "no such action")
        }
        return "/kiosk/intakes/\(batch.id)"
    }

    /// What the citizen chose when the intake opened (procedure, phone), kept with the batch.
    static func intakeSettings(_ batch: Batch) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data((batch.captureSettings ?? "{}").utf8))) as? [String: String] ?? [:]
    }

    /// Where an intake is: pages, the job, each page's problems, missing papers, the error to show.
    func intakeState(_ batch: Batch, kiosk: Kiosk) throws -> [String: Any] {
        let pages = try database.pages(batchId: batch.id)
        let job = jobs.state(of: batch.id)
        let draft = try database.draft(batchId: batch.id)
        let procedure = catalog.procedure(Self.intakeSettings(batch)["procedure"] ?? "")
        let quality = draft == nil ? [:] : (jobs.quality(of: batch.id) ?? [:])
        var missing: [String] = []
        if let draft, let procedure {
            let usable = pages.filter { (quality[$0.seq] ?? []).allSatisfy { $0 != "blank" && $0 != "unreadable" } }.count
            let required = procedure.papers.filter(\.required)
            for paper in required where paper.form != nil && paper.form != draft.form { missing.append(paper.title.vi) }
            if usable < required.count { missing += required.filter { $0.form == nil }.suffix(required.count - usable).map(\.title.vi) }
        }
        let phase: String
        if job?.running == true { phase = job?.kind == "scan" ? "scanning" : "checking" }
        else if job?.error != nil { phase = "stopped" }
        else if draft != nil { phase = "checked" }
        else { phase = "scanning-ready" }
        return [
            "intakeId": batch.id, "phase": phase, "pages": pages.count,
            "problems": Dictionary(uniqueKeysWithValues: quality.filter { !$0.value.isEmpty }.map { ("\($0.key)", $0.value) }),
            "missing": missing, "error": job?.error ?? NSNull(),
        ]
    }

    func intakeBody(_ batch: Batch, kiosk: Kiosk, lang: KioskLanguage) throws -> String {
        let state = try intakeState(batch, kiosk: kiosk)
        let phase = state["phase"] as? String ?? ""
        let pages = try database.pages(batchId: batch.id)
        let problems = state["problems"] as? [String: [String]] ?? [:]
        let token = kioskToken(kiosk)
        let thumbs = pages.map { p -> String in
            let issues = problems["\(p.seq)"] ?? []
            let rescan = phase == "checked" || phase == "scanning-ready" ? """
                <form method="post" action="/kiosk/intakes/\(h(batch.id))/pages/\(p.seq)/rescan">\(token)
                <button class="\(issues.isEmpty ? "secondary" : "")">\(K.rescan[lang])</button></form>
                """ : ""
            return """
                <div class="thumb\(issues.isEmpty ? "" : " bad")" id="page-\(p.seq)"><img alt="\(K.page[lang]) \(p.seq)" src="/kiosk/intakes/\(h(batch.id))/pages/\(p.seq)?v=\(h(String((p.cleanedSha256 ?? p.originalSha256).prefix(10))))">
                <div>\(K.page[lang]) \(p.seq)</div>\(issues.map { "<div class=\"issue\">\(h(K.problem($0, lang)))</div>" }.joined())\(rescan)</div>
                """
        }.joined()
        var parts: [String] = []
        switch phase {
        case "scanning":
            parts.append("<h1 id=\"scanning\">\(K.scanning[lang])</h1><p class=\"lead\">\(pages.count) \(K.pages[lang].lowercased())</p>")
        case "checking":
            parts.append("<h1 id=\"checking\">\(K.checking[lang])</h1>")
        case "stopped":
            parts.append("""
                <h1>\(K.stopped[lang])</h1><p class="error" role="alert" id="scan-error">\(h(state["error"] as? String))</p>
                <p class="lead">\(K.kept[lang]) \(pages.count)</p>
                <form method="post" action="/kiosk/intakes/\(h(batch.id))/scan" class="inline">\(token)<button class="big" id="continue">\(K.continueScan[lang])</button></form>
                """)
        case "checked":
            let missing = state["missing"] as? [String] ?? []
            let bad = !problems.isEmpty
            parts.append("<h1>\(K.checkTitle[lang])</h1>")
            if bad { parts.append("<p class=\"error\" role=\"alert\" id=\"quality\">\(K.pleaseRescan[lang])</p>") }
            if !missing.isEmpty {
                parts.append("<p class=\"error\" role=\"alert\" id=\"missing\">\(K.missing[lang]) \(missing.map(h).joined(separator: "; "))</p>")
            }
            parts.append("""
                <form method="post" action="/kiosk/intakes/\(h(batch.id))/scan" class="inline">\(token)<button class="big secondary" id="more">\(K.scanMore[lang])</button></form>
                <form method="post" action="/kiosk/intakes/\(h(batch.id))/confirm" class="inline">\(token)
                <button class="big" id="confirm" \(missing.isEmpty ? "" : "disabled")>\(bad ? K.sendAnyway[lang] : K.confirm[lang])</button></form>
                """)
        default:
            parts.append("""
                <h1>\(K.placePapers[lang])</h1><p class="lead">\(K.placeHint[lang])</p>
                <form method="post" action="/kiosk/intakes/\(h(batch.id))/scan" class="inline">\(token)<button class="big" id="scan">\(K.scan[lang])</button></form>
                \(pages.isEmpty ? "" : "<form method=\"post\" action=\"/kiosk/intakes/\(h(batch.id))/check\" class=\"inline\">\(token)<button class=\"big\" id=\"check\">\(K.check[lang])</button></form>")
                """)
        }
        parts.append("<div class=\"thumbs\">\(thumbs)</div>")
        parts.append("""
            <form method="post" action="/kiosk/intakes/\(h(batch.id))/cancel" id="cancel-form">\(token)
            <input type="hidden" name="reason" value="cancel"><button class="big secondary" id="cancel">\(K.cancel[lang])</button></form>
            """)
        return parts.joined(separator: "\n")
    }

    /// A kiosk screen: large type, touch targets, an idle timeout that clears it and goes back to the start.
    func kioskPage(_ title: String, kiosk: Kiosk, lang: KioskLanguage, body: String, script: String = "",
                   idle: Bool = true, idleSeconds: Int? = nil) -> Response {
        let seconds = idleSeconds ?? Int(kioskIdle)
        let other = lang == .vi ? "en" : "vi"
        let html = """
            <!doctype html><html lang="\(lang.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(h(title))</title>
            <style>\(Self.kioskCSS)</style></head><body>
            <header><strong>\(K.brand[lang])</strong><a class="lang" href="?lang=\(other)">\(lang == .vi ? "English" : "Tiếng Việt")</a></header>
            <main>\(body)</main>
            <div id="offline" class="offline" hidden>\(K.offline[lang])</div>
            <script>
            (function () {
              var idle = \(idle ? seconds : 0), last = Date.now();
              ['touchstart', 'mousedown', 'keydown'].forEach(function (e) { document.addEventListener(e, function () { last = Date.now(); }); });
              if (idle > 0) setInterval(function () {
                if (Date.now() - last > idle * 1000) {
                  var f = document.getElementById('cancel-form');
                  if (f) { f.querySelector('[name=reason]').value = 'idle'; f.submit(); } else { location.replace('/kiosk'); }
                }
              }, 1000);
              // While the station works (scanning, checking) the citizen is waiting, not gone.
              window.kioskBusy = function () { last = Date.now(); };
              window.kioskOffline = function () {
                document.getElementById('offline').hidden = false;
                setTimeout(function () { location.replace('/kiosk'); }, 30000);
              };
            })();
            \(script)
            </script></body></html>
            """
        var response = Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                                       HTTPField.Name("X-Frame-Options")!: "DENY"],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
        response.setCookie(Cookie(name: "sohoa_lang", value: lang.rawValue, path: "/kiosk", secure: configuration.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    static func pollScript(_ batchId: String) -> String {
        """
        (function () {
          var last = null;
          function poll() {
            fetch('/api/kiosk/intakes/\(batchId)', {credentials: 'same-origin'})
              .then(function (r) { if (r.status === 404) { location.replace('/kiosk'); return null; } return r.json(); })
              .then(function (s) {
                if (!s) return;
                var key = JSON.stringify([s.phase, s.pages, s.error]);
                if (last !== null && key !== last) { location.reload(); return; }
                last = key;
                var busy = s.phase === 'scanning' || s.phase === 'checking';
                if (busy) window.kioskBusy();
                setTimeout(poll, busy ? 700 : 3000);
              })
              .catch(function () { window.kioskOffline(); });
          }
          poll();
        })();
        """
    }

    static let kioskCSS = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;font-size:26px;background:#f4f5f7;color:#111}
        header{background:#8b1a1a;color:#fff;padding:14px 28px;display:flex;justify-content:space-between;align-items:center}
        header .lang{color:#fff;font-size:22px} main{padding:24px 36px} h1{font-size:40px;margin:8px 0 16px}
        .lead{font-size:28px} .choices{display:flex;flex-direction:column;gap:18px;max-width:900px}
        .big,button.big{display:inline-block;background:#1f5fa8;color:#fff;border:0;border-radius:10px;padding:22px 36px;
          font-size:30px;text-decoration:none;margin:8px 12px 8px 0;min-width:220px;cursor:pointer}
        .secondary,button.secondary{background:#6b7280} button:disabled{background:#aab}
        .inline{display:inline} input{font-size:30px;padding:10px;width:420px}
        .thumbs{display:flex;flex-wrap:wrap;gap:16px;margin:18px 0} .thumb{background:#fff;border:3px solid #ccc;padding:8px;width:200px;text-align:center;font-size:20px}
        .thumb img{width:180px;height:254px;object-fit:contain;background:#eee} .thumb.bad{border-color:#c2410c}
        .thumb button{font-size:20px;padding:10px 14px;border-radius:8px;border:0;background:#1f5fa8;color:#fff;margin-top:6px}
        .issue{color:#9a3412;font-weight:bold} .error{background:#fde2e1;color:#8a1c1c;padding:14px 18px;border-radius:8px}
        .receipt{background:#fff;padding:24px;border-radius:10px;max-width:760px} .number{font-size:48px;font-weight:bold;letter-spacing:2px}
        .receipt th{text-align:left;padding-right:24px} .qr svg{width:220px;height:220px}
        .offline{position:fixed;bottom:0;left:0;right:0;background:#8a1c1c;color:#fff;padding:18px;font-size:26px}
        @media print{header,.noprint,#cancel-form{display:none} body{background:#fff;font-size:16px} .number{font-size:28px}}
        """
}

/// The kiosk's words, Vietnamese first.
enum K {
    struct Phrase {
        let vi: String
        let en: String
        subscript(_ lang: KioskLanguage) -> String { lang == .en ? en : vi }
    }

    static let brand = Phrase(vi: "Trạm tiếp nhận hồ sơ tự động", en: "Self-service intake")
    static let welcome = Phrase(vi: "Xin chào!", en: "Welcome!")
    static let choose = Phrase(vi: "Chọn thủ tục bạn muốn nộp hồ sơ:", en: "Choose what you are applying for:")
    static let papersNeeded = Phrase(vi: "Chuẩn bị các giấy tờ sau:", en: "Have these papers ready:")
    static let optional = Phrase(vi: "nếu có", en: "if any")
    static let phone = Phrase(vi: "Số điện thoại để nhận thông báo (không bắt buộc)", en: "Phone number for updates (optional)")
    static let start = Phrase(vi: "Bắt đầu", en: "Start")
    static let back = Phrase(vi: "Quay lại", en: "Back")
    static let title = Phrase(vi: "Nộp hồ sơ", en: "Your application")
    static let placePapers = Phrase(vi: "Đặt giấy tờ vào khay nạp giấy", en: "Put your papers in the feeder")
    static let placeHint = Phrase(vi: "Mặt có chữ úp xuống, đầu trang vào trước, rồi nhấn Quét.",
                                  en: "Printed side down, top edge first, then press Scan.")
    static let scan = Phrase(vi: "Quét", en: "Scan")
    static let scanning = Phrase(vi: "Đang quét… xin đừng lấy giấy ra", en: "Scanning… please leave the papers in")
    static let check = Phrase(vi: "Xong, kiểm tra", en: "Done, check")
    static let checking = Phrase(vi: "Đang kiểm tra các trang…", en: "Checking the pages…")
    static let checkTitle = Phrase(vi: "Kiểm tra các trang đã quét", en: "Check the scanned pages")
    static let pleaseRescan = Phrase(vi: "Một số trang chưa rõ: nhấn Quét lại dưới trang đó.",
                                     en: "Some pages are not clear: press Rescan under that page.")
    static let missing = Phrase(vi: "Còn thiếu giấy tờ:", en: "Papers missing:")
    static let scanMore = Phrase(vi: "Quét thêm trang", en: "Scan more pages")
    static let confirm = Phrase(vi: "Xác nhận nộp", en: "Confirm")
    static let sendAnyway = Phrase(vi: "Vẫn nộp như vậy", en: "Send as it is")
    static let rescan = Phrase(vi: "Quét lại", en: "Rescan")
    static let page = Phrase(vi: "Trang", en: "Page")
    static let pages = Phrase(vi: "Số trang", en: "Pages")
    static let cancel = Phrase(vi: "Hủy, làm lại từ đầu", en: "Cancel and start over")
    static let stopped = Phrase(vi: "Máy quét dừng lại", en: "The scanner stopped")
    static let kept = Phrase(vi: "Các trang đã quét vẫn được giữ:", en: "Pages kept so far:")
    static let continueScan = Phrase(vi: "Tiếp tục quét", en: "Continue scanning")
    static let receipt = Phrase(vi: "Giấy biên nhận", en: "Receipt")
    static let procedure = Phrase(vi: "Thủ tục", en: "Procedure")
    static let date = Phrase(vi: "Ngày nộp", en: "Date")
    static let keep = Phrase(vi: "Giữ số biên nhận này để tra cứu hồ sơ tại bộ phận một cửa hoặc trực tuyến.",
                             en: "Keep this number to follow your application at the desk or online.")
    static let print = Phrase(vi: "In biên nhận", en: "Print")
    static let finish = Phrase(vi: "Hoàn tất", en: "Finish")
    static let offline = Phrase(vi: "Mất kết nối với hệ thống. Vui lòng chờ hoặc báo cán bộ; màn hình sẽ trở về đầu.",
                                en: "The system cannot be reached. Please wait or ask an officer; the screen will start over.")

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
