import Foundation
import GRDB

/// Where a dossier is in its life. Every change is one transaction.
public enum DossierStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case capturing
    case processing
    case needsReview = "needs_review"
    case ready
    case queued
    case delivered
    case failed
}

/// What was captured in one sitting: one citizen, one procedure.
public struct Batch: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "batch"
    public var id: String
    public var createdAt: Date
    /// How the pages came in: "files", "scanner:<device>", "hotfolder", "upload".
    public var source: String
    public var status: DossierStatus
    /// How the pages were scanned (JSON), for a scanner batch.
    public var captureSettings: String?
    /// The code of the last capture error (a jam, an empty feeder…) while the batch waits to be resumed.
    public var lastError: String?
    public var updatedAt: Date?

    public init(id: String, createdAt: Date, source: String, status: DossierStatus, captureSettings: String? = nil,
                lastError: String? = nil, updatedAt: Date? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.source = source
        self.status = status
        self.captureSettings = captureSettings
        self.lastError = lastError
        self.updatedAt = updatedAt
    }
}

/// A batch still being captured or processed, for `sohoa batches` and resuming after a crash.
public struct BatchSummary: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var createdAt: Date
    public var source: String
    public var status: DossierStatus
    public var lastError: String?
    public var pageCount: Int
}

/// A file taken from the hot folder.
public struct IngestedFile: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ingestedFile"
    public var sha256: String
    public var name: String
    public var batchId: String?
    public var ingestedAt: Date

    public init(sha256: String, name: String, batchId: String?, ingestedAt: Date) {
        self.sha256 = sha256
        self.name = name
        self.batchId = batchId
        self.ingestedAt = ingestedAt
    }
}

public enum PageState: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case captured, processed, failed
}

/// One captured page: the original kept byte-for-byte (by hash) and what processing derived from it.
public struct Page: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "page"
    public var id: Int64?
    public var batchId: String
    /// 1-based order in the batch.
    public var seq: Int
    /// File name it came from (never a path), and its page within that file (0-based).
    public var sourceName: String
    public var sourcePage: Int
    public var originalSha256: String
    public var format: String
    public var width: Int
    public var height: Int
    public var dpi: Int
    public var dpiAssumed: Bool
    public var state: PageState
    public var error: String?
    public var cleanedSha256: String?
    public var quarterTurns: Int?
    public var skewDegrees: Double?
    public var isBlank: Bool?
    /// OCR result as JSON (words, boxes, confidences).
    public var ocr: String?
    public var processedAt: Date?
    /// When retention removed the page's image files (the row and its hashes stay).
    public var purgedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(batchId: String, seq: Int, sourceName: String, sourcePage: Int, originalSha256: String, format: String,
                width: Int, height: Int, dpi: Int, dpiAssumed: Bool) {
        self.batchId = batchId
        self.seq = seq
        self.sourceName = sourceName
        self.sourcePage = sourcePage
        self.originalSha256 = originalSha256
        self.format = format
        self.width = width
        self.height = height
        self.dpi = dpi
        self.dpiAssumed = dpiAssumed
        self.state = .captured
    }
}

extension Page {
    /// What processing derived from the page.
    mutating func record(_ r: PageResult, at now: Date) {
        state = .processed
        cleanedSha256 = r.cleanedSha256
        quarterTurns = r.quarterTurns
        skewDegrees = r.skewDegrees
        isBlank = r.isBlank
        ocr = r.ocrJSON
        processedAt = now
    }
}

/// A dossier draft (hồ sơ): the recognised form and its fields.
public struct Draft: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "draft"
    public var id: String
    public var batchId: String
    public var form: String?
    public var procedure: String?
    public var status: DossierStatus
    public var createdAt: Date
    public var updatedAt: Date
}

/// One field of a draft, as read and as later confirmed or corrected.
public struct DraftField: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "field"
    public var draftId: String
    public var ord: Int
    public var key: String
    public var value: String?
    public var raw: String?
    public var confidence: Double
    public var needsReview: Bool
    public var page: Int?
    public var boxX: Int?
    public var boxY: Int?
    public var boxWidth: Int?
    public var boxHeight: Int?
    public var confirmedBy: String?

    public init(draftId: String, ord: Int, key: String, value: String?, raw: String?, confidence: Double,
                needsReview: Bool, page: Int?, box: [Int]?, confirmedBy: String? = nil) {
        self.draftId = draftId
        self.ord = ord
        self.key = key
        self.value = value
        self.raw = raw
        self.confidence = confidence
        self.needsReview = needsReview
        self.page = page
        self.boxX = box?[0]
        self.boxY = box?[1]
        self.boxWidth = box?[2]
        self.boxHeight = box?[3]
        self.confirmedBy = confirmedBy
    }

    public var box: [Int]? {
        guard let boxX, let boxY, let boxWidth, let boxHeight else { return nil }
        return [boxX, boxY, boxWidth, boxHeight]
    }
}

/// A line of `drafts list`.
public struct DraftSummary: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: String
    public var form: String?
    public var status: DossierStatus
    public var createdAt: Date
    public var pageCount: Int
    public var fieldCount: Int
    public var flaggedCount: Int
}

/// Sortable unique ids: a prefix, 10 characters of time, 16 of randomness (Crockford base 32, like ULID).
public enum RecordID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func make(_ prefix: String, now: Date = Date()) -> String {
        var ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var time = [Character](repeating: "0", count: 10)
        for i in (0..<10).reversed() {
            time[i] = alphabet[Int(ms % 32)]
            ms /= 32
        }
        var rng = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in alphabet[Int(rng.next(upperBound: UInt64(32)))] }
        return prefix + "_" + String(time) + String(random)
    }
}
