import ArgumentParser
import Delivery
import Foundation
import Logging
import Pipeline
import ServiceLifecycle
import Station
import Store

struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Send queued dossiers to the case system.",
        discussion: """
            Takes due deliveries from the outbox, uploads each with its idempotency key, records the case \
            system's receipt (mã hồ sơ) and marks it delivered. Network trouble, timeouts, 5xx, 408 and 429 are \
            retried with exponential backoff and jitter; other refusals are parked for an operator \
            (`sohoa queue`). A delivery cut short by a crash is sent again with the same key. Without \
            --until-empty it keeps running until SIGTERM or Ctrl-C, finishing uploads in flight.
            """)

    @OptionGroup var station: DataOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var caseSystem: CaseSystemOptions
    @OptionGroup var worker: WorkerOptions

    @Flag(name: .customLong("until-empty"), help: "Stop when nothing is left to send (parked deliveries wait for an operator).")
    var untilEmpty = false

    @Option(name: .customLong("give-up-after"), help: "With --until-empty: stop after this many seconds even if deliveries still wait.")
    var giveUpAfter: Double?

    @Flag(name: .long, help: "With --until-empty: print the run's counts as JSON.") var json = false

    func run() async throws {
        let app = try openApp(station)
        let logger = log.logger()
        let client = try caseSystem.make(logger: logger)
        let worker = app.maintenance.deliveryWorker(caseSystem: client,
                                                    configuration: self.worker.configuration(timeout: caseSystem.timeout),
                                                    logger: logger)
        if untilEmpty {
            let summary: DeliveryRunSummary
            do {
                summary = try await worker.runUntilEmpty(deadline: giveUpAfter.map { Date().addingTimeInterval($0) })
            } catch {
                await client.shutdown()
                throw fail("\(error)", ExitStatus.store)
            }
            await client.shutdown()
            let counts = try await app.database.outboxCounts()
            report(summary, waiting: (counts[.pending] ?? 0) + (counts[.sending] ?? 0), parked: counts[.parked] ?? 0)
            return
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    private func report(_ s: DeliveryRunSummary, waiting: Int, parked: Int) {
        if json {
            struct Run: Encodable {
                var attempts, delivered, replayed, retried, parked, waiting, purgedDossiers, purgedFiles: Int
            }
            try? printJSON(Run(attempts: s.attempts, delivered: s.delivered, replayed: s.replayed, retried: s.retried,
                               parked: parked, waiting: waiting, purgedDossiers: s.purged.dossiers,
                               purgedFiles: s.purged.files))
            return
        }
        print("Đã gửi \(s.delivered) hồ sơ (\(s.attempts) lượt gửi, \(s.retried) lượt phải thử lại). "
              + "Delivered \(s.delivered) dossier(s) in \(s.attempts) attempt(s).")
        if parked > 0 {
            print("\(parked) hồ sơ tạm dừng, cần người xử lý: xem `sohoa queue --state parked`. "
                  + "\(parked) parked for an operator.")
        }
        if waiting > 0 { print("\(waiting) hồ sơ còn chờ gửi lại. \(waiting) still waiting to be retried.") }
        if s.purged.dossiers > 0 {
            print("Đã xóa ảnh trang của \(s.purged.dossiers) hồ sơ đã gửi quá hạn lưu (\(s.purged.files) tệp).")
        }
    }
}

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "What the outbox holds: pending, parked and delivered dossiers.",
        subcommands: [List.self, Retry.self, Cancel.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, oldest first (never creates a store).")
        @OptionGroup var store: DataOptions
        @Option(name: .long, help: "Only this state: pending, sending, delivered, parked, cancelled.")
        var state: String?
        @Option(name: .long, help: "At most this many.") var limit = 200
        @Flag(name: .long, help: "Print JSON: {counts, deliveries}.") var json = false

        func run() async throws {
            var filter: OutboxState?
            if let state {
                guard let s = OutboxState(rawValue: state) else { throw ValidationError("unknown state \(state)") }
                filter = s
            }
            let database = try openStore(store)
            let rows = try await database.outbox(state: filter, limit: limit)
            let counts = try await database.outboxCounts()
            let iso = ISO8601DateFormatter()
            if json {
                struct Delivery: Encodable {
                    var id, draftId: String
                    @Nullable var form: String?
                    @Nullable var procedure: String?
                    var state: String
                    var attempts: Int
                    var nextAttemptAt: String
                    @Nullable var lastErrorCode: String?
                    @Nullable var lastError: String?
                    @Nullable var receiptCode: String?
                    @Nullable var deliveredAt: String?
                    var purged: Bool
                }
                struct Queue: Encodable {
                    var counts: [String: Int]
                    var deliveries: [Delivery]
                }
                try printJSON(Queue(
                    counts: Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                    deliveries: rows.map {
                        Delivery(id: $0.id, draftId: $0.draftId, form: $0.form, procedure: $0.procedure,
                                 state: $0.state.rawValue, attempts: $0.attempts,
                                 nextAttemptAt: iso.string(from: $0.nextAttemptAt), lastErrorCode: $0.lastErrorCode,
                                 lastError: $0.lastError, receiptCode: $0.receiptCode,
                                 deliveredAt: $0.deliveredAt.map(iso.string(from:)), purged: $0.purgedAt != nil)
                    }), pretty: true)
                return
            }
            print("\(store.directory.path): chờ gửi \(counts[.pending] ?? 0) · đang gửi \(counts[.sending] ?? 0) · tạm dừng \(counts[.parked] ?? 0) · "
                  + "đã gửi \(counts[.delivered] ?? 0) · đã hủy \(counts[.cancelled] ?? 0)")
            for r in rows {
                var line = "\(r.id)\t\(r.draftId)\t\(r.state.rawValue)\t\(r.attempts) lượt"
                switch r.state {
                case .delivered: line += "\tmã hồ sơ \(r.receiptCode ?? "?")" + (r.purgedAt != nil ? "\t(ảnh đã xóa)" : "")
                case .pending: line += "\tgửi lúc \(iso.string(from: r.nextAttemptAt))" + (r.lastErrorCode.map { "\t\($0)" } ?? "")
                case .parked: line += "\t\(r.lastErrorCode ?? ""): \(r.lastError ?? "")"
                default: break
                }
                print(line)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send parked deliveries again (same idempotency key).")
        @OptionGroup var station: DataOptions
        @Argument(help: "Delivery ids (dl_…).") var ids: [String] = []
        @Flag(name: .customLong("all-parked"), help: "Every parked delivery.") var allParked = false

        func run() async throws {
            let app = try openApp(station)
            let targets = allParked ? try await app.database.outbox(state: .parked, limit: 100_000).map(\.id) : ids
            if targets.isEmpty { throw ValidationError("name a delivery id or pass --all-parked") }
            do {
                for id in targets { try await app.drafts.retryDelivery(id: id, by: .commandLine()) }
            } catch {
                throw mapStationError(error)
            }
            print("Sẽ gửi lại \(targets.count) hồ sơ. \(targets.count) delivery(ies) will be sent again.")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a pending or parked delivery; its draft goes back to ready to be corrected.")
        @OptionGroup var station: DataOptions
        @Argument(help: "The delivery id (dl_…).") var id: String

        func run() async throws {
            do {
                try await openApp(station).drafts.cancelDelivery(id: id, by: .commandLine())
            } catch {
                throw mapStationError(error)
            }
            print("Đã hủy lượt gửi \(id). Cancelled.")
        }
    }
}
