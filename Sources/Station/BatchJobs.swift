import Foundation
import Imaging
import Logging
import Pipeline
import Scanning
import ServiceLifecycle
import Store

/// What the desk asked the station to do with a batch in the background.
public enum BatchJob: Sendable {
    /// Read the batch's pages into its draft.
    case read(batchId: String)
    /// Scan from a scanner into the batch, reading pages as they come; the draft follows.
    case scan(batchId: String, device: String)
    /// Scan one sheet again in place of page `seq` of a batch being captured.
    case rescan(batchId: String, device: String, seq: Int, username: String)
    /// A kiosk scan: pages into the batch without reading them, a watchdog on the scanner.
    case kioskScan(batchId: String, device: String, replacing: Int?)
    /// A kiosk check: read the batch, then judge each page (blank, upside down, dark, blurred, cut off).
    case kioskCheck(batchId: String)
}

/// How a batch's background work is going, for the desk page's progress.
public struct JobState: Sendable, Codable, Equatable {
    public var kind: String
    public var running: Bool
    public var pagesDone: Int
    public var pagesTotal: Int?
    /// A message for the officer when it stopped on an error (Vietnamese).
    public var error: String?
}

/// Runs the desk's scans and reads, one batch at a time (the OCR pool parallelises the pages), as a service of
/// the station's ServiceGroup: a shutdown lets the current job finish; a job not started stays as a batch to
/// read again after restart.
public final class BatchJobs: Service, Sendable {
    let station: StationParts
    let scanners: ScannerAccess?
    let logger: Logger
    private let queue: AsyncStream<BatchJob>
    private let continuation: AsyncStream<BatchJob>.Continuation
    private let board = LockedValue([String: JobState]())
    private let qualities = LockedValue([String: [Int: [String]]]())
    /// Seconds a kiosk scan may go without a new page before the watchdog stops the scanner.
    let watchdog: TimeInterval

    public init(station: StationParts, scanners: ScannerAccess?, logger: Logger, watchdog: TimeInterval = 45) {
        self.station = station
        self.watchdog = watchdog
        self.scanners = scanners
        self.logger = logger
        (queue, continuation) = AsyncStream<BatchJob>.makeStream()
    }

    public func submit(_ job: BatchJob) {
        let (id, kind) = switch job {
        case .read(let b), .kioskCheck(let b): (b, "read")
        case .scan(let b, _), .rescan(let b, _, _, _), .kioskScan(let b, _, _): (b, "scan")
        }
        board.withLock { $0[id] = JobState(kind: kind, running: true, pagesDone: 0, pagesTotal: nil, error: nil) }
        continuation.yield(job)
    }

    public func state(of batchId: String) -> JobState? { board.withLock { $0[batchId] } }

    /// Queues again the reads a stop cut short (batches left in `processing`); returns their ids.
    @discardableResult
    public func resumeInterrupted() async throws -> [String] {
        let interrupted = try await station.database.unfinishedBatches().filter { $0.status == .processing }.map(\.id)
        for id in interrupted { submit(.read(batchId: id)) }
        return interrupted
    }

    public var activeCount: Int { board.withLock { $0.values.filter(\.running).count } }

    /// Problems found on each page by the last kiosk check (codes), by page number.
    public func quality(of batchId: String) -> [Int: [String]]? { qualities.withLock { $0[batchId] } }

    /// Forgets a batch (a kiosk session that ended).
    public func forget(_ batchId: String) {
        board.withLock { $0[batchId] = nil }
        qualities.withLock { $0[batchId] = nil }
    }

    public func run() async throws {
        // A graceful shutdown cancels the job in hand; it is abandoned safely (its batch is read again at the next start).
        await cancelWhenGracefulShutdown {
            for await job in self.queue {
                await self.perform(job)
            }
        }
    }

