import Foundation
import GRDB
import Store

/// What the simulated case system received: one row per dossier it accepted, keyed by the idempotency key it came
/// with. In memory, or in a SQLite file so that it remembers across its own restarts.
final class SimulatorStore: Sendable {
    private let queue: DatabaseQueue

    init(path: String?) throws {
        queue = try path.map { try DatabaseQueue(path: $0) } ?? DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS received (
                    idempotencyKey TEXT PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    internalId TEXT NOT NULL,
                    procedure TEXT,
                    payloadSha256 TEXT NOT NULL,
                    files INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    receivedAt TEXT NOT NULL,
                    repeats INTEGER NOT NULL DEFAULT 0
                )
                """)
        }
    }

    struct Receipt: Sendable, Equatable {
        var code: String
        var internalId: String
        var receivedAt: String
        var replayed: Bool
    }

    enum Outcome: Sendable, Equatable {
        case accepted(Receipt)
        /// The key was used before for a different payload.
        case keyReused
    }

    /// Keeps a dossier once per idempotency key: a repeat with the same payload gets the first receipt back.
    func accept(key: String, internalId: String, procedure: String?, payloadSha256: String, files: Int, bytes: Int,
                now: Date) throws -> Outcome {
        try queue.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM received WHERE idempotencyKey = ?", arguments: [key]) {
                guard row["payloadSha256"] == payloadSha256 else { return .keyReused }
                try db.execute(sql: "UPDATE received SET repeats = repeats + 1 WHERE idempotencyKey = ?", arguments: [key])
                return .accepted(Receipt(code: row["code"], internalId: row["internalId"], receivedAt: row["receivedAt"],
                                         replayed: true))
            }
            let seq = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM received") ?? 0) + 1
            let code = String(format: "000.00.00.H99-%@-%06d", Self.day(now), seq)
            let at = ISO8601DateFormatter().string(from: now)
            try db.execute(sql: """
                INSERT INTO received (idempotencyKey, code, internalId, procedure, payloadSha256, files, bytes, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key, code, internalId, procedure, payloadSha256, files, bytes, at])
            return .accepted(Receipt(code: code, internalId: internalId, receivedAt: at, replayed: false))
        }
    }

    func lookup(code: String) throws -> Receipt? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM received WHERE code = ?", arguments: [code]).map {
                Receipt(code: $0["code"], internalId: $0["internalId"], receivedAt: $0["receivedAt"], replayed: false)
            }
        }
    }

    struct Counts: Sendable {
        var received: Int
        var distinctDossiers: Int
        var duplicates: Int
        var bytes: Int
    }

    func counts() throws -> Counts {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, COUNT(DISTINCT internalId) AS d, COALESCE(SUM(repeats), 0) AS r,
                       COALESCE(SUM(bytes), 0) AS b FROM received
                """)!
            return Counts(received: row["n"], distinctDossiers: row["d"], duplicates: row["r"], bytes: row["b"])
        }
    }

    /// Receipts by idempotency key (for tests that compare both sides).
    func receipts() throws -> [String: String] {
        try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT idempotencyKey, code FROM received").map {
                (String($0["idempotencyKey"]), String($0["code"]))
            })
        }
    }

    private static func day(_ d: Date) -> String { LocalTime.string(d, "yyMMdd") }
}
