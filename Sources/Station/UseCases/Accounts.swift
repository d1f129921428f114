import Foundation
import Store

/// Accounts and kiosk devices.
public struct Accounts: Sendable {
    let app: StationApp
    var database: AppDatabase { app.parts.database }

    /// The rule for login names: letters, digits, '.', '_' or '-', at most 64.
    public static func isValidUsername(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
    }

    /// The rule for kiosk names: letters, digits, '-' or '_', at most 40.
    public static func isValidKioskName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.allSatisfy { $0.isLetter || $0.isNumber || "-_".contains($0) }
    }

    /// Creates an account; the password is kept only as a yescrypt hash (made off the cooperative pool).
    public func createUser(username: String, displayName: String?, role: Role, password: String,
                           by who: Principal) async throws -> User {
        guard Self.isValidUsername(username) else {
            throw StationError(.invalid, "a login name is letters, digits, '.', '_' or '-' (at most 64)")
        }
        guard password.count >= PasswordHash.minimumLength else {
            throw StationError(.invalid, "the password must have at least \(PasswordHash.minimumLength) characters")
        }
        let passwordHash = try await Blocking.run { try PasswordHash.make(password) }
        return try await stored {
            try await database.createUser(username: username, displayName: displayName ?? username, role: role,
                                          passwordHash: passwordHash, actor: who.name)
        }
    }

    /// Registers a kiosk (with a device token nobody knows yet) and issues its first pairing code, which is shown
    /// once and typed on the kiosk's own screen (`/kiosk/pair`).
    public func addKiosk(name: String, by who: Principal) async throws -> (kiosk: Kiosk, code: String, expiresAt: Date) {
        guard Self.isValidKioskName(name) else {
            throw StationError(.invalid, "a kiosk name is letters, digits, '-' or '_' (at most 40)")
        }
        let kiosk = try await stored {
            try await database.createKiosk(name: name, tokenHash: KioskPairing.unpairedTokenHash(), actor: who.name)
        }
        let (code, expiresAt) = try await issuePairingCode(kioskName: kiosk.name, by: who)
        return (kiosk, code, expiresAt)
    }

    /// A fresh one-time pairing code for a kiosk (earlier codes stop working): the only place it exists in clear.
    public func issuePairingCode(kioskName name: String, by who: Principal, now: Date = Date()) async throws
        -> (code: String, expiresAt: Date) {
        let code = KioskPairing.makeCode()
        let issued = try await stored {
            try await database.issueKioskPairingCode(
                kioskName: name, codeHash: KioskPairing.hash(normalized: KioskPairing.normalize(code)!),
                lifetime: KioskPairing.lifetime, actor: who.name, now: now)
        }
        return (code, issued.expiresAt)
    }

    /// Spends a pairing code typed on a kiosk: its kiosk gets a new device token (returned once, for the kiosk's
    /// cookie or an API client's bearer header); a device paired before stops working. Nil when the code is not good
    /// (unknown, used, expired, or its kiosk revoked).
    public func pairKiosk(typedCode: String, from address: String?) async throws -> (kiosk: Kiosk, token: String)? {
        guard let code = KioskPairing.normalize(typedCode) else { return nil }
        let token = Self.randomHex(bytes: 32)
        guard let kiosk = try await stored({
            try await database.redeemKioskPairingCode(codeHash: KioskPairing.hash(normalized: code),
                                                      newTokenHash: Self.tokenHash(token), from: address)
        }) else { return nil }
        return (kiosk, token)
    }

    /// Ends a kiosk's token at once.
    public func revokeKiosk(name: String, by who: Principal) async throws {
        try await stored { try await database.revokeKiosk(name: name, actor: who.name) }
    }

    /// Checks a login. An unknown or disabled name is checked against `dummyHash` (made once at start-up), so that a
    /// wrong name costs the same yescrypt time as a wrong password and timing does not tell which names exist. A
    /// refusal is audited with a keyed hash of the typed name (a password typed in the name box must not stay).
    public func login(username: String, password: String, from address: String?, dummyHash: String) async throws -> User? {
        let active = try await database.user(username: username).flatMap { $0.disabledAt == nil ? $0 : nil }
        let hash = active?.passwordHash ?? dummyHash
        let matches = try await Blocking.run { PasswordHash.verify(password, against: hash) }
        guard let user = active, matches else {
            try await stored { try await database.recordFailedLogin(username: username, from: address) }
            return nil
        }
        return user
    }

    /// A session for a signed-in user: its cookie token (only its SHA-256 is stored) and its CSRF token. Audited as
    /// `login`.
    public func openSession(_ user: User, lifetime: TimeInterval, from address: String?) async throws
        -> (token: String, session: SessionRecord) {
        let token = Self.randomHex(bytes: 32)
        let session = try await stored {
            try await database.createSession(user: user, tokenHash: Self.tokenHash(token), csrfToken: Self.randomHex(bytes: 32),
                                             lifetime: lifetime, from: address)
        }
        return (token, session)
    }

    /// Ends a session (logout), audited.
    public func endSession(tokenHash: String, by who: Principal) async throws {
        try await stored { try await database.endSession(tokenHash: tokenHash, actor: who.name) }
    }

    /// A yescrypt hash of a random password, for ``login(username:password:from:dummyHash:)``.
    public static func makeDummyHash() throws -> String { try PasswordHash.make(randomHex(bytes: 16)) }

    /// How a device token is kept and looked up.
    public static func tokenHash(_ token: String) -> String { SHA256.hex(Data(token.utf8)) }

    /// `bytes` random bytes from the system's generator (getrandom(2)), as hex.
    public static func randomHex(bytes: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}
