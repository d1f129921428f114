import Foundation
import GRDB

/// The station's SQLite database: one writer, named append-only migrations, methods named by intent, each one
/// transaction.
public final class AppDatabase: Sendable {
    let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the database file in WAL mode.
    public static func open(at url: URL) throws -> AppDatabase {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase(secureDelete)
        let pool = try DatabasePool(path: url.path, configuration: config)
        return try AppDatabase(pool)
    }

    /// A private in-memory database (tests).
    public static func inMemory() throws -> AppDatabase {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase(secureDelete)
        return try AppDatabase(DatabaseQueue(configuration: config))
    }

    /// What retention removes (values, keys) is overwritten with zeros in the file, not just unlinked from it.
    static func secureDelete(_ db: Database) throws {
        try db.execute(sql: "PRAGMA secure_delete = ON")
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-batches-pages-drafts") { db in
            try db.create(table: "batch") { t in
                t.primaryKey("id", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("source", .text).notNull()
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('capturing','processing','needs_review','ready','queued','delivered','failed')")
            }
            try db.create(table: "page") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("batch", onDelete: .cascade).notNull()
                t.column("seq", .integer).notNull().check { $0 >= 1 }
                t.column("sourceName", .text).notNull()
                t.column("sourcePage", .integer).notNull()
                t.column("originalSha256", .text).notNull().check { length($0) == 64 }
                t.column("format", .text).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("dpi", .integer).notNull()
                t.column("dpiAssumed", .boolean).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('captured','processed','failed')")
                t.column("error", .text)
                t.column("cleanedSha256", .text)
                t.column("quarterTurns", .integer)
                t.column("skewDegrees", .double)
                t.column("isBlank", .boolean)
                t.column("ocr", .text)
                t.column("processedAt", .datetime)
                t.uniqueKey(["batchId", "seq"])
            }
            try db.create(table: "draft") { t in
                t.primaryKey("id", .text)
                t.belongsTo("batch", onDelete: .cascade).notNull().unique()
                t.column("form", .text)
                t.column("procedure", .text)
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('capturing','processing','needs_review','ready','queued','delivered','failed')")
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "field") { t in
                t.belongsTo("draft", onDelete: .cascade).notNull()
                t.column("ord", .integer).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text)
                t.column("raw", .text)
                t.column("confidence", .double).notNull().check { $0 >= 0 && $0 <= 1 }
                t.column("needsReview", .boolean).notNull()
                t.column("page", .integer)
                t.column("boxX", .integer)
                t.column("boxY", .integer)
                t.column("boxWidth", .integer)
                t.column("boxHeight", .integer)
                t.column("confirmedBy", .text)
                t.primaryKey(["draftId", "key"])
            }
        }
        m.registerMigration("v2-capture-and-hot-folder") { db in
            // How a batch was scanned (JSON of the settings) and the last capture error's code, for resuming.
            try db.alter(table: "batch") { t in
                t.add(column: "captureSettings", .text)
                t.add(column: "lastError", .text)
                t.add(column: "updatedAt", .datetime)
            }
            // Files taken from the hot folder, by content: the same bytes are never taken twice.
            try db.create(table: "ingestedFile") { t in
                t.primaryKey("sha256", .text).check { length($0) == 64 }
                t.column("name", .text).notNull()
                t.belongsTo("batch", onDelete: .setNull)
                t.column("ingestedAt", .datetime).notNull()
            }
        }
        m.registerMigration("v3-outbox-and-retention") { db in
            // One row per delivery of a dossier to the case system. A draft has at most one live delivery; a
            // cancelled one may be followed by another (with a new idempotency key).
            try db.create(table: "delivery") { t in
                t.primaryKey("id", .text)
                t.belongsTo("draft", onDelete: .restrict).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("recordSha256", .text).notNull().check { length($0) == 64 }
                t.column("state", .text).notNull()
                    .check(sql: "state IN ('pending','sending','delivered','parked','cancelled')")
                t.column("attempts", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("leaseOwner", .text)
                t.column("leaseUntil", .datetime)
                t.column("lastErrorCode", .text)
                t.column("lastError", .text)
                t.column("receiptCode", .text)
                t.column("receipt", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("deliveredAt", .datetime)
                t.column("purgedAt", .datetime)
                t.check(sql: "state <> 'delivered' OR (receiptCode IS NOT NULL AND deliveredAt IS NOT NULL)")
            }
            try db.create(index: "delivery_live_draft", on: "delivery", columns: ["draftId"], unique: true,
                          condition: Column("state") != "cancelled")
            try db.create(index: "delivery_due", on: "delivery", columns: ["state", "nextAttemptAt"])
            // When a page's image files were removed from the station after delivery (retention).
            try db.alter(table: "page") { t in t.add(column: "purgedAt", .datetime) }
        }
        m.registerMigration("v4-accounts-audit-review") { db in
            try db.create(table: "user") { t in
                t.primaryKey("id", .text)
                t.column("username", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("displayName", .text).notNull()
                t.column("role", .text).notNull().check(sql: "role IN ('officer','reviewer','admin')")
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("disabledAt", .datetime)
            }
            // Sessions by the SHA-256 of their cookie token: a copy of the database does not hand out sessions.
            try db.create(table: "session") { t in
                t.primaryKey("tokenHash", .text).check { length($0) == 64 }
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            // The audit log: append-only (triggers refuse changes), each entry chained to the previous by hash.
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text)
                t.column("detail", .text)
                t.column("prevHash", .text).notNull()
                t.column("hash", .text).notNull().unique()
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
            // A reviewer's hold on a draft: one at a time, until it expires.
            try db.create(table: "reviewClaim") { t in
                t.primaryKey("draftId", .text).references("draft", onDelete: .cascade)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
        }
        m.registerMigration("v5-kiosks-intakes") { db in
            // Kiosk devices: a token (kept as its SHA-256) that may only open intake batches.
            try db.create(table: "kiosk") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("tokenHash", .text).notNull().unique().check { length($0) == 64 }
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
            // A citizen's confirmed intake at a kiosk: the number on the receipt.
            try db.create(table: "intake") { t in
                t.primaryKey("number", .text)
                t.belongsTo("batch", onDelete: .cascade).notNull().unique()
                t.belongsTo("kiosk", onDelete: .setNull)
                t.column("procedure", .text).notNull()
                t.column("phone", .text)
                t.column("pageCount", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        m.registerMigration(sealedAuditMigration, migrate: migrateToSealedAudit)
        m.registerMigration("v7-purge-ledger", migrate: createPurgeLedger)
        registerKioskPairingMigration(&m)
        return m
    }
}

/// What a caller hands over for each captured page.
public struct NewPage: Sendable {
    public var sourceName: String
    public var sourcePage: Int
    public var originalSha256: String
    public var format: String
    public var width: Int
    public var height: Int
    public var dpi: Int
    public var dpiAssumed: Bool

    public init(sourceName: String, sourcePage: Int, originalSha256: String, format: String, width: Int, height: Int,
                dpi: Int, dpiAssumed: Bool) {
        self.sourceName = sourceName
        self.sourcePage = sourcePage
        self.originalSha256 = originalSha256
        self.format = format
        self.width = width
        self.height = height
        self.dpi = dpi
        self.dpiAssumed = dpiAssumed
    }
}

/// What processing derived from a page.
public struct PageResult: Sendable {
    public var cleanedSha256: String
    public var quarterTurns: Int
    public var skewDegrees: Double
    public var isBlank: Bool
    public var ocrJSON: String

    public init(cleanedSha256: String, quarterTurns: Int, skewDegrees: Double, isBlank: Bool, ocrJSON: String) {
        self.cleanedSha256 = cleanedSha256
        self.quarterTurns = quarterTurns
        self.skewDegrees = skewDegrees
        self.isBlank = isBlank
        self.ocrJSON = ocrJSON
    }
}

/// A draft's fields as extraction produced them.
public struct NewField: Sendable {
    public var key: String
    public var value: String?
    public var raw: String?
    public var confidence: Double
    public var needsReview: Bool
    public var page: Int?
    public var box: [Int]?

    public init(key: String, value: String?, raw: String?, confidence: Double, needsReview: Bool, page: Int?, box: [Int]?) {
        self.key = key
        self.value = value
        self.raw = raw
        self.confidence = confidence
        self.needsReview = needsReview
        self.page = page
        self.box = box
    }
}

extension AppDatabase {
    public func draft(id: String) async throws -> (Draft, [DraftField])? {
        try await writer.read { db in
            guard let draft = try Draft.fetchOne(db, key: id) else { return nil }
            let fields = try DraftField.filter(Column("draftId") == id).order(Column("ord")).fetchAll(db)
            return (draft, fields)
        }
    }

    /// Newest first.
    public func draftSummaries(limit: Int = 50) async throws -> [DraftSummary] {
        try await writer.read { db in
            try DraftSummary.fetchAll(db, sql: """
                SELECT d.id, d.form, d.status, d.createdAt,
                       (SELECT COUNT(*) FROM page p WHERE p.batchId = d.batchId) AS pageCount,
                       (SELECT COUNT(*) FROM field f WHERE f.draftId = d.id) AS fieldCount,
                       (SELECT COUNT(*) FROM field f WHERE f.draftId = d.id AND f.needsReview) AS flaggedCount
                FROM draft d ORDER BY d.createdAt DESC, d.id DESC LIMIT ?
                """, arguments: [limit])
        }
    }
}

extension AppDatabase {
    /// A whole processed document in one transaction: the batch, its pages with their results, the draft and its
    /// fields. Either all of it is stored or none.
    public func storeDocument(source: String, pages: [NewPage], results: [PageResult], form: String?,
                              procedure: String?, fields: [NewField], origin: (sha256: String, name: String)? = nil,
                              now: Date = Date()) async throws -> (Draft, [DraftField], [Page]) {
        precondition(pages.count == results.count)
        return try await writer.write { db in
            let status = Self.draftStatus(form: form, fields: fields)
            let batch = Batch(id: RecordID.make("b", now: now), createdAt: now, source: source, status: status)
            try batch.insert(db)
            var stored: [Page] = []
            for (i, (p, r)) in zip(pages, results).enumerated() {
                var page = Page(batchId: batch.id, seq: i + 1, sourceName: p.sourceName, sourcePage: p.sourcePage,
                                originalSha256: p.originalSha256, format: p.format, width: p.width, height: p.height,
                                dpi: p.dpi, dpiAssumed: p.dpiAssumed)
                page.record(r, at: now)
                try page.insert(db)
                stored.append(page)
            }
            let (draft, rows) = try Self.insertDraft(db, batchId: batch.id, form: form, procedure: procedure,
                                                     status: status, fields: fields, now: now)
            if let origin {
                try IngestedFile(sha256: origin.sha256, name: origin.name, batchId: batch.id, ingestedAt: now).insert(db)
            }
            return (draft, rows, stored)
        }
    }
}

extension AppDatabase {
    /// A draft needs review when its form was not recognised or any field is flagged.
    static func draftStatus(form: String?, fields: [NewField]) -> DossierStatus {
        fields.contains(where: \.needsReview) || form == nil ? .needsReview : .ready
    }

    /// Inserts a batch's draft and its fields (inside the caller's transaction).
    static func insertDraft(_ db: Database, batchId: String, form: String?, procedure: String?, status: DossierStatus,
                            fields: [NewField], now: Date) throws -> (Draft, [DraftField]) {
        let draft = Draft(id: RecordID.make("d", now: now), batchId: batchId, form: form, procedure: procedure,
                          status: status, createdAt: now, updatedAt: now)
        try draft.insert(db)
        var rows: [DraftField] = []
        for (i, f) in fields.enumerated() {
            let row = DraftField(draftId: draft.id, ord: i, key: f.key, value: f.value, raw: f.raw,
                                 confidence: max(0, min(1, f.confidence)), needsReview: f.needsReview,
                                 page: f.page, box: f.box)
            try row.insert(db)
            rows.append(row)
        }
        return (draft, rows)
    }
}
