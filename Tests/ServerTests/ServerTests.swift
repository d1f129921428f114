import Foundation
import GRDB
import Imaging
import Pipeline
import Server
import Station
@testable import Store
import Testing
import TestSupport

/// The station service over real HTTP on loopback: who may enter, what bad input gets, and the desk → review →
/// submit journey with its audit trail.
@Suite(.serialized) struct ServerTests {
    @Test func everyRouteButHealthWantsASession() async throws {
        let s = try await RunningStation.start()
        let c = Client(s)
        #expect(try await c.get("/healthz").status == 200)
        #expect(try await c.get("/readyz").body.contains("\"ready\":true"))
        for page in ["/", "/desk", "/review", "/admin/audit", "/desk/batches/b_01M80H140ETTK54F0KG4ZJPH98"] {
            let r = try await c.get(page)
            #expect(r.status == 303, "\(page)")
            #expect(r.location?.hasPrefix("/login") == true)
        }
        for api in ["/api/drafts/d_01M80H1A07VDEEEKJJ9BMTDYSP", "/api/review/queue", "/api/batches/b_01M80H140ETTK54F0KG4ZJPH98",
                    "/metrics", "/pages/b_01M80H140ETTK54F0KG4ZJPH98/1"] {
            let r = try await c.get(api)
            #expect(r.status == 401 || (r.status == 303 && api.hasPrefix("/pages")), "\(api): \(r.status)")
        }
        #expect(try await c.post("/desk/batches", ["procedure": "1.001193"], csrf: false).status == 303)
        #expect(try await s.station.database.recentBatches().isEmpty)
        await s.stop()
    }

    @Test func loginsAreCheckedThrottledAndAudited() async throws {
        let s = try await RunningStation.start()
        let c = Client(s)
        #expect(try await c.login("canbo", password: "wrong-password").status == 401)
        // The login form's own token is required.
        #expect(try await c.post("/login", ["username": "canbo", "password": "officer-pass-123"], csrf: false).status == 403)
        for _ in 0..<4 { _ = try await c.login("canbo", password: "still-wrong") }
        let locked = try await c.login("canbo")
        #expect(locked.status == 429, "the right password is refused while the account is throttled")
        let other = Client(s)
        #expect(try await other.login("kiemtra").status == 303)
        #expect(try await other.get("/review").status == 200)
        #expect(try await other.get("/desk").status == 403, "a reviewer is not an officer")
        #expect(try await other.get("/admin/audit").status == 403)
        let failed = try await s.station.database.auditEntries().filter { $0.action == "login.failed" }
        #expect(failed.count >= 5)
        #expect(failed.allSatisfy { !($0.detail ?? "").contains("wrong") }, "passwords are never logged")
        let out = try await other.post("/logout", [:])
        #expect(out.status == 303)
        #expect(try await other.get("/review").status == 303)
        await s.stop()
    }

