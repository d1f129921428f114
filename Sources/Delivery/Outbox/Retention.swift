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
/// period has passed, its page images (originals, cleaned pages) and its PDF are removed. The delivery's record,
/// receipt and the pages' rows (with their hashes) stay.
public struct Retention: Sendable {
    public let database: AppDatabase
    public let blobs: BlobStore

    public init(database: AppDatabase, blobs: BlobStore) {
        self.database = database
        self.blobs = blobs
    }

    public func purge(deliveredBefore cutoff: Date, now: Date = Date()) throws -> PurgeSummary {
        let plan = try database.purgePlan(deliveredBefore: cutoff)
        guard !plan.deliveryIds.isEmpty else { return PurgeSummary() }
        var files = plan.pageBlobs
        for hash in plan.recordBlobs {
            guard let data = try? blobs.data(for: hash),
                  let record = try? JSONDecoder().decode(DossierRecord.self, from: data) else { continue }
            files.formUnion(record.components.flatMap(\.files).map(\.sha256))
        }
        var summary = PurgeSummary()
        summary.dossiers = plan.deliveryIds.count
        for hash in files.sorted() {
            let path = blobs.url(for: hash).path
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64 else { continue }
            try blobs.remove(hash)
            summary.files += 1
            summary.bytes += size
        }
        try database.markPurged(plan, now: now)
        return summary
    }
}
