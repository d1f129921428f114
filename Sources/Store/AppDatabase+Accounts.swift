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

    /// Records a refused login. The typed name is kept only as a keyed hash (`failedLoginDigest`): a password typed
    /// in the name box must not stay in the log, yet an admin can still ask whether a given name failed.
    public func recordFailedLogin(username: String, from address: String?, now: Date = Date()) async throws {
        try await writer.write { db in
            var detail = [Self.failedLoginNameKey: try Self.loginNameDigest(db, username)]
            if let address { detail["from"] = address }
            try Self.appendAudit(db, AuditEvent(actor: "-", action: "login.failed", detail: detail), at: now)
        }
    }

    /// The keyed hash a failed login with this name recorded (under `name.hmac`), for an admin looking for it.
    public func failedLoginDigest(username: String) async throws -> String {
        try await writer.read { db in try Self.loginNameDigest(db, username) }
    }

    static let failedLoginNameKey = "name.hmac"

    /// HMAC-SHA256 of the name (case folded, as logins are) under the station's own secret.
    static func loginNameDigest(_ db: Database, _ username: String) throws -> String {
        Sealing.hmacHex(String(username.lowercased().prefix(256)), key: try stationSecret(db, "login-name-hmac"))
    }
}
