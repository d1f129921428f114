import Foundation
import Store

/// What retention removed.
public struct PurgeSummary: Sendable, Equatable {
    public var dossiers = 0
    public var files = 0
    public var bytes: Int64 = 0

    public init() {}
}

/// Citizens' papers must not pile up on a desk PC: once the case system has confirmed a dossier and the retention
/// period has passed, everything the station holds of the citizen goes: page images (originals, cleaned pages), the
/// package's PDFs and its JSON record, field values and OCR text, and the batch's audit key (its sealed audit values
/// become unreadable; the audit chain still verifies). What proves the delivery stays: the receipt code, the hashes
/// and the dates, and a purge ledger entry that a restore consults (`StationBackup`).
public struct Retention: Sendable {
    public let database: AppDatabase
    public let blobs: BlobStore

    public init(database: AppDatabase, blobs: BlobStore) {
        self.database = database
        self.blobs = blobs
    }

    public func purge(deliveredBefore cutoff: Date, now: Date = Date()) async throws -> PurgeSummary {
        // Files stored or reused after this moment belong to new work (BlobStore.put touches a file it reuses): a
        // dossier with such a file keeps all of its files until a later run.
        let planned = Date().addingTimeInterval(-1)
        var summary = PurgeSummary()
        for item in try await database.purgePlan(deliveredBefore: cutoff).items {
            let hashes = Self.files(of: item, in: blobs)
            var files: [(hash: String, size: Int64)] = []
            var fresh = false
            for hash in hashes.sorted() {
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: blobs.url(for: hash).path)
                else { continue }  // already gone
                fresh = fresh || (attributes[.modificationDate] as? Date ?? .distantPast) >= planned
                files.append((hash, attributes[.size] as? Int64 ?? 0))
            }
            if fresh { continue }
            for file in files {
                try blobs.remove(file.hash)
                summary.files += 1
                summary.bytes += file.size
            }
            try await database.markPurged(item, files: hashes, now: now)
            summary.dossiers += 1
        }
        if summary.dossiers > 0 { try await database.checkpoint() }
        return summary
    }

    /// Every stored file of a dossier to purge: its pages' images (except those a page that stays uses), its package
    /// record and the PDFs the record names.
    public static func files(of item: PurgePlan.Item, in blobs: BlobStore) -> Set<String> {
        var hashes = item.pageBlobs
        hashes.insert(item.recordSha256)
        if let data = try? blobs.data(for: item.recordSha256),
           let record = try? JSONDecoder().decode(DossierRecord.self, from: data) {
            hashes.formUnion(record.components.flatMap(\.files).map(\.sha256))
        }
        return hashes
    }
}
