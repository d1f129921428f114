import Foundation
import GRDB

/// A draft waiting for an operator.
public struct ReviewQueueItem: Sendable, Equatable, FetchableRecord, Decodable {
    public var draftId: String
    public var form: String?
    public var createdAt: Date
    public var flaggedCount: Int
    public var claimedBy: String?
    public var claimExpiresAt: Date?
}

/// Review and desk edits: every change is one transaction with its audit entry.
extension AppDatabase {
    /// Drafts with flagged fields, oldest first, with who holds each (a hold past its expiry is free).
    public func reviewQueue(limit: Int = 100, now: Date = Date()) async throws -> [ReviewQueueItem] {
        try await writer.read { db in
            try ReviewQueueItem.fetchAll(db, sql: """
                SELECT d.id AS draftId, d.form, d.createdAt,
                       (SELECT COUNT(*) FROM field f WHERE f.draftId = d.id AND f.needsReview) AS flaggedCount,
                       CASE WHEN c.expiresAt > ? THEN u.username END AS claimedBy,
                       CASE WHEN c.expiresAt > ? THEN c.expiresAt END AS claimExpiresAt
                FROM draft d
                LEFT JOIN reviewClaim c ON c.draftId = d.id LEFT JOIN user u ON u.id = c.userId
                WHERE d.status = 'needs_review'
                ORDER BY d.createdAt, d.id LIMIT ?
                """, arguments: [now, now, limit])
        }
    }

    /// Holds a draft for one reviewer until `ttl` from now (renewed by each edit). Refused while another reviewer's
    /// hold lasts.
    public func claimForReview(draftId: String, user: User, ttl: TimeInterval, now: Date = Date()) async throws {
        try await writer.write { db in
            guard let draft = try Draft.fetchOne(db, key: draftId) else {
                throw StoreError(.notFound, "draft \(draftId) does not exist")
            }
            guard draft.status == .needsReview || draft.status == .ready else {
                throw StoreError(.conflict, "draft \(draftId) is \(draft.status.rawValue): nothing to review")
            }
            try Self.claim(db, draftId: draftId, user: user, ttl: ttl, now: now)
        }
    }

    static func claim(_ db: Database, draftId: String, user: User, ttl: TimeInterval, now: Date) throws {
        if let row = try Row.fetchOne(db, sql: "SELECT userId, expiresAt FROM reviewClaim WHERE draftId = ?",
                                      arguments: [draftId]),
           row["userId"] as String != user.id, (row["expiresAt"] as Date) > now {
            throw StoreError(.claimed, "another reviewer is working on draft \(draftId)")
        }
        try db.execute(sql: """
            INSERT INTO reviewClaim (draftId, userId, expiresAt) VALUES (?, ?, ?)
            ON CONFLICT(draftId) DO UPDATE SET userId = excluded.userId, expiresAt = excluded.expiresAt
            """, arguments: [draftId, user.id, now.addingTimeInterval(ttl)])
    }

    /// Claims the oldest draft needing review that nobody else holds.
    public func claimNextForReview(user: User, ttl: TimeInterval, now: Date = Date()) async throws -> String? {
        try await writer.write { db in
            let id = try String.fetchOne(db, sql: """
                SELECT d.id FROM draft d LEFT JOIN reviewClaim c ON c.draftId = d.id
                WHERE d.status = 'needs_review' AND (c.draftId IS NULL OR c.expiresAt <= ? OR c.userId = ?)
                ORDER BY d.createdAt, d.id LIMIT 1
                """, arguments: [now, user.id])
            if let id { try Self.claim(db, draftId: id, user: user, ttl: ttl, now: now) }
            return id
        }
    }

