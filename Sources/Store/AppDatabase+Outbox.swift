import Foundation
import GRDB

/// Where a delivery is in the outbox.
public enum OutboxState: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Waiting for its next attempt (`nextAttemptAt`).
    case pending
    /// Claimed by a worker, which holds a lease on it until `leaseUntil`.
    case sending
    /// The case system acknowledged it with a receipt.
    case delivered
    /// Stopped on a permanent error; waits for an operator to retry or cancel it.
    case parked
    /// Withdrawn by an operator; the draft went back to `ready`.
    case cancelled
}

/// One delivery of a dossier to the case system.
public struct OutboxEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "delivery"
    public var id: String
    public var draftId: String
    /// Sent with every attempt: the case system keeps the first and answers repeats with the same receipt.
    public var idempotencyKey: String
    /// The package's JSON record in the blob store; it names the package's files by their hashes.
    public var recordSha256: String
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// A stable code for the last failure and a message safe to show (no citizen data).
    public var lastErrorCode: String?
    public var lastError: String?
    /// The case system's dossier code (mã hồ sơ) and its whole receipt (JSON).
    public var receiptCode: String?
    public var receipt: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deliveredAt: Date?
    public var purgedAt: Date?
}

/// A line of `sohoa queue`.
public struct OutboxLine: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var draftId: String
    public var form: String?
    public var procedure: String?
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastErrorCode: String?
    public var lastError: String?
    public var receiptCode: String?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var purgedAt: Date?
}

extension AppDatabase {
    /// Queues a draft for delivery in one transaction: the delivery row, and the draft and its batch to `queued`.
    /// Refused when the draft is already queued or delivered, or has flagged fields and `acceptFlagged` is false.
    public func enqueueDelivery(draftId: String, recordSha256: String, acceptFlagged: Bool, actor: String,
                                now: Date = Date()) async throws -> OutboxEntry {
        try await writer.write { db in
            guard var draft = try Draft.fetchOne(db, key: draftId) else {
                throw StoreError(.notFound, "draft \(draftId) does not exist")
            }
            guard draft.status == .needsReview || draft.status == .ready else {
                throw StoreError(.conflict, "draft \(draftId) is \(draft.status.rawValue): it cannot be submitted again")
            }
            let flagged = try String.fetchAll(db, sql: "SELECT key FROM field WHERE draftId = ? AND needsReview ORDER BY ord",
                                              arguments: [draftId])
            if !acceptFlagged {
                if !flagged.isEmpty {
                    throw StoreError(.conflict, "draft \(draftId) still has \(flagged.count) field(s) to review: "
                                     + flagged.joined(separator: ", "))
                }
                if draft.form == nil { throw StoreError(.conflict, "draft \(draftId) has no recognised form") }
            }
            let id = RecordID.make("dl", now: now)
            let entry = OutboxEntry(
                id: id, draftId: draftId, idempotencyKey: "sohoa-\(id)-\(recordSha256.prefix(16))",
                recordSha256: recordSha256, state: .pending, attempts: 0, nextAttemptAt: now, createdAt: now,
                updatedAt: now)
            try entry.insert(db)
            draft.status = .queued
            draft.updatedAt = now
            try draft.update(db)
            try db.execute(sql: "UPDATE batch SET status = 'queued', updatedAt = ? WHERE id = ?",
                           arguments: [now, draft.batchId])
            var detail = ["delivery": entry.id]
            if !flagged.isEmpty { detail["acceptedFlagged"] = "\(flagged.count)" }
            try Self.appendAudit(db, actor: actor, action: "draft.submit", subject: draftId, detail: detail, at: now)
            return entry
        }
    }

    /// Claims the delivery due first, if any: a pending row whose time has come, or a row another worker was
    /// sending when its lease ran out or its process died (`isOwnerAlive`). The claim counts as an attempt.
    public func claimDueDelivery(owner: String, lease: TimeInterval, now: Date = Date(),
                                 isOwnerAlive: @escaping @Sendable (String) -> Bool) async throws -> OutboxEntry? {
        try await writer.write { db in
            var candidates = try OutboxEntry.fetchAll(db, sql: """
                SELECT * FROM delivery WHERE state = 'pending' AND nextAttemptAt <= ?
                ORDER BY nextAttemptAt, createdAt LIMIT 1
                """, arguments: [now])
            let stale = try OutboxEntry.fetchAll(db, sql: """
                SELECT * FROM delivery WHERE state = 'sending' ORDER BY nextAttemptAt, createdAt
                """).filter { entry in
                guard let until = entry.leaseUntil, let holder = entry.leaseOwner else { return true }
                return until <= now || !isOwnerAlive(holder)
            }
            candidates.insert(contentsOf: stale, at: 0)
            guard var entry = candidates.first else { return nil }
            entry.state = .sending
            entry.attempts += 1
            entry.leaseOwner = owner
            entry.leaseUntil = now.addingTimeInterval(lease)
            entry.updatedAt = now
            try entry.update(db)
            return entry
        }
    }

    /// When the next delivery falls due (nil when nothing waits), for a worker to sleep until then.
    public func nextDeliveryDue() async throws -> Date? {
        try await writer.read { db in
            try Date.fetchOne(db, sql: """
                SELECT MIN(CASE state WHEN 'sending' THEN leaseUntil ELSE nextAttemptAt END)
                FROM delivery WHERE state IN ('pending', 'sending')
                """)
        }
    }

