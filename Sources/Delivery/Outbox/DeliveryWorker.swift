import Foundation
import Logging
import ServiceLifecycle
import Store

/// How the outbox worker behaves.
public struct DeliveryConfiguration: Sendable {
    /// Deliveries in flight at once.
    public var concurrency: Int
    /// How long a claimed delivery belongs to its worker; longer than a request may take.
    public var lease: TimeInterval
    /// How often an idle worker looks for new work (and notices a shutdown).
    public var idlePoll: TimeInterval
    public var retry: RetryPolicy
    /// Page images of a delivered dossier are removed from the station after this long; nil keeps them.
    public var retention: TimeInterval?
    public var retentionCheckInterval: TimeInterval

    public init(concurrency: Int = 2, lease: TimeInterval = 180, idlePoll: TimeInterval = 1, retry: RetryPolicy = .init(),
                retention: TimeInterval? = 30 * 86400, retentionCheckInterval: TimeInterval = 3600) {
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.idlePoll = idlePoll
        self.retry = retry
        self.retention = retention
        self.retentionCheckInterval = retentionCheckInterval
    }
}

/// What one attempt came to.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(receiptCode: String, replayed: Bool)
    case willRetry(code: String, at: Date)
    case parked(code: String)
}

/// Counts over a worker run.
public struct DeliveryRunSummary: Sendable, Equatable {
    public var attempts = 0
    public var delivered = 0
    /// Deliveries the case system already had (a reply lost earlier): counted once, in `delivered` too.
    public var replayed = 0
    public var retried = 0
    public var parked = 0
    public var purged = PurgeSummary()

    public init() {}

    mutating func add(_ outcome: DeliveryOutcome) {
        attempts += 1
        switch outcome {
        case .delivered(_, let replayed):
            delivered += 1
            if replayed { self.replayed += 1 }
        case .willRetry: retried += 1
        case .parked: parked += 1
        }
    }

    mutating func add(_ other: DeliveryRunSummary) {
        attempts += other.attempts
        delivered += other.delivered
        replayed += other.replayed
        retried += other.retried
        parked += other.parked
    }
}

/// The outbox worker: takes due deliveries, uploads them, records the receipt and marks them delivered in one
/// transaction; failures wait for their backoff or are parked. A delivery is claimed with a lease, so a crash
/// mid-upload leaves it to be sent again (same idempotency key) by the next worker.
///
/// `run()` makes it a `Service` for the station's `ServiceGroup`; `runUntilEmpty()` is `sohoa deliver --until-empty`.
public final class DeliveryWorker: Service, Sendable {
    public let database: AppDatabase
    public let blobs: BlobStore
    public let caseSystem: any CaseSystem
    public let configuration: DeliveryConfiguration
    let logger: Logger
    let owner: String
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double

    public init(database: AppDatabase, blobs: BlobStore, caseSystem: any CaseSystem,
                configuration: DeliveryConfiguration = .init(),
                logger: Logger = Logger(label: "sohoa.delivery", factory: { _ in SwiftLogNoOpLogHandler() }),
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.database = database
        self.blobs = blobs
        self.caseSystem = caseSystem
        self.configuration = configuration
        self.logger = logger
        self.owner = LeaseOwner.make()
        self.now = now
        self.random = random
    }

    // MARK: One delivery

    /// Claims the delivery due first and attempts it; nil when nothing is due.
    public func deliverOne() async throws -> DeliveryOutcome? {
        guard let entry = try await database.claimDueDelivery(owner: owner, lease: configuration.lease, now: now(),
                                                         isOwnerAlive: LeaseOwner.isAlive) else { return nil }
        var logger = self.logger
        logger[metadataKey: "delivery.id"] = "\(entry.id)"
        logger[metadataKey: "upload.attempt"] = "\(entry.attempts)"
        do {
            let dossier = try loadPackage(entry)
            let receipt = try await caseSystem.submit(dossier, idempotencyKey: entry.idempotencyKey)
            let json = String(decoding: try JSONEncoder().encode(receipt), as: UTF8.self)
            try await database.markDelivered(id: entry.id, receiptCode: receipt.code, receipt: json, now: now())
            logger.info("delivered", metadata: ["replayed": "\(receipt.replayed)"])
            return .delivered(receiptCode: receipt.code, replayed: receipt.replayed)
        } catch let failure as DeliveryFailure {
            switch configuration.retry.decide(attempt: entry.attempts, failure: failure, now: now(), random: random()) {
            case .retry(let at):
                try await database.markAttemptFailed(id: entry.id, owner: owner, code: failure.code, message: failure.message, retryAt: at,
                                               now: now())
                logger.info("attempt failed, will retry", metadata: ["error": "\(failure.code)",
                                                                     "retry.in": "\(Int(at.timeIntervalSince(now()) * 1000)) ms"])
                return .willRetry(code: failure.code, at: at)
            case .park:
                try await database.markAttemptFailed(id: entry.id, owner: owner, code: failure.code, message: failure.message, retryAt: nil,
                                               now: now())
                logger.warning("delivery parked for an operator", metadata: ["error": "\(failure.code)"])
                return .parked(code: failure.code)
            }
        }
    }

