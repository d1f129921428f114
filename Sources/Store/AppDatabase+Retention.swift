import Foundation
import GRDB

/// What retention may remove: per dossier delivered before a cut-off, its page files, except files still used by a
/// page that stays.
public struct PurgePlan: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var deliveryId: String
        public var batchId: String
        /// The package record (it names the package's PDF files).
        public var recordSha256: String
        /// Page images (originals and cleaned) to delete.
        public var pageBlobs: Set<String>
    }

    public var items: [Item]
}

/// Retention's record of a dossier it purged: what proves the delivery (receipt code, hashes, dates) and the files it
/// removed. The ledger outlives the data; a restore consults it so that it never brings back what retention destroyed.
public struct PurgeLedgerEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "purgeLedger"
    public var batchId: String
    public var deliveryId: String
    public var receiptCode: String?
    public var deliveredAt: Date?
    public var recordSha256: String
    /// Every stored file removed with the dossier (page images, the record, the package's PDFs).
    public var files: [String]
    public var purgedAt: Date

    public init(batchId: String, deliveryId: String, receiptCode: String?, deliveredAt: Date?, recordSha256: String,
                files: [String], purgedAt: Date) {
        self.batchId = batchId
        self.deliveryId = deliveryId
        self.receiptCode = receiptCode
        self.deliveredAt = deliveredAt
        self.recordSha256 = recordSha256
        self.files = files
        self.purgedAt = purgedAt
    }
}

