import Foundation
import GRDB

/// Migration `v6-sealed-audit`: the audit log stops keeping citizens' values in clear.
extension AppDatabase {
    static let sealedAuditMigration = "v6-sealed-audit"

    /// Adds the per-batch keys and the station's secrets, then rewrites the entries already stored: a field's old
    /// and new value and an upload's file name are sealed with their batch's key (with a key nobody keeps when the
    /// batch is gone), a failed login's typed name becomes its keyed hash. Rewriting changes the hashes, so the chain
    /// is re-anchored: every entry is chained anew from the start, an `audit.reanchor` entry is appended, and
    /// `auditAnchor` keeps the old head, its length and whether the old chain verified, for `sohoa audit verify`.
    static func migrateToSealedAudit(_ db: Database) throws {
        try db.alter(table: "audit") { t in
            t.add(column: "batchId", .text)
            t.add(column: "sealed", .text)
        }
        // One key per batch; retention sets `key` to NULL. A batch deleted (an abandoned intake) takes its key along.
        try db.create(table: "auditKey") { t in
            t.primaryKey("batchId", .text).references("batch", onDelete: .cascade)
            t.column("key", .blob).check { $0 == nil || length($0) == 32 }
            t.column("createdAt", .datetime).notNull()
            t.column("destroyedAt", .datetime)
            t.check(sql: "(key IS NULL) = (destroyedAt IS NOT NULL)")
        }
        try db.create(table: "stationSecret") { t in
            t.primaryKey("name", .text)
            t.column("value", .blob).notNull()
            t.column("createdAt", .datetime).notNull()
        }
        try db.create(table: "auditAnchor") { t in
            t.primaryKey("seq", .integer)
            t.column("at", .datetime).notNull()
            t.column("migration", .text).notNull()
            t.column("previousHead", .text).notNull()
            t.column("previousEntries", .integer).notNull()
            t.column("previousBrokenAt", .integer)
        }
        _ = try stationSecret(db, "login-name-hmac")

        let entries = try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq")
        guard let head = entries.last else { return }  // a new station: nothing to re-anchor

        // The old chain, checked once more before it is rewritten (the anchor says if it was already broken).
        var prev = auditGenesis
        var brokenAt: Int64?
        for (i, e) in entries.enumerated() {
            if e.seq != Int64(i + 1) || e.prevHash != prev || e.hash != StoredAuditEntry(e).legacyHash {
                brokenAt = e.seq
                break
            }
            prev = e.hash
        }

        try db.execute(sql: "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete")
        let forgotten = Sealing.newKey()  // seals values of batches that no longer exist; never stored
        prev = auditGenesis
        var sealedCount = 0
        for e in entries {
            var stored = StoredAuditEntry(e)
            stored.prevHash = prev
            var detail = e.clearDetail
            var values: [String: String] = [:]
            var batchId: String?
            switch e.action {
            case "field.update", "field.confirm":
                for key in ["from", "to"] { values[key] = detail.removeValue(forKey: key) }
                if let draft = e.subject {
                    batchId = try String.fetchOne(db, sql: "SELECT batchId FROM draft WHERE id = ?", arguments: [draft])
                }
            case "page.upload":
                values["file"] = detail.removeValue(forKey: "file")
                if let batch = e.subject, try Batch.exists(db, key: batch) { batchId = batch }
            case "login.failed":
                if let name = detail.removeValue(forKey: "username") {
                    detail[failedLoginNameKey] = try loginNameDigest(db, name)
                    stored.detail = canonicalJSON(detail)
                }
            default:
                break
            }
            if !values.isEmpty {
                stored.detail = detail.isEmpty ? nil : canonicalJSON(detail)
                stored.batchId = batchId
                let key = try batchId.map { try batchKey(db, batchId: $0, at: e.at) } ?? forgotten
                stored.sealed = try Sealing.seal(values, key: key,
                                                 context: sealingContext(seq: e.seq, batchId: batchId))
                sealedCount += 1
            }
            let hash = stored.hash
            try db.execute(sql: """
                UPDATE audit SET detail = ?, batchId = ?, sealed = ?, prevHash = ?, hash = ? WHERE seq = ?
                """, arguments: [stored.detail, stored.batchId, stored.sealed, stored.prevHash, hash, e.seq])
            prev = hash
        }
        try createAuditTriggers(db)

        let now = Date()
        var detail = ["migration": sealedAuditMigration, "previousHead": head.hash,
                      "previousEntries": "\(entries.count)", "sealed": "\(sealedCount)"]
        if let brokenAt { detail["previousBrokenAt"] = "\(brokenAt)" }
        try appendAudit(db, AuditEvent(actor: "migration", action: "audit.reanchor", detail: detail), at: now)
        let markerSeq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit") ?? 0
        try db.execute(sql: """
            INSERT INTO auditAnchor (seq, at, migration, previousHead, previousEntries, previousBrokenAt)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [markerSeq, now, sealedAuditMigration, head.hash, entries.count, brokenAt])
    }

    static func createAuditTriggers(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """)
    }
}