    /// The package's record and files from the store, each checked against its hash.
    func loadPackage(_ entry: OutboxEntry) throws -> OutgoingDossier {
        func damaged(_ what: String) -> DeliveryFailure {
            DeliveryFailure(.permanent, "package_damaged",
                            "\(what): cancel the delivery and submit the draft again to rebuild its package")
        }
        guard let recordData = try? blobs.data(for: entry.recordSha256), SHA256.hex(recordData) == entry.recordSha256,
              let record = try? JSONDecoder().decode(DossierRecord.self, from: recordData) else {
            throw damaged("the dossier's record is missing or damaged")
        }
        var files: [OutgoingFile] = []
        for file in record.components.flatMap(\.files) {
            guard let data = try? blobs.data(for: file.sha256), data.count == file.size, SHA256.hex(data) == file.sha256
            else { throw damaged("the file \(file.name) is missing or damaged") }
            files.append(OutgoingFile(name: file.name, contentType: file.contentType, data: data))
        }
        return OutgoingDossier(record: recordData, files: files)
    }

    // MARK: Runs

    /// Delivers until nothing is pending or being sent (parked deliveries wait for an operator), then applies
    /// retention. Waits out backoffs; gives up at `deadline` if one is given.
    public func runUntilEmpty(deadline: Date? = nil) async throws -> DeliveryRunSummary {
        var summary = DeliveryRunSummary()
        let stop = LockedValue(false)
        repeat {
            if let deadline, now() >= deadline { break }
            try await withThrowingTaskGroup(of: DeliveryRunSummary.self) { group in
                for _ in 0..<configuration.concurrency {
                    group.addTask { try await self.lane(untilEmpty: true, stop: stop, deadline: deadline) }
                }
                for try await part in group { summary.add(part) }
            }
        } while try await database.nextDeliveryDue() != nil
        summary.purged = try await applyRetention()
        return summary
    }

    /// The service: delivers as work falls due until the station shuts down; in-flight uploads finish first.
    public func run() async throws {
        let stop = LockedValue(false)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<configuration.concurrency {
                    group.addTask { _ = try await self.lane(untilEmpty: false, stop: stop, deadline: nil) }
                }
                group.addTask { try await self.retentionLoop(stop: stop) }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            stop.withLock { $0 = true }
        }
    }

    private func lane(untilEmpty: Bool, stop: LockedValue<Bool>, deadline: Date?) async throws -> DeliveryRunSummary {
        var summary = DeliveryRunSummary()
        while !stop.withLock({ $0 }) {
            if let deadline, now() >= deadline { return summary }
            do {
                if let outcome = try await deliverOne() {
                    summary.add(outcome)
                    continue
                }
                guard let due = try await database.nextDeliveryDue() else {
                    if untilEmpty { return summary }
                    try await Task.sleep(for: .seconds(configuration.idlePoll))
                    continue
                }
                let wait = min(max(due.timeIntervalSince(now()), 0.005), configuration.idlePoll)
                try await Task.sleep(for: .seconds(wait))
            } catch let error where !(error is CancellationError) && !untilEmpty {
                // The station's own store failed (disk full, locked): keep the service up and try again shortly.
                logger.error("delivery worker error", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(configuration.idlePoll))
            }
        }
        return summary
    }

    private func retentionLoop(stop: LockedValue<Bool>) async throws {
        guard configuration.retention != nil else { return }
        var last = Date.distantPast
        while !stop.withLock({ $0 }) {
            if now().timeIntervalSince(last) >= configuration.retentionCheckInterval {
                last = now()
                do {
                    let purged = try await applyRetention()
                    if purged.dossiers > 0 {
                        logger.info("retention removed page images", metadata: ["dossiers": "\(purged.dossiers)",
                                                                                "files": "\(purged.files)"])
                    }
                } catch {
                    logger.error("retention failed", metadata: ["error": "\(error)"])
                }
            }
            try await Task.sleep(for: .seconds(configuration.idlePoll))
        }
    }

    /// Removes page images of dossiers delivered longer ago than the retention period.
    public func applyRetention() async throws -> PurgeSummary {
        guard let period = configuration.retention else { return PurgeSummary() }
        return try await Retention(database: database, blobs: blobs).purge(deliveredBefore: now().addingTimeInterval(-period),
                                                                     now: now())
    }
}

/// Who holds a claimed delivery: host, process id, the process's start time and an instance id. A worker whose
/// process has died loses its claims at once, without waiting for the lease to run out.
enum LeaseOwner {
    static let host = ProcessInfo.processInfo.hostName

    static func make() -> String {
        let pid = getpid()
        return "\(host)/\(pid)/\(startTime(of: pid) ?? 0)/\(UUID().uuidString.prefix(8))"
    }

    @Sendable static func isAlive(_ owner: String) -> Bool {
        let parts = owner.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return false }
        guard parts[0] == host else { return true }  // another machine: its lease decides
        guard let actual = startTime(of: pid) else { return false }
        return actual == start
    }

    /// Field 22 of `/proc/PID/stat` (clock ticks after boot): tells a process from a later one with its number.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
