import Foundation
import GRDB

/// What a person may do at the station.
public enum Role: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Desk officer: scans, checks and submits dossiers.
    case officer
    /// Operator: reviews flagged fields.
    case reviewer
    /// Everything, plus accounts and the audit log.
    case admin
}

/// A local account. The password is kept only as a salted slow hash (yescrypt).
public struct User: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"
    public var id: String
    public var username: String
    public var displayName: String
    public var role: Role
    public var passwordHash: String
    public var createdAt: Date
    public var disabledAt: Date?

    public func may(_ needed: Role) -> Bool {
        role == .admin || role == needed
    }
}

public struct SessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"
    public var tokenHash: String
    public var userId: String
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date
}

extension AppDatabase {
    /// Creates an account; the username is unique regardless of case.
    public func createUser(username: String, displayName: String, role: Role, passwordHash: String, actor: String,
                           now: Date = Date()) async throws -> User {
        try await writer.write { db in
            if try User.filter(Column("username").collating(.nocase) == username).fetchCount(db) > 0 {
                throw StoreError(.conflict, "a user named \(username) already exists")
            }
            let user = User(id: RecordID.make("u", now: now), username: username, displayName: displayName, role: role,
                            passwordHash: passwordHash, createdAt: now)
            try user.insert(db)
            try Self.appendAudit(db, actor: actor, action: "user.create", subject: user.id,
                                 detail: ["username": username, "role": role.rawValue], at: now)
            return user
        }
    }

    public func user(username: String) async throws -> User? {
        try await writer.read { db in try User.filter(Column("username").collating(.nocase) == username).fetchOne(db) }
    }

    public func users() async throws -> [User] {
        try await writer.read { db in try User.order(Column("username")).fetchAll(db) }
    }

    public func userCount() async throws -> Int {
        try await writer.read { db in try User.fetchCount(db) }
    }

    /// Opens a session after a successful login, and records the login.
    public func createSession(user: User, tokenHash: String, csrfToken: String, lifetime: TimeInterval,
                              from address: String?, now: Date = Date()) async throws -> SessionRecord {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expiresAt <= ?", arguments: [now])
            let session = SessionRecord(tokenHash: tokenHash, userId: user.id, csrfToken: csrfToken, createdAt: now,
                                        expiresAt: now.addingTimeInterval(lifetime))
            try session.insert(db)
            try Self.appendAudit(db, actor: user.username, action: "login", subject: user.id,
                                 detail: address.map { ["from": $0] } ?? [:], at: now)
            return session
        }
    }

    /// The live session with this token hash and its (enabled) user.
    public func session(tokenHash: String, now: Date = Date()) async throws -> (SessionRecord, User)? {
        try await writer.read { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenHash), session.expiresAt > now,
                  let user = try User.fetchOne(db, key: session.userId), user.disabledAt == nil else { return nil }
            return (session, user)
        }
    }

    public func endSession(tokenHash: String, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenHash) else { return }
            try session.delete(db)
            try Self.appendAudit(db, actor: actor, action: "logout", subject: session.userId, detail: [:], at: now)
        }
    }

    /// Records a refused login (the attempted name, never the password).
    public func recordFailedLogin(username: String, from address: String?, now: Date = Date()) async throws {
        try await writer.write { db in
            var detail = ["username": String(username.prefix(64))]
            if let address { detail["from"] = address }
            try Self.appendAudit(db, actor: "-", action: "login.failed", subject: nil, detail: detail, at: now)
        }
    }
}

// MARK: - Audit

/// One entry of the audit log.
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord {
    public var seq: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var subject: String?
    public var detail: String?
    public var prevHash: String
    public var hash: String
}

/// The outcome of checking the audit chain.
public struct AuditVerification: Sendable, Equatable {
    public var entries: Int
    /// The first entry whose hash or link does not match, if any.
    public var brokenAt: Int64?
    public var isIntact: Bool { brokenAt == nil }
}

extension AppDatabase {
    static let auditGenesis = String(repeating: "0", count: 64)

    /// Appends an entry inside the caller's transaction, chained to the last one.
    static func appendAudit(_ db: Database, actor: String, action: String, subject: String?, detail: [String: String],
                            at: Date) throws {
        let prev = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") ?? auditGenesis
        let seq = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit")) ?? 1
        let detailJSON = detail.isEmpty ? nil : canonicalJSON(detail)
        let hash = auditHash(seq: seq, at: at, actor: actor, action: action, subject: subject, detail: detailJSON,
                             prevHash: prev)
        try db.execute(sql: """
            INSERT INTO audit (seq, at, actor, action, subject, detail, prevHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [seq, at, actor, action, subject, detailJSON, prev, hash])
    }

    static func auditHash(seq: Int64, at: Date, actor: String, action: String, subject: String?, detail: String?,
                          prevHash: String) -> String {
        let millis = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let line = [String(seq), String(millis), actor, action, subject ?? "", detail ?? "", prevHash]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hex(Data(line.utf8))
    }

    static func canonicalJSON(_ detail: [String: String]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(detail)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Appends an entry in its own transaction (for events that change nothing else).
    public func audit(actor: String, action: String, subject: String?, detail: [String: String] = [:],
                      now: Date = Date()) async throws {
        try await writer.write { db in try Self.appendAudit(db, actor: actor, action: action, subject: subject, detail: detail, at: now) }
    }

    /// Newest first.
    public func auditEntries(limit: Int = 200, subject: String? = nil) async throws -> [AuditEntry] {
        try await writer.read { db in
            try AuditEntry.fetchAll(db, sql: """
                SELECT * FROM audit WHERE (? IS NULL OR subject = ?) ORDER BY seq DESC LIMIT ?
                """, arguments: [subject, subject, limit])
        }
    }

    /// Recomputes every entry's hash and link: an edit, deletion or insertion in the file shows as a break.
    public func verifyAudit() async throws -> AuditVerification {
        try await writer.read { db in
            var prev = Self.auditGenesis
            var expectedSeq: Int64 = 1
            var count = 0
            let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
            while let e = try cursor.next() {
                count += 1
                let hash = Self.auditHash(seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject,
                                          detail: e.detail, prevHash: e.prevHash)
                if e.seq != expectedSeq || e.prevHash != prev || e.hash != hash {
                    return AuditVerification(entries: count, brokenAt: e.seq)
                }
                prev = e.hash
                expectedSeq += 1
            }
            return AuditVerification(entries: count, brokenAt: nil)
        }
    }
}
