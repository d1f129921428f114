import Foundation
import Store

/// What a backup holds, written beside it as `manifest.json`.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let currentFormat = "sohoa-backup/1"
    public static let fileName = "manifest.json"
    public static let databaseName = "sohoa.sqlite"
    public static let pagesName = "pages"

    public var format: String
    public var createdAt: Date
    /// SHA-256 of the database copy (the store, with the audit keys and the station's secrets).
    public var databaseSha256: String
    /// Page files (images, records, PDFs) copied.
    public var files: Int
    public var bytes: Int64
    /// Dossiers retention had purged when the backup was made, and the last time it did.
    public var purgedDossiers: Int
    public var lastPurgeAt: Date?
}

/// What a restore did.
public struct RestoreSummary: Sendable, Equatable {
    public var manifest: BackupManifest
    public var filesCopied = 0
    /// Files in the backup that were not brought back: they belong to dossiers retention purged (in a ledger, or
    /// whose retention period has passed since the backup).
    public var filesWithheld = 0
    /// Dossiers purged on restore from the ledgers given (purges made after the backup).
    public var purgesReapplied = 0
    /// Dossiers purged on restore because their retention period has passed.
    public var retentionPurged = 0
    public var audit: AuditVerification
}

/// `sohoa backup` and `sohoa restore`: a consistent copy of the store (SQLite's `VACUUM INTO`, so nothing deleted
/// lingers in free pages), the page files and the keys (the audit's per-batch keys and the station's secrets live in
/// the store), into a directory; and back into an empty data directory.
///
/// A restore never brings back what retention destroyed: it re-applies the purge ledger of the backup itself and of
/// any newer store or backup it is given, then retention for dossiers whose period has passed since, before it copies
/// a single page file; files of purged dossiers are withheld, their keys destroyed, their values removed.
public enum StationBackup {
    /// Copies the store and its page files into `directory` (created; it must not exist or be empty).
    public static func backup(database: AppDatabase, blobs: BlobStore, to directory: URL,
                              now: Date = Date()) async throws -> BackupManifest {
        try requireEmpty(directory, "the backup")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let databaseCopy = directory.appendingPathComponent(BackupManifest.databaseName)
        try database.copy(to: databaseCopy)
        // Files are content-addressed and written before the store refers to them: every file the copy names is
        // already there. A file retention removes meanwhile is one a restore would withhold anyway.
        let pages = directory.appendingPathComponent(BackupManifest.pagesName, isDirectory: true)
        var files = 0
        var bytes: Int64 = 0
        for (hash, source) in try storedFiles(in: blobs.root) {
            let target = pages.appendingPathComponent(String(hash.prefix(2)), isDirectory: true)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            do {
                try FileManager.default.copyItem(at: source, to: target.appendingPathComponent(String(hash.dropFirst(2))))
            } catch CocoaError.fileReadNoSuchFile {
                continue  // removed by retention since the listing
            }
            files += 1
            bytes += Int64((try? source.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        let ledger = try await database.purgeLedger()
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, createdAt: now,
            databaseSha256: SHA256.hex(try Data(contentsOf: databaseCopy)), files: files, bytes: bytes,
            purgedDossiers: ledger.count, lastPurgeAt: ledger.map(\.purgedAt).max())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: directory.appendingPathComponent(BackupManifest.fileName),
                                           options: .atomic)
        return manifest
    }

    /// Restores the backup in `directory` into an empty data directory (`databaseURL`, `pagesURL`). `ledgers` are
    /// database files of newer copies of the station (the old data directory's `sohoa.sqlite`, a newer backup's)
    /// whose purges are re-applied; `retention` purges, before any file is copied, dossiers delivered longer ago
    /// than that (nil: only the ledgers).
    public static func restore(from directory: URL, databaseURL: URL, pagesURL: URL, ledgers: [URL] = [],
                               retention: TimeInterval?, now: Date = Date()) async throws -> RestoreSummary {
        let manifest = try readManifest(directory)
        let source = directory.appendingPathComponent(BackupManifest.databaseName)
        guard let bytes = try? Data(contentsOf: source), SHA256.hex(bytes) == manifest.databaseSha256 else {
            throw DeliveryError(.backupDamaged, "the backup's database in \(directory.path) does not match its "
                                + "manifest: restore another backup")
        }
        try requireEmpty(databaseURL.deletingLastPathComponent(), "the data directory")
        try requireEmpty(pagesURL, "the page directory")
        var others: [PurgeLedgerEntry] = []
        for url in ledgers {
            do {
                others += try AppDatabase.purgeLedger(ofStoreAt: url)
            } catch {
                throw DeliveryError(.backupRefused, "cannot read the purge ledger of \(url.path): give the "
                                    + "sohoa.sqlite of a station's data directory or backup")
            }
        }

        try FileManager.default.createDirectory(at: databaseURL.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try bytes.write(to: databaseURL)
        let database = try AppDatabase.open(at: databaseURL)  // migrates an older backup (sealing its audit values)
        let backupBlobs = try BlobStore(root: directory.appendingPathComponent(BackupManifest.pagesName,
                                                                                 isDirectory: true))
        var summary = RestoreSummary(manifest: manifest, audit: try await database.verifyAudit())

        // 1. What retention had destroyed: the backup's own ledger, then the newer ones.
        var withheld = Set<String>()
        for entry in try await database.purgeLedger() { withheld.formUnion(entry.files) }
        let reapplied = try await database.reapplyPurges(others, now: now)
        summary.purgesReapplied = reapplied.count
        for entry in reapplied { withheld.formUnion(entry.files) }
        // 2. What retention would have destroyed by now.
        if let retention {
            for item in try await database.purgePlan(deliveredBefore: now.addingTimeInterval(-retention)).items {
                let files = Retention.files(of: item, in: backupBlobs)
                try await database.markPurged(item, files: files, now: now)
                withheld.formUnion(files)
                summary.retentionPurged += 1
            }
        }
        // 3. The page files, but none of a purged dossier (a file a page that stays still uses is kept).
        await withheld.subtract(try database.filesInUse())
        let blobs = try BlobStore(root: pagesURL)
        for (hash, file) in try storedFiles(in: backupBlobs.root) {
            if withheld.contains(hash) {
                summary.filesWithheld += 1
                continue
            }
            let data = try Data(contentsOf: file)
            guard try blobs.put(data) == hash else {
                throw DeliveryError(.backupDamaged, "page file \(hash.prefix(12))… of the backup is damaged: "
                                    + "restore another backup")
            }
            summary.filesCopied += 1
        }
        try await database.audit(AuditEvent(actor: "restore", action: "backup.restore", detail: [
            "backupCreatedAt": ISO8601DateFormatter().string(from: manifest.createdAt),
            "files": "\(summary.filesCopied)", "withheld": "\(summary.filesWithheld)",
            "purgesReapplied": "\(summary.purgesReapplied)", "retentionPurged": "\(summary.retentionPurged)",
        ]), now: now)
        // Nothing of a destroyed key or a removed value stays in the file's free pages or in the log.
        try database.compact()
        summary.audit = try await database.verifyAudit()
        return summary
    }

    public static func readManifest(_ directory: URL) throws -> BackupManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(BackupManifest.fileName)),
              let manifest = try? decoder.decode(BackupManifest.self, from: data) else {
            throw DeliveryError(.backupRefused, "\(directory.path) holds no sohoa backup (no readable "
                                + "\(BackupManifest.fileName)): give the directory `sohoa backup` wrote")
        }
        guard manifest.format == BackupManifest.currentFormat else {
            throw DeliveryError(.backupRefused, "the backup in \(directory.path) is of format \(manifest.format); "
                                + "this sohoa restores \(BackupManifest.currentFormat)")
        }
        return manifest
    }

    /// The stored files under a page directory (`ab/cdef…`), by hash; temporary files are skipped.
    static func storedFiles(in root: URL) throws -> [(String, URL)] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.path) else { return [] }
        var files: [(String, URL)] = []
        for prefix in try fm.contentsOfDirectory(atPath: root.path).sorted() where prefix.count == 2 {
            let dir = root.appendingPathComponent(prefix, isDirectory: true)
            for name in (try? fm.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] where !name.hasPrefix(".") {
                let hash = prefix + name
                guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { continue }
                files.append((hash, dir.appendingPathComponent(name)))
            }
        }
        return files
    }

    static func requireEmpty(_ directory: URL, _ what: String) throws {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard entries.isEmpty else {
            throw DeliveryError(.backupRefused, "\(what) \(directory.path) is not empty: give a new or empty directory")
        }
    }
}