    private func update(_ batchId: String, _ change: @escaping @Sendable (inout JobState) -> Void) {
        board.withLock { states in
            if var s = states[batchId] {
                change(&s)
                states[batchId] = s
            }
        }
    }

    private func perform(_ job: BatchJob) async {
        let batchId = job.batchId
        do {
            try await execute(job)
            update(batchId) { $0.running = false }
        } catch {
            logger.error("a batch job failed", metadata: ["batch.id": "\(batchId)", "error": "\(error)"])
            let message = Self.message(for: error, job)
            update(batchId) {
                $0.running = false
                $0.error = message
            }
        }
    }

    private func execute(_ job: BatchJob) async throws {
        switch job {
        case .read(let batchId):
            _ = try await DocumentPipeline(station: station, logger: logger).processBatch(id: batchId) { [self] event in
                switch event {
                case .pagesFound(let n): update(batchId) { $0.pagesTotal = n }
                case .pageDone: update(batchId) { $0.pagesDone += 1 }
                default: break
                }
            }
        case .scan(let batchId, let device):
            try await withScanner(device) { opened, profile in
                _ = try await ScanJob(station: station, logger: logger).run(
                    device: opened, profile: profile, request: ScanRequest(use: .forms, options: scanners?.options ?? []),
                    resume: batchId
                ) { [self] event in
                    if case .pageScanned = event { update(batchId) { $0.pagesDone += 1 } }
                }
            }
        case .kioskScan(let batchId, let device, let replacing):
            try await kioskScan(batchId, device: device, replacing: replacing)
        case .kioskCheck(let batchId):
            try await kioskCheck(batchId)
        case .rescan(let batchId, let device, let seq, let username):
            let added = try await withScanner(device) { opened, profile in
                try await ScanJob(station: station, logger: logger).capture(
                    device: opened, profile: profile,
                    request: ScanRequest(use: .forms, options: scanners?.options ?? [], maxPages: 1), into: batchId)
            }
            if let new = added.first {
                // The new sheet takes the old one's place; the old one goes.
                try await station.database.replacePage(batchId: batchId, seq: seq, withAddedPage: new.seq, actor: username)
            }
            update(batchId) { $0.pagesDone = added.count }
        }
    }