    @Test func badInputGetsAClearErrorAndStoresNothing() async throws {
        let s = try await RunningStation.start()
        let c = Client(s)
        _ = try await c.login("canbo")
        let batch = try await c.openBatch()
        #expect(try await c.get("/desk/batches/b_NOSUCHBATCH0000000000000000").status == 404)
        #expect(try await c.get("/desk/batches/..%2F..%2Fetc").status == 404)
        #expect(try await c.get("/api/drafts/d_NOSUCHDRAFT0000000000000000").status == 404)
        #expect(try await c.get("/pages/\(batch)/7").status == 404)
        // A forged cross-site POST, and one without the token.
        #expect(try await c.post("/desk/batches", ["procedure": "x"], headers: [("Origin", "http://evil.example")]).status == 403)
        #expect(try await c.post("/desk/batches/\(batch)/read", [:], csrf: false).status == 403)
        // Malformed JSON.
        let json = try await c.send(.POST, "/api/drafts/d_NOSUCHDRAFT0000000000000000/fields/child.fullName",
                                    body: Data("{not json".utf8), contentType: "application/json",
                                    headers: [("X-CSRF-Token", c.csrf ?? "")])
        #expect(json.status == 400)
        // Not an image; an oversized upload; a path-traversal name.
        let junk = try await c.upload("/desk/batches/\(batch)/upload", files: [("../../etc/passwd", Data("root:x:0:0".utf8))])
        #expect(junk.status == 303)
        #expect(junk.location?.contains("error=") == true)
        let big = try await c.upload("/desk/batches/\(batch)/upload", files: [("big.png", Data(count: 9 << 20))])
        #expect(big.status == 413)
        #expect(try await s.station.database.pages(batchId: batch).isEmpty, "nothing stored")
        let page = try Data(contentsOf: samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png"))
        let ok = try await c.upload("/desk/batches/\(batch)/upload", files: [("../../../tmp/x/trang 1.png", page)])
        #expect(ok.status == 303)
        let pages = try await s.station.database.pages(batchId: batch)
        #expect(pages.count == 1)
        #expect(pages.first?.sourceName == "trang 1.png")
        // Without a token the upload is refused.
        #expect(try await c.upload("/desk/batches/\(batch)/upload", files: [("p.png", page)], withToken: false).status == 403)
        #expect(try await s.station.database.pages(batchId: batch).count == 1)
        await s.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func anOfficerReadsAFormAReviewerSettlesItAndTheOfficerSubmits() async throws {
        let s = try await RunningStation.start()
        let officer = Client(s)
        _ = try await officer.login("canbo")
        let batch = try await officer.openBatch()
        let page = try Data(contentsOf: samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png"))
        _ = try await officer.upload("/desk/batches/\(batch)/upload", files: [("to-khai.png", page)])
        #expect(try await officer.get("/desk/batches/\(batch)").body.contains("alt=\"Trang 1\""))
        #expect(try await officer.get("/pages/\(batch)/1?size=thumb").headers.first(name: "Content-Type") == "image/jpeg")
        #expect(try await officer.post("/desk/batches/\(batch)/read", [:]).status == 303)
        let read = try await waitFor(seconds: 60) {
            let status = try JSONSerialization.jsonObject(with: try await officer.get("/api/batches/\(batch)").data) as? [String: Any]
            return status?["draftId"] is String
        }
        #expect(read)
        let draft = try #require(try await s.station.database.draft(batchId: batch))
        let flagged = try #require(try await s.station.database.draft(id: draft.id)?.1.filter(\.needsReview))
        #expect(!flagged.isEmpty)
        // The API answers the same draft contract the CLI prints (DraftDocument), explicit nulls included.
        let api = try await officer.get("/api/drafts/\(draft.id)")
        let document = try JSONDecoder().decode(DraftDocument.self, from: api.data)
        #expect(document.id == draft.id && document.batchId == batch && document.form == "khai-sinh")
        #expect(document.fields.filter(\.needsReview).map(\.key) == flagged.map(\.key))
        let object = try #require(try JSONSerialization.jsonObject(with: api.data) as? [String: Any])
        #expect(Set(object.keys) == ["id", "batchId", "form", "procedure", "status", "fields", "warnings"])
        for f in try #require(object["fields"] as? [[String: Any]]) {
            #expect(Set(f.keys) == ["key", "value", "confidence", "needsReview", "page", "box", "raw"])
        }
        let desk = try await officer.get("/desk/batches/\(batch)")
        #expect(desk.body.contains("class=\"flagged\""))
        #expect(desk.body.contains("id=\"submit\" disabled"), "no submit while fields are flagged")
        #expect(try await officer.post("/desk/drafts/\(draft.id)/submit", [:]).location?.contains("error=") == true)

        // Reviewers: one holds the draft, the other cannot have it.
        let reviewer = Client(s), second = Client(s)
        _ = try await reviewer.login("kiemtra")
        _ = try await second.login("kiemtra2")
        #expect(try await reviewer.get("/review").body.contains(draft.id))
        #expect(try await reviewer.post("/review/next", [:]).location == "/review/drafts/\(draft.id)")
        let reviewPage = try await reviewer.get("/review/drafts/\(draft.id)")
        #expect(reviewPage.status == 200)
        #expect(reviewPage.body.contains("/drafts/\(draft.id)/fields/\(flagged[0].key)/crop"))
        #expect(try await second.get("/review/drafts/\(draft.id)").status == 409)
        #expect(try await second.post("/review/next", [:]).location == "/review", "nothing else to take")
        // A value its type's check refuses is sent back, the field unchanged.
        let dateKey = "child.dateOfBirth"
        let refused = try await reviewer.post("/review/drafts/\(draft.id)/fields/\(dateKey)", ["value": "31/02/2024"])
        #expect(refused.location?.contains("error=") == true)
        // Settle every flagged field with what the paper says; the last one makes the draft ready.
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: samplesDirectory
            .appendingPathComponent("forms/dev-001-khai-sinh.json"))) as? [String: Any]
        let paper = try #require(truth?["fields"] as? [String: Any])
        var last: Client.Reply?
        for f in flagged {
            let value = paper[f.key] as? String ?? f.value ?? ""
            last = try await reviewer.post("/review/drafts/\(draft.id)/fields/\(f.key)", ["value": value])
            #expect(last?.status == 303)
            #expect(last?.location?.contains("error=") == false, "\(f.key): \(last?.location ?? "")")
        }
        #expect(last?.location?.hasPrefix("/review?done=") == true)
        #expect(try await s.station.database.draft(id: draft.id)?.0.status == .ready)

        // The officer submits: the dossier is queued for the case system.
        #expect(try await officer.post("/desk/drafts/\(draft.id)/submit", [:]).status == 303)
        #expect(try await s.station.database.draft(id: draft.id)?.0.status == .queued)
        #expect(try await s.station.database.outbox().count == 1)

        // The audit log tells the story, and its chain holds.
        let admin = Client(s)
        _ = try await admin.login("quantri")
        let audit = try await admin.get("/admin/audit")
        #expect(audit.body.contains("Chuỗi nhật ký nguyên vẹn"))
        let actions = try await s.station.database.auditEntries(limit: 500).map(\.action)
        for a in ["batch.create", "page.upload", "batch.read", "field.confirm", "draft.status", "draft.submit", "login"] {
            #expect(actions.contains(a), "\(a)")
        }
        #expect(try await s.station.database.verifyAudit().isIntact)
        let metrics = try await admin.get("/metrics")
        #expect(metrics.body.contains("sohoa_review_backlog 0"))
        #expect(metrics.body.contains("sohoa_outbox{state=\"pending\"} 1"))
        await s.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aReadCutShortByAStopIsDoneAgainAtTheNextStart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-resume-\(UUID().uuidString)")
        let batchId: String
        do {
            // A batch whose read had begun (status processing) when the service stopped.
            let station = try StationParts(StationConfiguration(dataDirectory: dir, workers: 1))
            let url = samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png")
            let info = try ImageProbe.probe(url)
            let hash = try station.blobs.put(try Data(contentsOf: url))
            let batch = try await station.database.beginBatch(source: "desk:canbo")
            _ = try await station.database.addCapturedPage(batchId: batch.id, NewPage(
                sourceName: "to-khai.png", sourcePage: 0, originalSha256: hash, format: info.format.rawValue,
                width: info.pages[0].width, height: info.pages[0].height, dpi: 250, dpiAssumed: false))
            try await station.database.finishCapture(batchId: batch.id)
            batchId = batch.id
        }
        let s = try await RunningStation.start(in: dir)
        let done = try await waitFor(seconds: 60) { try await s.station.database.draft(batchId: batchId) != nil }
        #expect(done, "the interrupted read was done again")
        await s.stop()
    }

