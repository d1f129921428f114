import Foundation
import GRDB

/// A one-time code that pairs a kiosk's browser: shown once by `sohoa kiosk add` or `sohoa kiosk pair-code`, typed
/// on the kiosk's own page, kept only as its hash, valid for minutes and for one use.
public struct KioskPairingCode: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "kioskPairingCode"
    public var codeHash: String
    public var kioskId: String
    public var createdAt: Date
    public var expiresAt: Date
}

extension AppDatabase {
    static func registerKioskPairingMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v8-kiosk-pairing-codes") { db in
            try db.create(table: "kioskPairingCode") { t in
                t.primaryKey("codeHash", .text).check { length($0) == 64 }
                t.belongsTo("kiosk", onDelete: .cascade).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
        }
    }

    /// Stores a fresh pairing code for the kiosk named `name`; any earlier code of that kiosk stops working. The
    /// audit entry says a code was issued, never the code.
    @discardableResult
    public func issueKioskPairingCode(kioskName name: String, codeHash: String, lifetime: TimeInterval, actor: String,
                                      now: Date = Date()) async throws -> KioskPairingCode {
        try await writer.write { db in
            guard let kiosk = try Kiosk.filter(Column("name").collating(.nocase) == name).fetchOne(db) else {
                throw StoreError(.notFound, "no kiosk named \(name): add it with `sohoa kiosk add \(name)`")
            }
            guard kiosk.revokedAt == nil else {
                throw StoreError(.conflict, "kiosk \(kiosk.name) was revoked: add a new kiosk with another name")
            }
            try KioskPairingCode.filter(Column("kioskId") == kiosk.id || Column("expiresAt") <= now).deleteAll(db)
            let code = KioskPairingCode(codeHash: codeHash, kioskId: kiosk.id, createdAt: now,
                                        expiresAt: now.addingTimeInterval(lifetime))
            try code.insert(db)
            try Self.appendAudit(db, actor: actor, action: "kiosk.pair-code", subject: kiosk.id,
                                 detail: ["name": kiosk.name], at: now)
            return code
        }
    }

    /// Spends a pairing code: when it is known, unexpired and its kiosk not revoked, the code is deleted and the
    /// kiosk's device token becomes `newTokenHash` (a device paired before stops working). One transaction; nil when
    /// the code is not good.
    public func redeemKioskPairingCode(codeHash: String, newTokenHash: String, from address: String?,
                                       now: Date = Date()) async throws -> Kiosk? {
        try await writer.write { db in
            guard let code = try KioskPairingCode.fetchOne(db, key: codeHash) else { return nil }
            try code.delete(db)
            guard code.expiresAt > now, var kiosk = try Kiosk.fetchOne(db, key: code.kioskId), kiosk.revokedAt == nil else {
                return nil
            }
            kiosk.tokenHash = newTokenHash
            try kiosk.update(db)
            var detail = ["name": kiosk.name]
            if let address { detail["from"] = address }
            try Self.appendAudit(db, actor: kiosk.source, action: "kiosk.pair", subject: kiosk.id, detail: detail, at: now)
            return kiosk
        }
    }
}
