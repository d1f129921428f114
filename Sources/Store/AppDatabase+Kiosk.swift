import Foundation
import GRDB

/// A self-service kiosk, known by its device token.
public struct Kiosk: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "kiosk"
    public var id: String
    public var name: String
    public var tokenHash: String
    public var createdAt: Date
    public var revokedAt: Date?

    /// The batch source of this kiosk's intakes.
    public var source: String { "kiosk:\(name)" }
}

/// What a citizen's receipt says.
public struct Intake: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "intake"
    public var number: String
    public var batchId: String
    public var kioskId: String?
    public var procedure: String
    public var phone: String?
    public var pageCount: Int
    public var createdAt: Date
}

extension AppDatabase {
    public func createKiosk(name: String, tokenHash: String, actor: String, now: Date = Date()) async throws -> Kiosk {
        try await writer.write { db in
            if try Kiosk.filter(Column("name").collating(.nocase) == name).fetchCount(db) > 0 {
                throw StoreError(.conflict, "a kiosk named \(name) already exists")
            }
            let kiosk = Kiosk(id: RecordID.make("k", now: now), name: name, tokenHash: tokenHash, createdAt: now)
            try kiosk.insert(db)
            try Self.appendAudit(db, actor: actor, action: "kiosk.add", subject: kiosk.id, detail: ["name": name], at: now)
            return kiosk
        }
    }

    /// Ends a kiosk's token at once.
    public func revokeKiosk(name: String, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard var kiosk = try Kiosk.filter(Column("name").collating(.nocase) == name).fetchOne(db) else {
                throw StoreError(.notFound, "no kiosk named \(name)")
            }
            guard kiosk.revokedAt == nil else { return }
            kiosk.revokedAt = now
            try kiosk.update(db)
            try Self.appendAudit(db, actor: actor, action: "kiosk.revoke", subject: kiosk.id, detail: ["name": name], at: now)
        }
    }

    public func kiosks() async throws -> [Kiosk] {
        try await writer.read { db in try Kiosk.order(Column("name")).fetchAll(db) }
    }

    /// The kiosk holding this token, unless revoked.
    public func kiosk(tokenHash: String) async throws -> Kiosk? {
        try await writer.read { db in
            try Kiosk.filter(Column("tokenHash") == tokenHash && Column("revokedAt") == nil).fetchOne(db)
        }
    }

    /// Confirms a kiosk batch as an intake: its receipt number (`TN-yyMMdd-NNNN`, a daily sequence), and its draft
    /// goes to the operators' review queue. One transaction.
    public func confirmIntake(batchId: String, kiosk: Kiosk, procedure: String, phone: String?,
                              now: Date = Date()) async throws -> Intake {
        try await writer.write { db in
            guard let batch = try Batch.fetchOne(db, key: batchId), batch.source == kiosk.source else {
                throw StoreError(.notFound, "batch \(batchId) is not this kiosk's")
            }
            if let existing = try Intake.filter(Column("batchId") == batchId).fetchOne(db) { return existing }
            guard var draft = try Draft.filter(Column("batchId") == batchId).fetchOne(db) else {
                throw StoreError(.conflict, "batch \(batchId) has not been checked yet")
            }
            let day = Self.kioskDay(now)
            let seq = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM intake WHERE number LIKE ?",
                                        arguments: ["TN-\(day)-%"]) ?? 0) + 1
            let pages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE batchId = ?", arguments: [batchId]) ?? 0
            let intake = Intake(number: String(format: "TN-%@-%04d", day, seq), batchId: batchId, kioskId: kiosk.id,
                                procedure: procedure, phone: phone, pageCount: pages, createdAt: now)
            try intake.insert(db)
            // Every kiosk intake is looked at by an operator, flagged fields or not.
            if draft.status == .ready {
                draft.status = .needsReview
                draft.updatedAt = now
                try draft.update(db)
                try db.execute(sql: "UPDATE batch SET status = 'needs_review', updatedAt = ? WHERE id = ?",
                               arguments: [now, batchId])
            }
            try Self.appendAudit(db, actor: kiosk.source, action: "intake.confirm", subject: batchId,
                                 detail: ["number": intake.number, "pages": "\(pages)"], at: now)
            return intake
        }
    }

    public func intake(number: String) async throws -> Intake? {
        try await writer.read { db in try Intake.fetchOne(db, key: number) }
    }

    public func intake(batchId: String) async throws -> Intake? {
        try await writer.read { db in try Intake.filter(Column("batchId") == batchId).fetchOne(db) }
    }

    /// Drops a kiosk batch the citizen left unfinished (no intake yet), with its rows; returns the page files it
    /// used that no other page uses, for the caller to delete.
    public func abandonKioskBatch(batchId: String, kiosk: Kiosk, reason: String, now: Date = Date()) async throws -> [String] {
        try await writer.write { db in
            guard let batch = try Batch.fetchOne(db, key: batchId), batch.source == kiosk.source else { return [] }
            if try Intake.filter(Column("batchId") == batchId).fetchCount(db) > 0 { return [] }
            let files = try String.fetchAll(db, sql: """
                SELECT originalSha256 FROM page WHERE batchId = ? UNION
                SELECT cleanedSha256 FROM page WHERE batchId = ? AND cleanedSha256 IS NOT NULL
                """, arguments: [batchId, batchId])
            try db.execute(sql: "DELETE FROM batch WHERE id = ?", arguments: [batchId])
            let used = Set(try String.fetchAll(db, sql: """
                SELECT originalSha256 FROM page UNION SELECT cleanedSha256 FROM page WHERE cleanedSha256 IS NOT NULL
                """))
            try Self.appendAudit(db, actor: kiosk.source, action: "intake.abandon", subject: batchId,
                                 detail: ["reason": reason], at: now)
            return files.filter { !used.contains($0) }
        }
    }

    /// Kiosk batches never confirmed and untouched since `before` (a citizen walked away, the service restarted).
    public func staleKioskBatches(before: Date) async throws -> [(batchId: String, kiosk: Kiosk)] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT b.id AS batchId, k.* FROM batch b JOIN kiosk k ON b.source = 'kiosk:' || k.name
                WHERE NOT EXISTS (SELECT 1 FROM intake i WHERE i.batchId = b.id)
                  AND COALESCE(b.updatedAt, b.createdAt) < ?
                """, arguments: [before])
            return try rows.map { row in (row["batchId"], try Kiosk(row: row)) }
        }
    }

    static func kioskDay(_ d: Date) -> String { LocalTime.string(d, "yyMMdd") }
}