extension AppDatabase {
    /// Migration `v7-purge-ledger`.
    static func createPurgeLedger(_ db: Database) throws {
        // No foreign keys: the ledger must outlive the rows it speaks of.
        try db.create(table: "purgeLedger") { t in
            t.primaryKey("batchId", .text)
            t.column("deliveryId", .text).notNull()
            t.column("receiptCode", .text)
            t.column("deliveredAt", .datetime)
            t.column("recordSha256", .text).notNull()
            t.column("files", .text).notNull()
            t.column("purgedAt", .datetime).notNull()
        }
        // Dossiers purged before the ledger existed (their page files went; their values go now).
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.id, o.receiptCode, o.deliveredAt, o.recordSha256, o.purgedAt, d.batchId
            FROM delivery o JOIN draft d ON d.id = o.draftId WHERE o.purgedAt IS NOT NULL
            """)
        for row in rows {
            let entry = PurgeLedgerEntry(batchId: row["batchId"], deliveryId: row["id"], receiptCode: row["receiptCode"],
                                         deliveredAt: row["deliveredAt"], recordSha256: row["recordSha256"],
                                         files: [], purgedAt: row["purgedAt"])
            try purge(db, entry, actor: "migration", now: row["purgedAt"])
        }
    }

    /// The files retention may remove for dossiers delivered before `cutoff` and not purged yet.
    public func purgePlan(deliveredBefore cutoff: Date) async throws -> PurgePlan {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.id, o.recordSha256, d.batchId FROM delivery o JOIN draft d ON d.id = o.draftId
                WHERE o.state = 'delivered' AND o.purgedAt IS NULL AND o.deliveredAt < ?
                ORDER BY o.deliveredAt
                """, arguments: [cutoff])
            let batchIds: [String] = rows.map { $0["batchId"] }
            guard !batchIds.isEmpty else { return PurgePlan(items: []) }
            let placeholders = databaseQuestionMarks(count: batchIds.count)
            let args = StatementArguments(batchIds)
            // A file shared with a page that stays (the same sheet scanned into another batch) is kept.
            let kept = Set(try String.fetchAll(db, sql: """
                SELECT originalSha256 FROM page WHERE batchId NOT IN (\(placeholders)) AND purgedAt IS NULL
                UNION SELECT cleanedSha256 FROM page
                WHERE batchId NOT IN (\(placeholders)) AND purgedAt IS NULL AND cleanedSha256 IS NOT NULL
                """, arguments: args + args))
            return PurgePlan(items: try rows.map { row in
                let batchId: String = row["batchId"]
                let files = try String.fetchAll(db, sql: """
                    SELECT originalSha256 FROM page WHERE batchId = ?
                    UNION SELECT cleanedSha256 FROM page WHERE batchId = ? AND cleanedSha256 IS NOT NULL
                    """, arguments: [batchId, batchId])
                return PurgePlan.Item(deliveryId: row["id"], batchId: batchId, recordSha256: row["recordSha256"],
                                      pageBlobs: Set(files).subtracting(kept))
            })
        }
    }

    /// Records, in one transaction with its audit entry, that a dossier's files were removed, and removes the rest of
    /// what it holds of the citizen: field values and raw OCR text, the pages' OCR text and file names, the intake's
    /// phone number, and the batch's audit key (its sealed audit values become unreadable; the chain still
    /// verifies). What proves the delivery stays: the delivery row (receipt, record hash, dates) and the pages' rows
    /// with their hashes. `files` are the stored files removed, for the purge ledger.
    public func markPurged(_ item: PurgePlan.Item, files: Set<String> = [], now: Date = Date()) async throws {
        try await writer.write { db in
            let delivery = try OutboxEntry.fetchOne(db, key: item.deliveryId)
            let entry = PurgeLedgerEntry(batchId: item.batchId, deliveryId: item.deliveryId,
                                         receiptCode: delivery?.receiptCode, deliveredAt: delivery?.deliveredAt,
                                         recordSha256: item.recordSha256,
                                         files: files.union(item.pageBlobs).union([item.recordSha256]).sorted(),
                                         purgedAt: now)
            try Self.purge(db, entry, actor: "retention", now: now)
        }
    }

    /// Applies purges recorded in a ledger (this store's own, or a newer copy's) to this store: what a restore of
    /// an older backup must do so that it never brings back what retention destroyed. Returns the entries that
    /// concerned a batch of this store.
    public func reapplyPurges(_ ledger: [PurgeLedgerEntry], now: Date = Date()) async throws -> [PurgeLedgerEntry] {
        try await writer.write { db in
            var applied: [PurgeLedgerEntry] = []
            for entry in ledger where try Batch.exists(db, key: entry.batchId) {
                let known = try PurgeLedgerEntry.fetchOne(db, key: entry.batchId)
                let keyLeft = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditKey WHERE batchId = ? AND key IS NOT NULL",
                                               arguments: [entry.batchId]) ?? 0
                if known != nil && keyLeft == 0 { applied.append(known!); continue }
                var merged = entry
                if let known { merged.files = Array(Set(known.files).union(entry.files)).sorted() }
                try Self.purge(db, merged, actor: "restore", now: now)
                applied.append(merged)
            }
            return applied
        }
    }

    /// This store's purge ledger, oldest first.
    public func purgeLedger() async throws -> [PurgeLedgerEntry] {
        try await writer.read { db in try PurgeLedgerEntry.order(Column("purgedAt"), Column("batchId")).fetchAll(db) }
    }

    /// The purge ledger of another store's database file (a newer backup, the old data directory), read without
    /// changing it. A store from before the ledger has none.
    public static func purgeLedger(ofStoreAt url: URL) throws -> [PurgeLedgerEntry] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: url.path, configuration: config)
        return try queue.read { db in
            guard try db.tableExists("purgeLedger") else { return [] }
            return try PurgeLedgerEntry.order(Column("purgedAt")).fetchAll(db)
        }
    }

    /// Hashes of the stored files that pages not purged still use.
    public func filesInUse() async throws -> Set<String> {
        try await writer.read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT originalSha256 FROM page WHERE purgedAt IS NULL
                UNION SELECT cleanedSha256 FROM page WHERE purgedAt IS NULL AND cleanedSha256 IS NOT NULL
                """))
        }
    }

    /// Writes the WAL back into the database file and empties it, so that removed values do not linger in the log
    /// (deleted content is zeroed in the file: `secure_delete`).
    public func checkpoint() async throws {
        guard writer is DatabasePool else { return }
        try await writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// The same, for a caller that is not async (compacting after a restore).
    func checkpointNow() throws {
        guard writer is DatabasePool else { return }
        try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// A consistent copy of the whole store in a new file (`VACUUM INTO`: no free pages, so nothing deleted comes
    /// along), for a backup. The audit keys and the station's secrets are in it.
    public func copy(to url: URL) throws {
        try writer.vacuum(into: url.path)
    }

    /// Rewrites the file without free pages and empties the WAL (after a restore re-applied purges).
    public func compact() throws {
        try writer.vacuum()
        try checkpointNow()
    }

    static func purge(_ db: Database, _ entry: PurgeLedgerEntry, actor: String, now: Date) throws {
        let batchId = entry.batchId
        try db.execute(sql: """
            UPDATE delivery SET state = 'delivered', receiptCode = COALESCE(receiptCode, ?),
                   deliveredAt = COALESCE(deliveredAt, ?, ?), purgedAt = COALESCE(purgedAt, ?),
                   leaseOwner = NULL, leaseUntil = NULL, updatedAt = ?
            WHERE id = ? AND (receiptCode IS NOT NULL OR ? IS NOT NULL)
            """, arguments: [entry.receiptCode, entry.deliveredAt, now, now, now, entry.deliveryId, entry.receiptCode])
        try db.execute(sql: "UPDATE draft SET status = 'delivered', updatedAt = ? WHERE batchId = ?",
                       arguments: [now, batchId])
        try db.execute(sql: "UPDATE batch SET status = 'delivered', updatedAt = ? WHERE id = ?", arguments: [now, batchId])
        try db.execute(sql: """
            UPDATE field SET value = NULL, raw = NULL WHERE draftId IN (SELECT id FROM draft WHERE batchId = ?)
            """, arguments: [batchId])
        try db.execute(sql: """
            UPDATE page SET ocr = NULL, sourceName = '', error = NULL, purgedAt = COALESCE(purgedAt, ?) WHERE batchId = ?
            """, arguments: [now, batchId])
        try db.execute(sql: "UPDATE intake SET phone = NULL WHERE batchId = ?", arguments: [batchId])
        try db.execute(sql: "UPDATE ingestedFile SET name = '' WHERE batchId = ?", arguments: [batchId])
        try db.execute(sql: "DELETE FROM reviewClaim WHERE draftId IN (SELECT id FROM draft WHERE batchId = ?)",
                       arguments: [batchId])
        // The key goes; a destroyed key's row stays, so that no value of this batch is sealed again.
        try db.execute(sql: """
            INSERT INTO auditKey (batchId, key, createdAt, destroyedAt) VALUES (?, NULL, ?, ?)
            ON CONFLICT(batchId) DO UPDATE SET key = NULL, destroyedAt = COALESCE(destroyedAt, excluded.destroyedAt)
            """, arguments: [batchId, now, now])
        try entry.save(db)
        try appendAudit(db, AuditEvent(actor: actor, action: "retention.purge", subject: batchId,
                                       detail: ["delivery": entry.deliveryId, "files": "\(entry.files.count)"]), at: now)
    }
}
