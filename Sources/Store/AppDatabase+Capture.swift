import Foundation
import GRDB

/// Capture page by page: a scanner batch is opened first and each page is committed as soon as it is read, so a
/// jam on page 7 keeps pages 1–6 and a restart finds the batch to resume.
extension AppDatabase {
    /// Opens a batch in `capturing`.
    public func beginBatch(source: String, captureSettings: String? = nil, now: Date = Date()) throws -> Batch {
        try writer.write { db in
            let batch = Batch(id: RecordID.make("b", now: now), createdAt: now, source: source, status: .capturing,
                              captureSettings: captureSettings, updatedAt: now)
            try batch.insert(db)
            return batch
        }
    }

    /// Appends a captured page (its original already in the page store) to a batch still capturing.
    public func addCapturedPage(batchId: String, _ p: NewPage, now: Date = Date()) throws -> Page {
        try writer.write { db in
            guard let batch = try Batch.fetchOne(db, key: batchId) else {
                throw StoreError(.notFound, "batch \(batchId) does not exist")
            }
            guard batch.status == .capturing else {
                throw StoreError(.conflict, "batch \(batchId) is \(batch.status.rawValue), no longer capturing")
            }
            let seq = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM page WHERE batchId = ?",
                                       arguments: [batchId]) ?? 1
            var page = Page(batchId: batchId, seq: seq, sourceName: p.sourceName, sourcePage: p.sourcePage,
                            originalSha256: p.originalSha256, format: p.format, width: p.width, height: p.height,
                            dpi: p.dpi, dpiAssumed: p.dpiAssumed)
            try page.insert(db)
            try db.execute(sql: "UPDATE batch SET lastError = NULL, updatedAt = ? WHERE id = ?", arguments: [now, batchId])
            return page
        }
    }

    /// Records why capture stopped (an error code such as `paper_jam`), leaving the batch open to resume.
    public func recordCaptureError(batchId: String, code: String?, now: Date = Date()) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE batch SET lastError = ?, updatedAt = ? WHERE id = ?",
                           arguments: [code, now, batchId])
        }
    }

    public func batch(id: String) throws -> Batch? {
        try writer.read { db in try Batch.fetchOne(db, key: id) }
    }

    /// A batch's pages in order.
    public func pages(batchId: String) throws -> [Page] {
        try writer.read { db in
            try Page.filter(Column("batchId") == batchId).order(Column("seq")).fetchAll(db)
        }
    }

    /// Batches not yet turned into a draft (capturing or processing), oldest first.
    public func unfinishedBatches() throws -> [BatchSummary] {
        try writer.read { db in
            try BatchSummary.fetchAll(db, sql: """
                SELECT b.id, b.createdAt, b.source, b.status, b.lastError,
                       (SELECT COUNT(*) FROM page p WHERE p.batchId = b.id) AS pageCount
                FROM batch b
                WHERE b.status IN ('capturing', 'processing') AND NOT EXISTS (SELECT 1 FROM draft d WHERE d.batchId = b.id)
                ORDER BY b.createdAt, b.id
                """)
        }
    }

    /// Ends capture: the batch moves to `processing` (a restart will process it, not scan into it).
    public func finishCapture(batchId: String, now: Date = Date()) throws {
        try writer.write { db in
            let pages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE batchId = ?", arguments: [batchId]) ?? 0
            guard pages > 0 else { throw StoreError(.conflict, "batch \(batchId) has no page to process") }
            try db.execute(sql: """
                UPDATE batch SET status = 'processing', lastError = NULL, updatedAt = ?
                WHERE id = ? AND status IN ('capturing', 'processing')
                """, arguments: [now, batchId])
        }
    }

    /// What processing made of a batch's pages, its draft and fields, in one transaction.
    /// `results` has one entry per page id: a result, or the reason the page could not be processed.
    public func completeBatch(batchId: String, results: [Int64: Result<PageResult, PageFailure>], form: String?,
                              procedure: String?, fields: [NewField], now: Date = Date()) throws
        -> (Draft, [DraftField], [Page]) {
        try writer.write { db in
            guard var batch = try Batch.fetchOne(db, key: batchId) else {
                throw StoreError(.notFound, "batch \(batchId) does not exist")
            }
            if try Draft.filter(Column("batchId") == batchId).fetchCount(db) > 0 {
                throw StoreError(.conflict, "batch \(batchId) already has a draft")
            }
            var pages = try Page.filter(Column("batchId") == batchId).order(Column("seq")).fetchAll(db)
            for i in pages.indices {
                guard let id = pages[i].id, let result = results[id] else { continue }
                switch result {
                case .success(let r):
                    pages[i].record(r, at: now)
                case .failure(let f):
                    pages[i].state = .failed
                    pages[i].error = f.reason
                    pages[i].processedAt = now
                }
                try pages[i].update(db)
            }
            let status = Self.draftStatus(form: form, fields: fields)
            batch.status = status
            batch.lastError = nil
            batch.updatedAt = now
            try batch.update(db)
            let (draft, rows) = try Self.insertDraft(db, batchId: batchId, form: form, procedure: procedure,
                                                     status: status, fields: fields, now: now)
            return (draft, rows, pages)
        }
    }

    /// The batch a hot-folder file with these bytes went into, if it was taken before.
    public func ingestedFile(sha256: String) throws -> IngestedFile? {
        try writer.read { db in try IngestedFile.fetchOne(db, key: sha256) }
    }
}

/// Why a stored page could not be processed (safe to show: no citizen data).
public struct PageFailure: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