    /// Scans into a kiosk batch without reading; a watchdog interrupts a scanner that stops delivering pages.
    private func kioskScan(_ batchId: String, device: String, replacing: Int?) async throws {
        let database = station.database
        let before = try await database.pages(batchId: batchId).count
        let watchdog = self.watchdog
        let added = try await withScanner(device) { opened, profile in
            try await withThrowingTaskGroup(of: [Page]?.self) { group in
                group.addTask { [self] in
                    try await ScanJob(station: station, logger: logger).capture(
                        device: opened, profile: profile,
                        request: ScanRequest(use: .forms, options: scanners?.options ?? [],
                                             maxPages: replacing == nil ? nil : 1),
                        into: batchId)
                }
                group.addTask { [self] in
                    var count = before
                    var last = Date()
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(250))
                        let now = try await database.pages(batchId: batchId).count
                        if now != count {
                            count = now
                            last = Date()
                            update(batchId) { $0.pagesDone = now - before }
                        } else if Date().timeIntervalSince(last) > watchdog {
                            logger.warning("kiosk watchdog: the scanner stopped answering", metadata: ["batch.id": "\(batchId)"])
                            opened.interrupt()
                            throw ScanError(.ioError, detail: "the scanner stopped answering", pagesKept: count - before)
                        }
                    }
                    return nil
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let pages = next { return pages }
                }
                return []
            }
        }
        if let replacing, let new = added.first, let source = try await database.batch(id: batchId)?.source {
            try await database.replacePage(batchId: batchId, seq: replacing, withAddedPage: new.seq, actor: source)
        }
    }

    /// Reads a kiosk batch and judges each page.
    private func kioskCheck(_ batchId: String) async throws {
        if try await station.database.draft(batchId: batchId) == nil {
            _ = try await DocumentPipeline(station: station, logger: logger).processBatch(id: batchId) { [self] event in
                switch event {
                case .pagesFound(let n): update(batchId) { $0.pagesTotal = n }
                case .pageDone: update(batchId) { $0.pagesDone += 1 }
                default: break
                }
            }
        }
        var found: [Int: [String]] = [:]
        let blobs = station.blobs
        for page in try await station.database.pages(batchId: batchId) {
            var problems: [String] = []
            if page.state == .failed { problems.append("unreadable") }
            if page.isBlank == true { problems.append("blank") }
            if page.quarterTurns == 2 { problems.append("upside_down") }
            if let hash = page.cleanedSha256, page.isBlank != true {
                problems += try await Blocking.run {
                    let url = blobs.url(for: hash)
                    let image = try PageImage.load(url, info: try ImageProbe.probe(url), assumedDPI: page.dpi)
                    return try PageQuality.assess(image).problems.map(\.rawValue)
                }
            }
            found[page.seq] = problems
        }
        qualities.withLock { $0[batchId] = found }
    }

    /// Opens one of the station's scanners for `body` and closes it afterwards, whatever happens.
    private func withScanner<T>(_ device: String, _ body: (any ScannerDevice, DeviceProfile) async throws -> T) async throws -> T {
        guard let scanners else { throw ScanError(.deviceNotFound, detail: "no scanner is configured") }
        let opened = try await scanners.open(device)
        do {
            let result = try await body(opened.device, opened.profile)
            await opened.close()
            return result
        } catch {
            await opened.close()
            throw error
        }
    }

    /// What the officer reads when a job stops (Vietnamese; no citizen data).
    static func message(for error: any Error, _ job: BatchJob) -> String {
        switch error {
        case let e as ScanJobError: return e.scan.vietnamese
        case let e as ScanError: return e.vietnamese
        default:
            switch job {
            case .read, .kioskCheck: return "Không đọc được hồ sơ: \(error)"
            case .scan, .kioskScan: return "Không quét được: \(error)"
            case .rescan(_, _, let seq, _): return "Không quét lại được trang \(seq): \(error)"
            }
        }
    }
}

extension BatchJob {
    var batchId: String {
        switch self {
        case .read(let b), .scan(let b, _), .rescan(let b, _, _, _), .kioskScan(let b, _, _), .kioskCheck(let b): b
        }
    }
}

/// The scanners the desk and kiosks may use: SANE devices, or (in tests) a wrapper that injects faults.
public struct ScannerAccess: Sendable {
    /// The devices offered (SANE names); a kiosk uses the first.
    public let devices: [String]
    /// Options passed to every scan (`NAME=VALUE`), e.g. the pnm backend's file in a demo.
    public let options: [OptionSetting]
    private let opener: @Sendable (String) async throws -> OpenedScanner

    public struct OpenedScanner: Sendable {
        public let device: any ScannerDevice
        public let profile: DeviceProfile
        public let close: @Sendable () async -> Void

        public init(device: any ScannerDevice, profile: DeviceProfile, close: @escaping @Sendable () async -> Void) {
            self.device = device
            self.profile = profile
            self.close = close
        }
    }

    public init(runtime: SaneRuntime, catalog: ProfileCatalog, devices: [String], options: [OptionSetting]) {
        self.init(devices: devices, options: options) { name in
            let device = try await runtime.open(name)
            return OpenedScanner(device: device, profile: catalog.profile(for: device.info), close: { await device.close() })
        }
    }

    public init(devices: [String], options: [OptionSetting],
                opener: @escaping @Sendable (String) async throws -> OpenedScanner) {
        self.devices = devices
        self.options = options
        self.opener = opener
    }

    public func open(_ name: String) async throws -> OpenedScanner {
        guard devices.contains(name) else { throw ScanError(.deviceNotFound, detail: name) }
        return try await opener(name)
    }
}