    @Test func anOfficerTurnsMovesAndDeletesPagesOfAnOpenBatch() async throws {
        let s = try await RunningStation.start()
        let c = Client(s)
        _ = try await c.login("canbo")
        let batch = try await c.openBatch()
        let form = try Data(contentsOf: samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png"))
        let other = try Data(contentsOf: samplesDirectory.appendingPathComponent("forms/dev-004-khai-sinh.png"))
        _ = try await c.upload("/desk/batches/\(batch)/upload", files: [("a.png", form), ("b.png", other)])
        var pages = try await s.station.database.pages(batchId: batch)
        #expect(pages.map(\.sourceName) == ["a.png", "b.png"])
        let (w, h) = (pages[0].width, pages[0].height)

        #expect(try await c.post("/desk/batches/\(batch)/pages/1/rotate", [:]).status == 303)
        pages = try await s.station.database.pages(batchId: batch)
        #expect(pages[0].width == h && pages[0].height == w, "turned a quarter")
        #expect(try await c.post("/desk/batches/\(batch)/pages/2/move", ["to": "1"]).status == 303)
        #expect(try await s.station.database.pages(batchId: batch).map(\.sourceName) == ["b.png", "a.png"])
        #expect(try await c.post("/desk/batches/\(batch)/pages/1/delete", [:]).status == 303)
        #expect(try await s.station.database.pages(batchId: batch).map(\.sourceName) == ["a.png"])
        #expect(try await c.post("/desk/batches/\(batch)/pages/9/delete", [:]).status == 404)
        #expect(try await c.post("/desk/batches/\(batch)/pages/1/shred", [:]).status == 404)
        // No scanner at this station: a rescan is refused.
        #expect(try await c.post("/desk/batches/\(batch)/pages/1/rescan", ["device": "test:0"]).status == 400)
        let actions = try await s.station.database.auditEntries(subject: batch).map(\.action)
        #expect(Set(actions).isSuperset(of: ["page.rotate", "page.move", "page.delete"]))
        await s.stop()
    }

    @Test func theAuditLogCannotBeChangedAndTamperingShows() async throws {
        let s = try await RunningStation.start()
        let db = s.station.database
        try await db.audit(actor: "a", action: "x", subject: nil)
        try await db.audit(actor: "b", action: "y", subject: nil)
        #expect(try await db.verifyAudit().isIntact)
        #expect(throws: (any Error).self) { try rawSQL(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 2") }
        #expect(throws: (any Error).self) { try rawSQL(db, "DELETE FROM audit WHERE seq = 3") }
        // Someone with the file drops the guard and edits an entry: the chain shows where.
        try rawSQL(db, "DROP TRIGGER audit_no_update")
        try rawSQL(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 2")
        let result = try await db.verifyAudit()
        #expect(result.brokenAt == 2)
        await s.stop()
    }
}

/// The admin's audit page: readable action names, whether an entry seals citizens' values and whether retention
/// destroyed them (never the values), 100 entries a page and a filter by subject.
extension ServerTests {
    @Test func theAuditPageLabelsSealedValuesPagesAndFilters() async throws {
        let s = try await RunningStation.start()
        let db = s.station.database
        let kept = try await s.app.batches.open(procedure: "1.001193", by: .system).id
        let gone = try await s.app.batches.open(procedure: "1.001193", by: .system).id
        let secret = "NGUYỄN VĂN BÍMẬT"
        for (draft, batch) in [("d_KEPT", kept), ("d_GONE", gone)] {
            try await db.audit(AuditEvent(actor: "kiemtra", action: "field.update", subject: draft, batchId: batch,
                                          detail: ["key": "child.fullName"], sealed: ["from": "", "to": secret]))
        }
        // As retention does: the batch's key goes, the entry stays.
        try rawSQL(db, "UPDATE auditKey SET key = NULL, destroyedAt = CURRENT_TIMESTAMP WHERE batchId = '\(gone)'")
        for i in 0..<230 { try await db.audit(actor: "test", action: "test.noise", subject: "s_\(i)") }
        let c = Client(s)
        _ = try await c.login("quantri")
        let total = try await db.verifyAudit().entries

        func rows(_ page: String) -> [Int64] {
            page.matches(of: /<tr id="e-(\d+)"/).compactMap { Int64($0.output.1) }
        }
        // Paging: newest first, 100 a page, every entry once.
        var seen: [Int64] = []
        var path: String? = "/admin/audit"
        var pages = 0
        while let next = path {
            let r = try await c.get(next)
            #expect(r.status == 200)
            let csp = r.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
            #expect(!r.body.contains(secret), "sealed values never show on the list")
            let shown = rows(r.body)
            #expect(shown.count <= 100 && !shown.isEmpty)
            seen += shown
            pages += 1
            path = r.body.firstMatch(of: /id="older" href="([^"]+)"|href="([^"]+)" id="older"/)
                .map { String($0.output.1 ?? $0.output.2 ?? "").replacingOccurrences(of: "&amp;", with: "&") }
            if pages > 1 { #expect(r.body.contains("id=\"newest\"")) }
            #expect(pages < 10)
        }
        #expect(pages == (total + 99) / 100)
        #expect(seen.count == total && Set(seen).count == total && seen == seen.sorted(by: >))
        #expect(try await c.get("/admin/audit?before=101").body.contains("<tr id=\"e-100\""))
        #expect(try await c.get("/admin/audit?before=abc").status == 400)

        // Labels: the action in Vietnamese with its code; sealed, destroyed or none.
        let page = try await c.get("/admin/audit?subject=\(kept)").body
        #expect(page.contains("Sửa trường") && page.contains(">field.update</small>"))
        #expect(page.contains("Mở hồ sơ") && page.contains(">batch.create</small>"))
        let keptRow = try #require(page.firstMatch(of: /<tr id="e-\d+">(?:(?!<\/tr>).)*field\.update(?:(?!<\/tr>).)*<\/tr>/.dotMatchesNewlines()))
        #expect(keptRow.output.contains("data-values=\"sealed\"") && keptRow.output.contains("Đã niêm phong"))
        #expect(page.contains("data-values=\"none\""), "the batch's own entry seals nothing")
        // The filter: a batch shows its own entries and those sealed with its key (its draft's edits), nothing else.
        #expect(rows(page).count == 2)
        #expect(page.contains("value=\"\(kept)\""))
        #expect(!page.contains("d_GONE") && !page.contains("test.noise"))
        let gonePage = try await c.get("/admin/audit?subject=d_GONE").body
        #expect(rows(gonePage).count == 1)
        #expect(gonePage.contains("data-values=\"destroyed\"") && gonePage.contains("Đã hủy theo thời hạn lưu trữ"))
        #expect(!gonePage.contains(secret))
        let none = try await c.get("/admin/audit?subject=s_999").body
        #expect(rows(none).isEmpty && none.contains("id=\"no-entries\""))
        // An unknown code is named as such; the filter's text comes back escaped.
        let noise = try await c.get("/admin/audit?subject=s_7").body
        #expect(noise.contains("Thao tác khác") && noise.contains(">test.noise</small>"))
        let hostile = try await c.get("/admin/audit?subject=%3Cscript%3Ealert(1)%3C%2Fscript%3E").body
        #expect(!hostile.contains("<script>alert(1)</script>"))
        #expect(hostile.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        await s.stop()
    }
}

/// SQL straight at the database file, as someone with access to it could run.
func rawSQL(_ database: AppDatabase, _ sql: String) throws {
    try database.writer.write { db in try db.execute(sql: sql) }
}

/// `sohoa users` and `sohoa audit` as an admin runs them.
@Suite struct AccountsCLITests {
    @Test func theFirstAdminIsCreatedFromTheCommandLineAndTheAuditChainIsVerified() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-users-\(UUID().uuidString)").path
        var env = ProcessInfo.processInfo.environment
        env["SOHOA_PASSWORD"] = "short"
        let weak = try runProgramSync(sohoaExecutable(), ["users", "add", "quantri", "--role", "admin", "--data", data], environment: env)
        #expect(weak.status == 64)
        #expect(weak.stderr.contains("at least 10"))
        env["SOHOA_PASSWORD"] = "a-long-enough-secret"
        let made = try runProgramSync(sohoaExecutable(), ["users", "add", "quantri", "--role", "admin", "--data", data], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let again = try runProgramSync(sohoaExecutable(), ["users", "add", "QuanTri", "--role", "officer", "--data", data], environment: env)
        #expect(again.status == 9, "user names are unique whatever their case")
        #expect(try runProgramSync(sohoaExecutable(), ["users", "add", "../x", "--role", "admin", "--data", data], environment: env).status == 64)
        let list = try runProgramSync(sohoaExecutable(), ["users", "list", "--data", data])
        #expect(list.stdout.contains("quantri\tadmin"))
        #expect(!list.stdout.contains("a-long-enough-secret"))

        let verified = try runProgramSync(sohoaExecutable(), ["audit", "verify", "--data", data])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("1 mục"))
        // Edit the file behind the station's back: verify says where.
        let station = try StationParts(StationConfiguration(dataDirectory: URL(fileURLWithPath: data), workers: 1))
        try rawSQL(station.database, "DROP TRIGGER audit_no_update")
        try rawSQL(station.database, "UPDATE audit SET detail = '{\"role\":\"officer\"}' WHERE seq = 1")
        let broken = try runProgramSync(sohoaExecutable(), ["audit", "verify", "--data", data])
        #expect(broken.status == 10)
        #expect(broken.stderr.contains("altered at entry 1"))
    }
}
