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

    /// Registers a kiosk; returns it with its device token, which is shown once and stored only as its SHA-256.
    public func addKiosk(name: String, by who: Principal) async throws -> (kiosk: Kiosk, token: String) {
        guard Self.isValidKioskName(name) else {
            throw StationError(.invalid, "a kiosk name is letters, digits, '-' or '_' (at most 40)")
        }
        let token = Self.randomHex(bytes: 32)
        let kiosk = try await stored {
            try await database.createKiosk(name: name, tokenHash: Self.tokenHash(token), actor: who.name)
        }
        return (kiosk, token)
    }

    /// Ends a kiosk's token at once.
    public func revokeKiosk(name: String, by who: Principal) async throws {
        try await stored { try await database.revokeKiosk(name: name, actor: who.name) }
    }

    /// How a device token is kept and looked up.
    public static func tokenHash(_ token: String) -> String { SHA256.hex(Data(token.utf8)) }

    /// `bytes` random bytes from the system's generator (getrandom(2)), as hex.
    public static func randomHex(bytes: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}
