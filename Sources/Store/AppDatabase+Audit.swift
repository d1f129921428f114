import Foundation
import GRDB

// MARK: - Events and entries

/// What happened, for the audit log. `detail` stays in clear (keys, codes, counts, staff names); `sealed` holds
/// citizens' values (a field's old and new value, a file name) and is sealed with the batch's key, which retention
/// destroys: the values become unreadable while the entry, and the chain through it, stay.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var subject: String?
    /// The batch whose key seals `sealed`; needed when `sealed` is not empty.
    public var batchId: String?
    /// In clear: field keys, codes, counts. Never a citizen's value.
    public var detail: [String: String]
    /// Citizens' values, sealed.
    public var sealed: [String: String]

    public init(actor: String, action: String, subject: String? = nil, batchId: String? = nil,
                detail: [String: String] = [:], sealed: [String: String] = [:]) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.batchId = batchId
        self.detail = detail
        self.sealed = sealed
    }
}

/// One entry of the audit log.
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord {
    /// Whether an entry's citizen values can still be read.
    public enum Values: String, Codable, Sendable {
        /// The entry has no sealed values.
        case none
        /// Sealed; the batch's key exists, so an admin can open them (`AppDatabase.openedDetail`).
        case sealed
        /// Sealed, and the key is gone (retention, an abandoned intake): nobody can read them any more.
        case destroyed
    }

    public var seq: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var subject: String?
    /// The clear part of the detail (JSON object).
    public var detail: String?
    public var batchId: String?
    /// Base64 of the sealed values (AES-GCM nonce, ciphertext, tag).
    public var sealed: String?
    public var prevHash: String
    public var hash: String
    public var values: Values

    public init(row: Row) throws {
        seq = row["seq"]
        at = row["at"]
        actor = row["actor"]
        action = row["action"]
        subject = row["subject"]
        detail = row["detail"]
        batchId = row["batchId"]
        sealed = row["sealed"]
        prevHash = row["prevHash"]
        hash = row["hash"]
        let keyAvailable: Bool = row.hasColumn("keyAvailable") ? row["keyAvailable"] ?? false : false
        values = sealed == nil ? .none : keyAvailable ? .sealed : .destroyed
    }

    /// The clear detail as a dictionary.
    public var clearDetail: [String: String] {
        guard let detail, let data = detail.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}

/// The outcome of checking the audit chain.
public struct AuditVerification: Sendable, Equatable {
    public var entries: Int
    /// The first entry whose hash or link does not match, if any.
    public var brokenAt: Int64?
    /// The last time a migration rewrote the chain (sealing values stored in clear), if one did.
    public var anchor: AuditAnchor?
    /// Entries after the anchor's marker entry (all entries when there is no anchor).
    public var entriesSinceAnchor: Int
    public var isIntact: Bool { brokenAt == nil }
}

/// A record that a migration re-anchored the audit chain: it rewrote the entries before `seq` (sealing their
/// citizens' values) and chained them anew; the old chain's head and length are kept here, with whether the old
/// chain verified when it was rewritten.
public struct AuditAnchor: Codable, Sendable, Equatable, FetchableRecord {
    /// The marker entry (`audit.reanchor`) the migration appended.
    public var seq: Int64
    public var at: Date
    public var migration: String
    public var previousHead: String
    public var previousEntries: Int
    /// The first entry of the old chain that did not verify, if any.
    public var previousBrokenAt: Int64?
}

extension AuditAnchor {
    /// One line for `sohoa audit verify`: when and by what the chain was re-anchored, and what follows.
    public func summary(entriesSince: Int) -> String {
        let day = ISO8601DateFormatter().string(from: at)
        var line = "The chain was re-anchored on \(day) by migration \(migration) (the old chain's head was "
            + "\(previousHead.prefix(16))…, \(previousEntries) entries, rewritten with their values sealed"
        if let previousBrokenAt { line += "; the old chain was already broken at entry \(previousBrokenAt)" }
        return line + "); \(entriesSince) entries since, intact."
    }
}

// MARK: - Appending

extension AppDatabase {
    static let auditGenesis = String(repeating: "0", count: 64)

    /// Appends an entry inside the caller's transaction, chained to the last one: every Store write method calls this
    /// so that a change and its audit entry are one transaction. Sealed values are sealed with the batch's key
    /// (made on first use); a batch whose key retention destroyed cannot take new sealed values.
    public static func appendAudit(_ db: Database, _ event: AuditEvent, at: Date) throws {
        let prev = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") ?? auditGenesis
        let seq = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit")) ?? 1
        var sealed: String?
        if !event.sealed.isEmpty {
            guard let batchId = event.batchId else {
                throw StoreError(.conflict, "an audit entry (\(event.action)) with sealed values names no batch")
            }
            sealed = try Sealing.seal(event.sealed, key: try batchKey(db, batchId: batchId, at: at),
                                      context: sealingContext(seq: seq, batchId: batchId))
        }
        let entry = StoredAuditEntry(seq: seq, at: at, actor: event.actor, action: event.action, subject: event.subject,
                                     detail: event.detail.isEmpty ? nil : canonicalJSON(event.detail),
                                     batchId: event.batchId, sealed: sealed, prevHash: prev)
        try db.execute(sql: """
            INSERT INTO audit (seq, at, actor, action, subject, detail, batchId, sealed, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [seq, at, entry.actor, entry.action, entry.subject, entry.detail, entry.batchId, sealed, prev,
                             entry.hash])
    }

    /// The clear-only form, for Store methods whose entries carry no citizen value.
    static func appendAudit(_ db: Database, actor: String, action: String, subject: String?, detail: [String: String],
                            at: Date) throws {
        try appendAudit(db, AuditEvent(actor: actor, action: action, subject: subject, detail: detail), at: at)
    }

    /// Appends an entry in its own transaction. Only for events that change nothing else (a read, a login page
    /// shown): a change is audited inside its own transaction by the Store method that makes it.
    public func audit(actor: String, action: String, subject: String?, detail: [String: String] = [:],
                      now: Date = Date()) async throws {
        try await audit(AuditEvent(actor: actor, action: action, subject: subject, detail: detail), now: now)
    }

    /// Appends an event in its own transaction (for events that change nothing else); its `sealed` values are
    /// sealed with the batch's key.
    public func audit(_ event: AuditEvent, now: Date = Date()) async throws {
        try await writer.write { db in try Self.appendAudit(db, event, at: now) }
    }

    /// The key that seals a batch's values, made on first use.
    static func batchKey(_ db: Database, batchId: String, at: Date) throws -> Data {
        if let row = try Row.fetchOne(db, sql: "SELECT key, destroyedAt FROM auditKey WHERE batchId = ?",
                                      arguments: [batchId]) {
            guard let key: Data = row["key"] else {
                throw StoreError(.conflict, "batch \(batchId)'s values were removed by retention: none can be recorded")
            }
            return key
        }
        let key = Sealing.newKey()
        try db.execute(sql: "INSERT INTO auditKey (batchId, key, createdAt) VALUES (?, ?, ?)",
                       arguments: [batchId, key, at])
        return key
    }

    /// What the sealed bytes are bound to: an entry's sealed values do not open in another entry.
    static func sealingContext(seq: Int64, batchId: String?) -> String {
        "sohoa.audit.v2|\(seq)|\(batchId ?? "")"
    }

    /// A secret of the station's own (random, made once, kept in the database).
    static func stationSecret(_ db: Database, _ name: String) throws -> Data {
        if let value = try Data.fetchOne(db, sql: "SELECT value FROM stationSecret WHERE name = ?", arguments: [name]) {
            return value
        }
        let value = Sealing.newKey()
        try db.execute(sql: "INSERT INTO stationSecret (name, value, createdAt) VALUES (?, ?, ?)",
                       arguments: [name, value, Date()])
        return value
    }

    static func canonicalJSON(_ detail: [String: String]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(detail)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// An entry as the chain hashes it. The hash covers the sealed bytes, not the values: destroying a batch's key
/// leaves every hash as it was.
struct StoredAuditEntry {
    var seq: Int64
    var at: Date
    var actor: String
    var action: String
    var subject: String?
    var detail: String?
    var batchId: String?
    var sealed: String?
    var prevHash: String

    var hash: String {
        let millis = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let parts = ["v2", String(seq), String(millis), actor, action, subject ?? "", detail ?? "", batchId ?? "",
                     sealed ?? "", prevHash]
        return SHA256.hex(Data(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8))
    }

    /// The hash the log used before values were sealed (v4 to v5 of the schema), to check the old chain once.
    var legacyHash: String {
        let millis = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let parts = [String(seq), String(millis), actor, action, subject ?? "", detail ?? "", prevHash]
        return SHA256.hex(Data(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8))
    }

    init(seq: Int64, at: Date, actor: String, action: String, subject: String?, detail: String?, batchId: String?,
         sealed: String?, prevHash: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.batchId = batchId
        self.sealed = sealed
        self.prevHash = prevHash
    }

    init(_ e: AuditEntry) {
        self.init(seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail,
                  batchId: e.batchId, sealed: e.sealed, prevHash: e.prevHash)
    }
}

// MARK: - Reading and verifying

extension AppDatabase {
    static let auditSelect = """
        SELECT a.*, (k.key IS NOT NULL) AS keyAvailable FROM audit a LEFT JOIN auditKey k ON k.batchId = a.batchId
        """

    /// Newest first. Each entry says whether its sealed values can still be opened (`values`).
    /// - Parameters:
    ///   - subject: only entries about this subject (a batch, draft, kiosk or user id), and, for a batch, every
    ///     entry whose values are sealed with its key (its draft's field edits).
    ///   - before: only entries older than this sequence number (the next page of a list).
    public func auditEntries(limit: Int = 200, subject: String? = nil, before: Int64? = nil) async throws
        -> [AuditEntry] {
        try await writer.read { db in
            try AuditEntry.fetchAll(db, sql: """
                \(Self.auditSelect) WHERE (? IS NULL OR a.subject = ? OR a.batchId = ?) AND (? IS NULL OR a.seq < ?)
                ORDER BY a.seq DESC LIMIT ?
                """, arguments: [subject, subject, subject, before, before, limit])
        }
    }

    /// An entry's sealed values, opened with its batch's key: for an admin who must see what changed. Returns nil
    /// when the key is gone (retention destroyed it), an empty dictionary when the entry sealed nothing; throws
    /// when the sealed bytes do not open (altered). Never log what this returns.
    public func openedDetail(_ entry: AuditEntry) async throws -> [String: String]? {
        guard let sealed = entry.sealed else { return [:] }
        guard let batchId = entry.batchId,
              let key = try await writer.read({ db in
                  try Data.fetchOne(db, sql: "SELECT key FROM auditKey WHERE batchId = ?", arguments: [batchId])
              }) else { return nil }
        return try Sealing.open(sealed, key: key, context: Self.sealingContext(seq: entry.seq, batchId: batchId))
    }

    /// Recomputes every entry's hash and link: an edit, deletion or insertion in the file shows as a break. The
    /// hashes cover sealed bytes, so the chain verifies the same before and after retention destroys keys.
    public func verifyAudit() async throws -> AuditVerification {
        try await writer.read { db in
            let anchor = try AuditAnchor.fetchOne(db, sql: "SELECT * FROM auditAnchor ORDER BY seq DESC LIMIT 1")
            var prev = Self.auditGenesis
            var expectedSeq: Int64 = 1
            var count = 0
            var since = 0
            let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
            while let e = try cursor.next() {
                count += 1
                if e.seq > anchor?.seq ?? 0 { since += 1 }
                if e.seq != expectedSeq || e.prevHash != prev || e.hash != StoredAuditEntry(e).hash {
                    return AuditVerification(entries: count, brokenAt: e.seq, anchor: anchor, entriesSinceAnchor: since)
                }
                prev = e.hash
                expectedSeq += 1
            }
            return AuditVerification(entries: count, brokenAt: nil, anchor: anchor, entriesSinceAnchor: since)
        }
    }
}
