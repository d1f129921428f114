import Foundation
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
    let station: Station
    let scanners: ScannerAccess?
    let logger: Logger
    private let queue: AsyncStream<BatchJob>
    private let continuation: AsyncStream<BatchJob>.Continuation
    private let board = LockedBox([String: JobState]())

    public init(station: Station, scanners: ScannerAccess?, logger: Logger) {
        self.station = station
        self.scanners = scanners
        self.logger = logger
        (queue, continuation) = AsyncStream<BatchJob>.makeStream()
    }

    public func submit(_ job: BatchJob) {
        let (id, kind) = switch job {
        case .read(let b): (b, "read")
        case .scan(let b, _), .rescan(let b, _, _, _): (b, "scan")
        }
        board.withLock { $0[id] = JobState(kind: kind, running: true, pagesDone: 0, pagesTotal: nil, error: nil) }
        continuation.yield(job)
    }

    public func state(of batchId: String) -> JobState? { board.withLock { $0[batchId] } }

    /// Queues again the reads a stop cut short (batches left in `processing`); returns their ids.
    @discardableResult
    public func resumeInterrupted() throws -> [String] {
        let interrupted = try station.database.unfinishedBatches().filter { $0.status == .processing }.map(\.id)
        for id in interrupted { submit(.read(batchId: id)) }
        return interrupted
    }

    public var activeCount: Int { board.withLock { $0.values.filter(\.running).count } }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
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
        case .rescan(let batchId, let device, let seq, let username):
            guard let user = try station.database.user(username: username) else {
                throw ScanError(.cancelled, detail: "the officer's account is gone")
            }
            let added = try await withScanner(device) { opened, profile in
                try await ScanJob(station: station, logger: logger).capture(
                    device: opened, profile: profile,
                    request: ScanRequest(use: .forms, options: scanners?.options ?? [], maxPages: 1), into: batchId)
            }
            if let new = added.first {
                // The new sheet takes the old one's place; the old one goes.
                try station.database.movePage(batchId: batchId, from: new.seq, to: seq, user: user)
                try station.database.deletePage(batchId: batchId, seq: seq + 1, user: user)
            }
            update(batchId) { $0.pagesDone = added.count }
        }
    }

    /// Opens one of the station's scanners for `body` and closes it afterwards, whatever happens.
    private func withScanner<T>(_ device: String, _ body: (SaneDevice, DeviceProfile) async throws -> T) async throws -> T {
        guard let scanners else { throw ScanError(.deviceNotFound, detail: "no scanner is configured") }
        let (opened, profile) = try await scanners.open(device)
        do {
            let result = try await body(opened, profile)
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
            case .read: return "Không đọc được hồ sơ: \(error)"
            case .scan: return "Không quét được: \(error)"
            case .rescan(_, _, let seq, _): return "Không quét lại được trang \(seq): \(error)"
            }
        }
    }
}

extension BatchJob {
    var batchId: String {
        switch self {
        case .read(let b), .scan(let b, _), .rescan(let b, _, _, _): b
        }
    }
}

/// The scanners the desk may use, through SANE.
public struct ScannerAccess: Sendable {
    public let runtime: SaneRuntime
    public let catalog: ProfileCatalog
    /// The devices offered on the desk page (SANE names).
    public let devices: [String]
    /// Options passed to every scan (`NAME=VALUE`), e.g. the pnm backend's file in a demo.
    public let options: [OptionSetting]

    public init(runtime: SaneRuntime, catalog: ProfileCatalog, devices: [String], options: [OptionSetting]) {
        self.runtime = runtime
        self.catalog = catalog
        self.devices = devices
        self.options = options
    }

    func open(_ name: String) async throws -> (SaneDevice, DeviceProfile) {
        guard devices.contains(name) else { throw ScanError(.deviceNotFound, detail: name) }
        let device = try await runtime.open(name)
        return (device, catalog.profile(for: device.info))
    }
}

final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
