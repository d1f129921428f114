import Foundation
import GRDB

extension AppDatabase {
    /// Opens an existing station database for reading only: commands that list or check must not create a store
    /// where there is none. Throws `StoreError` with code `.notFound` when there is no database file at `url`.
    /// A store written by an older sohoa is upgraded first (its pending migrations run, as any command would).
    public static func openExisting(at url: URL) throws -> AppDatabase {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StoreError(.notFound, "no station data in \(url.deletingLastPathComponent().path)")
        }
        var config = Configuration()
        config.readonly = true
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: url.path, configuration: config)
        guard try pool.read({ try migrator.hasCompletedMigrations($0) }) else {
            try pool.close()
            return try open(at: url)
        }
        // Fully migrated: the migrator only looks (CREATE TABLE IF NOT EXISTS of a table that exists, a read), which
        // a read-only connection allows.
        return try AppDatabase(pool)
    }
}
