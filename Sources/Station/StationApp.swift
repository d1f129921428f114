import Forms
import Foundation
import Logging
import Pipeline
import Store

/// The station's application layer: every use case the desk, the review pages, the kiosk and the command line
/// offer, each a method of one of the groups below. HTTP routes and CLI commands only parse, call and render.
///
/// Each state change is one store transaction that carries its own audit entry; a long use case (a scan, a read, a
/// submit) is a sequence of such steps. Blocking work (C imaging, password hashing, fsync, PDF building) runs on
/// ``Blocking``'s threads, database work through GRDB's async API.
public final class StationApp: Sendable {
    /// The store, the page files, the OCR workers and the form templates.
    public let parts: StationParts
    /// The desk's and kiosks' background work: scans, reads, kiosk checks.
    public let jobs: BatchJobs
    /// The scanners the desk and kiosks may use, if any.
    public let scanners: ScannerAccess?
    /// The procedures and the papers each needs.
    public let catalog: ProcedureCatalog
    /// Field types and form titles, for checking typed values.
    public let editor: FieldEditor
    /// How long a reviewer's hold on a draft lasts without activity.
    public let claimTTL: TimeInterval
    let logger: Logger

    public init(parts: StationParts, scanners: ScannerAccess? = nil, claimTTL: TimeInterval = 600,
                scannerWatchdog: TimeInterval = 45, logger: Logger = Logger(label: "sohoa.station")) throws {
        self.parts = parts
        self.scanners = scanners
        self.claimTTL = claimTTL
        self.logger = logger
        self.jobs = BatchJobs(station: parts, scanners: scanners, logger: logger, watchdog: scannerWatchdog)
        self.catalog = try ProcedureCatalog.builtIn()
        self.editor = FieldEditor(templates: parts.extractor.templates)
    }

    /// For reading: batches, pages, drafts, the queue, the audit log. Changes go through the use cases.
    public var database: AppDatabase { parts.database }

    public var batches: Batches { Batches(app: self) }
    public var drafts: Drafts { Drafts(app: self) }
    public var intakes: KioskIntakes { KioskIntakes(app: self) }
    public var accounts: Accounts { Accounts(app: self) }
    public var maintenance: Maintenance { Maintenance(app: self) }

    /// A form's title by its id.
    public func formTitle(_ form: String?) -> String? { form.flatMap { editor.titles[$0] } }
}