    /// Records the case system's receipt and marks the delivery, its draft and its batch delivered, in one
    /// transaction. A delivery already marked delivered (by a worker whose lease ran out) is left as it was.
    public func markDelivered(id: String, receiptCode: String, receipt: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard var entry = try OutboxEntry.fetchOne(db, key: id) else {
                throw StoreError(.notFound, "delivery \(id) does not exist")
            }
            guard entry.state != .delivered else { return }
            guard entry.state == .sending || entry.state == .pending else {
                throw StoreError(.conflict, "delivery \(id) is \(entry.state.rawValue)")
            }
            entry.state = .delivered
            entry.receiptCode = receiptCode
            entry.receipt = receipt
            entry.deliveredAt = now
            entry.updatedAt = now
            entry.leaseOwner = nil
            entry.leaseUntil = nil
            entry.lastErrorCode = nil
            entry.lastError = nil
            try entry.update(db)
            try db.execute(sql: "UPDATE draft SET status = 'delivered', updatedAt = ? WHERE id = ?",
                           arguments: [now, entry.draftId])
            try db.execute(sql: """
                UPDATE batch SET status = 'delivered', updatedAt = ? WHERE id = (SELECT batchId FROM draft WHERE id = ?)
                """, arguments: [now, entry.draftId])
        }
    }

    /// Records a failed attempt by the worker holding the claim: the delivery waits until `retryAt`, or is parked
    /// for an operator when nil. A worker whose claim was taken over (its lease ran out) changes nothing.
    public func markAttemptFailed(id: String, owner: String, code: String, message: String, retryAt: Date?,
                                  now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE delivery SET state = ?, nextAttemptAt = COALESCE(?, nextAttemptAt), lastErrorCode = ?,
                       lastError = ?, leaseOwner = NULL, leaseUntil = NULL, updatedAt = ?
                WHERE id = ? AND state = 'sending' AND leaseOwner = ?
                """, arguments: [retryAt == nil ? OutboxState.parked : OutboxState.pending, retryAt, code, message,
                                 now, id, owner])
        }
    }

    /// An operator sends a parked delivery again (same idempotency key), now.
    public func retryParkedDelivery(id: String, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard let entry = try OutboxEntry.fetchOne(db, key: id) else {
                throw StoreError(.notFound, "delivery \(id) does not exist")
            }
            guard entry.state == .parked else {
                throw StoreError(.conflict, "delivery \(id) is \(entry.state.rawValue), not parked")
            }
            try db.execute(sql: "UPDATE delivery SET state = 'pending', nextAttemptAt = ?, updatedAt = ? WHERE id = ?",
                           arguments: [now, now, id])
            try Self.appendAudit(db, actor: actor, action: "delivery.retry", subject: entry.draftId,
                                 detail: ["delivery": id], at: now)
        }
    }

    /// An operator withdraws a pending or parked delivery: the draft goes back to `ready` and can be corrected and
    /// submitted again.
    public func cancelDelivery(id: String, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard let entry = try OutboxEntry.fetchOne(db, key: id) else {
                throw StoreError(.notFound, "delivery \(id) does not exist")
            }
            guard entry.state == .parked || entry.state == .pending else {
                throw StoreError(.conflict, "delivery \(id) is \(entry.state.rawValue): only a pending or parked delivery can be cancelled")
            }
            try db.execute(sql: "UPDATE delivery SET state = 'cancelled', updatedAt = ? WHERE id = ?", arguments: [now, id])
            try db.execute(sql: "UPDATE draft SET status = 'ready', updatedAt = ? WHERE id = ?",
                           arguments: [now, entry.draftId])
            try db.execute(sql: """
                UPDATE batch SET status = 'ready', updatedAt = ? WHERE id = (SELECT batchId FROM draft WHERE id = ?)
                """, arguments: [now, entry.draftId])
            try Self.appendAudit(db, actor: actor, action: "delivery.cancel", subject: entry.draftId,
                                 detail: ["delivery": id], at: now)
        }
    }

    public func outboxEntry(id: String) async throws -> OutboxEntry? {
        try await writer.read { db in try OutboxEntry.fetchOne(db, key: id) }
    }

    /// The outbox, oldest first, optionally one state only.
    public func outbox(state: OutboxState? = nil, limit: Int = 100) async throws -> [OutboxLine] {
        try await writer.read { db in
            try OutboxLine.fetchAll(db, sql: """
                SELECT o.id, o.draftId, d.form, d.procedure, o.state, o.attempts, o.nextAttemptAt, o.lastErrorCode,
                       o.lastError, o.receiptCode, o.createdAt, o.deliveredAt, o.purgedAt
                FROM delivery o JOIN draft d ON d.id = o.draftId
                WHERE (? IS NULL OR o.state = ?)
                ORDER BY o.createdAt, o.id LIMIT ?
                """, arguments: [state, state, limit])
        }
    }

    /// How many deliveries are in each state.
    public func outboxCounts() async throws -> [OutboxState: Int] {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM delivery GROUP BY state")
            var counts: [OutboxState: Int] = [:]
            for row in rows {
                if let s = OutboxState(rawValue: row["state"]) { counts[s] = row["n"] }
            }
            return counts
        }
    }
}