    public func releaseReview(draftId: String, user: User) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM reviewClaim WHERE draftId = ? AND userId = ?", arguments: [draftId, user.id])
        }
    }

    /// Sets a field's value (already checked by its type) and whether it still needs review, audited with the old
    /// and new value sealed. When the last flagged field of a recognised form is settled the draft becomes `ready`.
    /// A reviewer must hold the draft (`requireClaim`); a draft already queued or delivered cannot change.
    @discardableResult
    public func updateField(draftId: String, key: String, value: String?, needsReview: Bool, user: User,
                            requireClaim: Bool, claimTTL: TimeInterval = 600, now: Date = Date()) async throws -> Draft {
        try await writer.write { db in
            guard var draft = try Draft.fetchOne(db, key: draftId) else {
                throw StoreError(.notFound, "draft \(draftId) does not exist")
            }
            guard draft.status == .needsReview || draft.status == .ready else {
                throw StoreError(.conflict, "draft \(draftId) is \(draft.status.rawValue): its fields can no longer change")
            }
            if requireClaim { try Self.claim(db, draftId: draftId, user: user, ttl: claimTTL, now: now) }
            guard var field = try DraftField.filter(Column("draftId") == draftId && Column("key") == key).fetchOne(db) else {
                throw StoreError(.notFound, "draft \(draftId) has no field \(key)")
            }
            let old = field.value
            let wasFlagged = field.needsReview
            field.value = value
            field.needsReview = needsReview
            if !needsReview {
                field.confirmedBy = user.username
                field.confidence = 1
            }
            try field.update(db)
            // The key and the flags in clear; the values sealed with the batch's key (retention destroys it).
            try Self.appendAudit(db, AuditEvent(
                actor: user.username, action: old == value ? "field.confirm" : "field.update", subject: draftId,
                batchId: draft.batchId, detail: ["key": key, "flagged": "\(wasFlagged)→\(needsReview)"],
                sealed: ["from": old ?? "", "to": value ?? ""]), at: now)
            let flagged = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM field WHERE draftId = ? AND needsReview",
                                           arguments: [draftId]) ?? 0
            let status: DossierStatus = flagged == 0 && draft.form != nil ? .ready : .needsReview
            if status != draft.status {
                try Self.appendAudit(db, actor: user.username, action: "draft.status", subject: draftId,
                                     detail: ["from": draft.status.rawValue, "to": status.rawValue], at: now)
                draft.status = status
                try db.execute(sql: "UPDATE batch SET status = ?, updatedAt = ? WHERE id = ?",
                               arguments: [status, now, draft.batchId])
            }
            draft.updatedAt = now
            try draft.update(db)
            if status == .ready { try db.execute(sql: "DELETE FROM reviewClaim WHERE draftId = ?", arguments: [draftId]) }
            return draft
        }
    }

    /// An operator accepts a draft that has nothing flagged (a kiosk intake they looked over): it becomes `ready`.
    public func acceptReviewedDraft(draftId: String, user: User, now: Date = Date()) async throws {
        try await writer.write { db in
            guard var draft = try Draft.fetchOne(db, key: draftId) else {
                throw StoreError(.notFound, "draft \(draftId) does not exist")
            }
            let flagged = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM field WHERE draftId = ? AND needsReview",
                                           arguments: [draftId]) ?? 0
            guard draft.status == .needsReview, flagged == 0, draft.form != nil else {
                throw StoreError(.conflict, "draft \(draftId) still has fields to review or no recognised form")
            }
            try Self.claim(db, draftId: draftId, user: user, ttl: 60, now: now)
            draft.status = .ready
            draft.updatedAt = now
            try draft.update(db)
            try db.execute(sql: "UPDATE batch SET status = 'ready', updatedAt = ? WHERE id = ?", arguments: [now, draft.batchId])
            try db.execute(sql: "DELETE FROM reviewClaim WHERE draftId = ?", arguments: [draftId])
            try Self.appendAudit(db, actor: user.username, action: "draft.status", subject: draftId,
                                 detail: ["from": "needs_review", "to": "ready"], at: now)
        }
    }

    // MARK: Desk edits of a batch's pages

    /// Drops a batch's draft (not yet submitted) so that its pages can be changed and read again.
    public func reopenBatch(batchId: String, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard let batch = try Batch.fetchOne(db, key: batchId) else {
                throw StoreError(.notFound, "batch \(batchId) does not exist")
            }
            if batch.status == .capturing { return }
            guard batch.status == .needsReview || batch.status == .ready || batch.status == .processing else {
                throw StoreError(.conflict, "batch \(batchId) is \(batch.status.rawValue): its pages can no longer change")
            }
            if try OutboxEntry.filter(sql: "draftId IN (SELECT id FROM draft WHERE batchId = ?) AND state <> 'cancelled'",
                                      arguments: [batchId]).fetchCount(db) > 0 {
                throw StoreError(.conflict, "batch \(batchId) was submitted")
            }
            try db.execute(sql: "DELETE FROM draft WHERE batchId = ?", arguments: [batchId])
            try db.execute(sql: """
                UPDATE page SET state = 'captured', error = NULL, cleanedSha256 = NULL, ocr = NULL, processedAt = NULL
                WHERE batchId = ?
                """, arguments: [batchId])
            try db.execute(sql: "UPDATE batch SET status = 'capturing', updatedAt = ? WHERE id = ?", arguments: [now, batchId])
            try Self.appendAudit(db, actor: actor, action: "batch.reopen", subject: batchId, detail: [:], at: now)
        }
    }

    /// Removes a page from a batch being captured; later pages move up.
    public func deletePage(batchId: String, seq: Int, actor: String, now: Date = Date()) async throws {
        try await editCapturing(batchId) { db in
            try Self.removePage(db, batchId: batchId, seq: seq)
            try Self.appendAudit(db, actor: actor, action: "page.delete", subject: batchId,
                                 detail: ["page": "\(seq)"], at: now)
        }
    }

    /// Moves a page of a batch being captured to another place in its order.
    public func movePage(batchId: String, from: Int, to: Int, actor: String, now: Date = Date()) async throws {
        try await editCapturing(batchId) { db in
            try Self.reorderPage(db, batchId: batchId, from: from, to: to)
            guard from != to else { return }
            try Self.appendAudit(db, actor: actor, action: "page.move", subject: batchId,
                                 detail: ["from": "\(from)", "to": "\(to)"], at: now)
        }
    }

    /// A sheet scanned again: the page just added as `newSeq` takes the place of page `seq`, which goes. One
    /// transaction, audited as `page.rescan`.
    public func replacePage(batchId: String, seq: Int, withAddedPage newSeq: Int, actor: String,
                            now: Date = Date()) async throws {
        try await editCapturing(batchId) { db in
            try Self.reorderPage(db, batchId: batchId, from: newSeq, to: seq)
            try Self.removePage(db, batchId: batchId, seq: seq + 1)
            try Self.appendAudit(db, actor: actor, action: "page.rescan", subject: batchId,
                                 detail: ["page": "\(seq)"], at: now)
        }
    }

    static func removePage(_ db: Database, batchId: String, seq: Int) throws {
        let deleted = try Page.filter(Column("batchId") == batchId && Column("seq") == seq).deleteAll(db)
        guard deleted == 1 else { throw StoreError(.notFound, "batch \(batchId) has no page \(seq)") }
        // Two steps, through numbers no page has, so that the unique (batchId, seq) never collides.
        try db.execute(sql: "UPDATE page SET seq = seq + ? WHERE batchId = ? AND seq > ?",
                       arguments: [Self.renumberOffset, batchId, seq])
        try db.execute(sql: "UPDATE page SET seq = seq - ? - 1 WHERE batchId = ? AND seq > ?",
                       arguments: [Self.renumberOffset, batchId, Self.renumberOffset])
    }

    static func reorderPage(_ db: Database, batchId: String, from: Int, to: Int) throws {
        let count = try Page.filter(Column("batchId") == batchId).fetchCount(db)
        guard (1...max(1, count)).contains(from), (1...max(1, count)).contains(to), count > 0 else {
            throw StoreError(.notFound, "batch \(batchId) has no page \(from) or \(to)")
        }
        guard from != to else { return }
        let k = Self.renumberOffset
        try db.execute(sql: "UPDATE page SET seq = seq + ? WHERE batchId = ?", arguments: [k, batchId])
        // seq - k is the old order; map each page to its new place.
        try db.execute(sql: """
            UPDATE page SET seq = CASE
                WHEN seq - ? = ? THEN ?
                WHEN ? < ? AND seq - ? > ? AND seq - ? <= ? THEN seq - ? - 1
                WHEN ? > ? AND seq - ? >= ? AND seq - ? < ? THEN seq - ? + 1
                ELSE seq - ? END
            WHERE batchId = ?
            """, arguments: [k, from, to,
                             from, to, k, from, k, to, k,
                             from, to, k, to, k, from, k,
                             k, batchId])
    }

    /// Replaces a page's image (a turn the officer asked for): the new image is already in the page store.
    public func replacePageImage(batchId: String, seq: Int, sha256: String, width: Int, height: Int, reason: String,
                                 actor: String, now: Date = Date()) async throws {
        try await editCapturing(batchId) { db in
            try db.execute(sql: """
                UPDATE page SET originalSha256 = ?, width = ?, height = ?, format = 'png' WHERE batchId = ? AND seq = ?
                """, arguments: [sha256, width, height, batchId, seq])
            guard db.changesCount == 1 else { throw StoreError(.notFound, "batch \(batchId) has no page \(seq)") }
            try Self.appendAudit(db, actor: actor, action: "page.\(reason)", subject: batchId,
                                 detail: ["page": "\(seq)"], at: now)
        }
    }

    /// Added to page numbers while renumbering, out of the way of real ones.
    static let renumberOffset = 1_000_000

    private func editCapturing(_ batchId: String, _ body: @escaping @Sendable (Database) throws -> Void) async throws {
        try await writer.write { db in
            guard let batch = try Batch.fetchOne(db, key: batchId) else {
                throw StoreError(.notFound, "batch \(batchId) does not exist")
            }
            guard batch.status == .capturing else {
                throw StoreError(.conflict, "batch \(batchId) is \(batch.status.rawValue): reopen it to change its pages")
            }
            try body(db)
            try db.execute(sql: "UPDATE batch SET updatedAt = ? WHERE id = ?", arguments: [Date(), batchId])
        }
    }

    /// The draft made from a batch, if any.
    public func draft(batchId: String) async throws -> Draft? {
        try await writer.read { db in try Draft.filter(Column("batchId") == batchId).fetchOne(db) }
    }

    /// How many stored pages are in each state.
    public func pageCounts() async throws -> [PageState: Int] {
        try await writer.read { db in
            var counts: [PageState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM page GROUP BY state") {
                if let s = PageState(rawValue: row["state"]) { counts[s] = row["n"] }
            }
            return counts
        }
    }

    /// Batches of the desk, newest first.
    public func recentBatches(limit: Int = 30) async throws -> [BatchSummary] {
        try await writer.read { db in
            try BatchSummary.fetchAll(db, sql: """
                SELECT b.id, b.createdAt, b.source, b.status, b.lastError,
                       (SELECT COUNT(*) FROM page p WHERE p.batchId = b.id) AS pageCount
                FROM batch b ORDER BY b.createdAt DESC, b.id DESC LIMIT ?
                """, arguments: [limit])
        }
    }
}
