import Foundation
import GRDB

/// Capture page by page: a scanner batch is opened first and each page is committed as soon as it is read, so a
/// jam on page 7 keeps pages 1–6 and a restart finds the batch to resume.
extension AppDatabase {
    /// Opens a batch in `capturing`; with an `actor`, audited as `batch.create` (with `detail`: codes, never
    /// citizens' data) in the same transaction.
    public func beginBatch(source: String, captureSettings: String? = nil, actor: String? = nil,
                           detail: [String: String] = [:], now: Date = Date()) async throws -> Batch {
        try await writer.write { db in
            let batch = Batch(id: RecordID.make("b", now: now), createdAt: now, source: source, status: .capturing,
                              captureSettings: captureSettings, updatedAt: now)
            try batch.insert(db)
            if let actor {
                try Self.appendAudit(db, actor: actor, action: "batch.create", subject: batch.id, detail: detail, at: now)
            }
            return batch
        }
    }

    /// Appends a captured page (its original already in the page store) to a batch still capturing.
    public func addCapturedPage(batchId: String, _ p: NewPage, now: Date = Date()) async throws -> Page {
        try await writer.write { db in try Self.appendPages(db, batchId: batchId, [p], now: now)[0] }
    }

    /// Appends the pages of one uploaded file, audited as `page.upload` with the file's name, in one transaction.
    public func addUploadedPages(batchId: String, _ pages: [NewPage], file: String, actor: String,
                                 now: Date = Date()) async throws -> [Page] {
        try await writer.write { db in
            let added = try Self.appendPages(db, batchId: batchId, pages, now: now)
            // The file's name may be the citizen's: sealed with the batch's key.
            try Self.appendAudit(db, AuditEvent(actor: actor, action: "page.upload", subject: batchId, batchId: batchId,
                                                detail: ["pages": "\(pages.count)"], sealed: ["file": file]), at: now)
            return added
        }
    }

    static func appendPages(_ db: Database, batchId: String, _ pages: [NewPage], now: Date) throws -> [Page] {
        guard let batch = try Batch.fetchOne(db, key: batchId) else {
            throw StoreError(.notFound, "batch \(batchId) does not exist")
        }
        guard batch.status == .capturing else {
            throw StoreError(.conflict, "batch \(batchId) is \(batch.status.rawValue), no longer capturing")
        }
        var seq = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM page WHERE batchId = ?",
                                   arguments: [batchId]) ?? 1
        var added: [Page] = []
        for p in pages {
            var page = Page(batchId: batchId, seq: seq, sourceName: p.sourceName, sourcePage: p.sourcePage,
                            originalSha256: p.originalSha256, format: p.format, width: p.width, height: p.height,
                            dpi: p.dpi, dpiAssumed: p.dpiAssumed)
            try page.insert(db)
            added.append(page)
            seq += 1
        }
        try db.execute(sql: "UPDATE batch SET lastError = NULL, updatedAt = ? WHERE id = ?", arguments: [now, batchId])
        return added
    }

    /// Records why capture stopped (an error code such as `paper_jam`), leaving the batch open to resume.
    public func recordCaptureError(batchId: String, code: String?, now: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE batch SET lastError = ?, updatedAt = ? WHERE id = ?",
                           arguments: [code, now, batchId])
        }
    }

    public func batch(id: String) async throws -> Batch? {
        try await writer.read { db in try Batch.fetchOne(db, key: id) }
    }

    /// A batch's pages in order.
    public func pages(batchId: String) async throws -> [Page] {
        try await writer.read { db in
            try Page.filter(Column("batchId") == batchId).order(Column("seq")).fetchAll(db)
        }
    }

    /// Batches not yet turned into a draft (capturing or processing), oldest first.
    public func unfinishedBatches() async throws -> [BatchSummary] {
        try await writer.read { db in
            try BatchSummary.fetchAll(db, sql: """
                SELECT b.id, b.createdAt, b.source, b.status, b.lastError,
                       (SELECT COUNT(*) FROM page p WHERE p.batchId = b.id) AS pageCount
                FROM batch b
                WHERE b.status IN ('capturing', 'processing') AND NOT EXISTS (SELECT 1 FROM draft d WHERE d.batchId = b.id)
                ORDER BY b.createdAt, b.id
                """)
        }
    }

    /// Ends capture: the batch moves to `processing` (a restart will process it, not scan into it). With an
    /// `actor`, audited as `batch.read` in the same transaction.
    public func finishCapture(batchId: String, actor: String? = nil, now: Date = Date()) async throws {
        try await writer.write { db in
            let pages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page WHERE batchId = ?", arguments: [batchId]) ?? 0
            guard pages > 0 else { throw StoreError(.conflict, "batch \(batchId) has no page to process") }
            try db.execute(sql: """
                UPDATE batch SET status = 'processing', lastError = NULL, updatedAt = ?
                WHERE id = ? AND status IN ('capturing', 'processing')
                """, arguments: [now, batchId])
            if let actor {
                try Self.appendAudit(db, actor: actor, action: "batch.read", subject: batchId,
                                     detail: ["pages": "\(pages)"], at: now)
            }
        }
    }

    /// What processing made of a batch's pages, its draft and fields, in one transaction.
    /// `results` has one entry per page id: a result, or the reason the page could not be processed.
    public func completeBatch(batchId: String, results: [Int64: Result<PageResult, PageFailure>], form: String?,
                              procedure: String?, fields: [NewField], now: Date = Date()) async throws
        -> (Draft, [DraftField], [Page]) {
        try await writer.write { db in
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
    public func ingestedFile(sha256: String) async throws -> IngestedFile? {
        try await writer.read { db in try IngestedFile.fetchOne(db, key: sha256) }
    }
}

/// Why a stored page could not be processed (safe to show: no citizen data).
public struct PageFailure: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
