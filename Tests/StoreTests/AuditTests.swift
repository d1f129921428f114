import Foundation
import GRDB
import Testing

@testable import Store

/// The audit log keeps who, what and when in clear and citizens' values sealed, with a key retention destroys.
@Suite struct AuditTests {
    static let oldName = "NGUYỄN AN"
    static let newName = "TRẦN THỊ BÍCH NGỌC"

    func temporaryDatabase() throws -> (AppDatabase, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-audit-\(UUID().uuidString)")
        return (try AppDatabase.open(at: dir.appendingPathComponent("sohoa.sqlite")), dir)
    }

    /// A stored draft with one field, and a reviewer.
    func draftAndReviewer(_ db: AppDatabase) async throws -> (Draft, User) {
        let page = NewPage(sourceName: "a.png", sourcePage: 0, originalSha256: String(repeating: "ab", count: 32),
                           format: "png", width: 100, height: 100, dpi: 300, dpiAssumed: false)
        let result = PageResult(cleanedSha256: String(repeating: "cd", count: 32), quarterTurns: 0, skewDegrees: 0,
                                isBlank: false, ocrJSON: #"{"text":"\#(Self.oldName)"}"#)
        let field = NewField(key: "child.fullName", value: Self.oldName, raw: Self.oldName, confidence: 0.5,
                             needsReview: true, page: 1, box: nil)
        let (draft, _, _) = try await db.storeDocument(source: "files", pages: [page], results: [result], form: "khai-sinh",
                                                 procedure: "1.001193", fields: [field])
        let user = try await db.createUser(username: "kiemtra", displayName: "Kiểm Tra", role: .reviewer, passwordHash: "x",
                                     actor: "test")
        return (draft, user)
    }

    /// Every column of every audit row, as the file holds them.
    func rawAudit(_ db: AppDatabase) throws -> String {
        try db.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit").map { row in
                row.databaseValues.map { $0.description }.joined(separator: "|")
            }.joined(separator: "\n")
        }
    }

    @Test func aFieldEditLeavesNoValueInClearAndOpensWhileTheKeyExists() async throws {
        let (db, dir) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (draft, user) = try await draftAndReviewer(db)
        try await db.updateField(draftId: draft.id, key: "child.fullName", value: Self.newName, needsReview: false,
                           user: user, requireClaim: false)
        let raw = try rawAudit(db)
        #expect(raw.contains("child.fullName"), "the field key stays in clear")
        #expect(!raw.contains(Self.newName) && !raw.contains(Self.oldName), "no value in clear")
        let entry = try await #require(try db.auditEntries().first { $0.action == "field.update" })
        #expect(entry.values == .sealed)
        #expect(entry.batchId == draft.batchId)
        #expect(entry.clearDetail["key"] == "child.fullName")
        await #expect(try db.openedDetail(entry) == ["from": Self.oldName, "to": Self.newName])
        await #expect(try db.verifyAudit().isIntact)
        await #expect(try db.verifyAudit().anchor == nil, "a new station has nothing to re-anchor")
    }

    @Test func retentionDestroysTheKeyAndTheValuesYetTheChainVerifies() async throws {
        let (db, dir) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (draft, user) = try await draftAndReviewer(db)
        try await db.updateField(draftId: draft.id, key: "child.fullName", value: Self.newName, needsReview: false,
                           user: user, requireClaim: false)
        let delivery = try await db.enqueueDelivery(draftId: draft.id, recordSha256: String(repeating: "ef", count: 32),
                                              acceptFlagged: false, actor: "test")
        try await db.markDelivered(id: delivery.id, receiptCode: "000.00.00.H99-260101-0001", receipt: "{}")
        let before = try await db.verifyAudit()
        #expect(before.isIntact)
        let edit = try await #require(try db.auditEntries().first { $0.action == "field.update" })
        await #expect(try db.openedDetail(edit) != nil)

        let plan = try await db.purgePlan(deliveredBefore: Date().addingTimeInterval(1))
        let item = try #require(plan.items.first)
        try await db.markPurged(item)

        let after = try await db.verifyAudit()
        #expect(after.isIntact)
        #expect(after.entries == before.entries + 1)  // the purge's own entry
        let sealed = try await #require(try db.auditEntries().first { $0.seq == edit.seq })
        #expect(sealed.values == .destroyed)
        #expect(sealed.hash == edit.hash)
        await #expect(try db.openedDetail(sealed) == nil)
        let (_, fields) = try await #require(try db.draft(id: draft.id))
        #expect(fields.allSatisfy { $0.value == nil && $0.raw == nil })
        await #expect(try db.pages(batchId: draft.batchId).allSatisfy { $0.ocr == nil && $0.purgedAt != nil })
        let kept = try await #require(try db.outboxEntry(id: delivery.id))
        #expect(kept.receiptCode == "000.00.00.H99-260101-0001" && kept.recordSha256 == item.recordSha256)
        let ledger = try await db.purgeLedger()
        #expect(ledger.map(\.batchId) == [draft.batchId])
        #expect(ledger[0].files.contains(item.recordSha256))
        await #expect(throws: StoreError.self) {
            try await db.audit(AuditEvent(actor: "x", action: "y", batchId: draft.batchId, sealed: ["v": "again"]))
        }
        try await db.checkpoint()  // as Retention does after a run
        let file = try Data(contentsOf: dir.appendingPathComponent("sohoa.sqlite"))
            + ((try? Data(contentsOf: dir.appendingPathComponent("sohoa.sqlite-wal"))) ?? Data())
        #expect(file.range(of: Data(Self.newName.utf8)) == nil, "no value stays in the file or its log")
    }

    @Test func aFailedLoginKeepsAKeyedHashNotTheTypedName() async throws {
        let (db, dir) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: dir) }
        let typed = "MậtKhẩu-Bí-Mật-2026!"
        try await db.recordFailedLogin(username: typed, from: "127.0.0.1")
        let raw = try rawAudit(db)
        #expect(!raw.contains(typed) && !raw.lowercased().contains(typed.lowercased()))
        let entry = try await #require(try db.auditEntries().first { $0.action == "login.failed" })
        await #expect(entry.clearDetail["name.hmac"] == (try db.failedLoginDigest(username: typed.uppercased())))
        #expect(entry.clearDetail["name.hmac"] != SHA256.hex(Data(typed.lowercased().utf8)), "keyed, not a bare hash")
        #expect(entry.clearDetail["from"] == "127.0.0.1")
    }

    @Test func anEntryAppendedInAFailedTransactionIsNotKept() async throws {
        let db = try AppDatabase.inMemory()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.writer.write { db in
                try AppDatabase.appendAudit(db, AuditEvent(actor: "a", action: "x"), at: Date())
                throw Boom()
            }
        }
        #expect(try await db.auditEntries().isEmpty)
    }

    /// A database of the schema before sealing, with entries in clear: the migration seals them and re-anchors.
    @Test func theMigrationSealsClearEntriesAndVerifySaysTheChainWasReAnchored() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sohoa.sqlite").path
        let typedName = "hunter2-password"
        let fileName = "cccd-nguyen-van-a.jpg"
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            let old = try DatabaseQueue(path: path, configuration: config)
            try AppDatabase.migrator.migrate(old, upTo: "v5-kiosks-intakes")
            try await old.write { db in
                let now = Date()
                try db.execute(sql: "INSERT INTO batch (id, createdAt, source, status) VALUES ('b_1', ?, 'files', 'ready')",
                               arguments: [now])
                try db.execute(sql: """
                    INSERT INTO draft (id, batchId, status, createdAt, updatedAt) VALUES ('d_1', 'b_1', 'ready', ?, ?)
                    """, arguments: [now, now])
                let events: [(String, String?, [String: String])] = [
                    ("field.update", "d_1", ["key": "child.fullName", "from": Self.oldName, "to": Self.newName,
                                             "flagged": "true→false"]),
                    ("login.failed", nil, ["username": typedName, "from": "10.0.0.9"]),
                    ("page.upload", "b_1", ["file": fileName, "pages": "1"]),
                    ("field.update", "d_gone", ["key": "child.sex", "from": "Nam", "to": "Nữ"]),
                ]
                var prev = AppDatabase.auditGenesis
                for (i, (action, subject, detail)) in events.enumerated() {
                    let e = StoredAuditEntry(seq: Int64(i + 1), at: now, actor: "canbo", action: action,
                                             subject: subject, detail: AppDatabase.canonicalJSON(detail), batchId: nil,
                                             sealed: nil, prevHash: prev)
                    try db.execute(sql: """
                        INSERT INTO audit (seq, at, actor, action, subject, detail, prevHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [e.seq, e.at, e.actor, e.action, e.subject, e.detail, prev, e.legacyHash])
                    prev = e.legacyHash
                }
            }
        }
        let db = try AppDatabase.open(at: URL(fileURLWithPath: path))
        let raw = try rawAudit(db)
        for value in [Self.oldName, Self.newName, typedName, fileName, "\"Nam\""] {
            #expect(!raw.contains(value), "\(value) is sealed")
        }
        let result = try await db.verifyAudit()
        #expect(result.isIntact)
        let anchor = try #require(result.anchor)
        #expect(anchor.migration == "v6-sealed-audit" && anchor.previousEntries == 4 && anchor.previousBrokenAt == nil)
        #expect(result.entries == 5 && result.entriesSinceAnchor == 0)
        #expect(anchor.summary(entriesSince: 0).contains("re-anchored on"))
        let entries = try await db.auditEntries()
        let edit = try #require(entries.first { $0.seq == 1 })
        await #expect(try db.openedDetail(edit) == ["from": Self.oldName, "to": Self.newName])
        #expect(edit.clearDetail == ["key": "child.fullName", "flagged": "true→false"])
        let upload = try #require(entries.first { $0.seq == 3 })
        await #expect(try db.openedDetail(upload) == ["file": fileName])
        let orphan = try #require(entries.first { $0.seq == 4 })
        #expect(orphan.values == .destroyed, "a value of a batch that is gone is sealed with a key nobody keeps")
        let failed = try #require(entries.first { $0.seq == 2 })
        await #expect(failed.clearDetail["name.hmac"] == (try db.failedLoginDigest(username: typedName)))
        try await db.audit(actor: "a", action: "x", subject: nil)
        await #expect(try db.verifyAudit().entriesSinceAnchor == 1)
        // Tampering after the re-anchor still shows.
        try await db.writer.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit SET actor = 'mallory' WHERE seq = 2")
        }
        await #expect(try db.verifyAudit().brokenAt == 2)
    }
}
