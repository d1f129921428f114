import Foundation
import Store
import Testing

@Suite struct BlockingTests {
    /// The name of the thread this runs on (Linux: `/proc/thread-self/comm`): Swift's cooperative pool threads are
    /// not named like NIO's thread-pool threads (`TP-#0`…).
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Work handed to `Blocking.run` runs on the blocking-work threads, not on the task's own (pool) thread.
    @Test func blockingWorkRunsOnItsOwnThreads() async throws {
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await Blocking.run { Self.threadName() } } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix("TP-#") }, "\(names)")
    }

    /// While blocking work holds its threads (8 s: long enough that a busy test run's other tests cannot hide the
    /// difference), a task on Swift's cooperative pool goes on before that work ends.
    /// Were the work on the pool (as many jobs as the pool has threads), the probe would only run after it.
    @Test func blockingWorkLeavesTheCooperativePoolFree() async throws {
        let width = ProcessInfo.processInfo.activeProcessorCount
        let probed = ManagedFlag()
        let sawProbe = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<width {
                group.addTask {
                    try await Blocking.run {
                        usleep(8_000_000)
                        return probed.isSet
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(100))
                probed.set()
                return true
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(sawProbe, "the probe on the cooperative pool waited for the blocking work")
    }

    @Test func aBlockingJobsErrorReachesItsCaller() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await Blocking.run { throw Boom() } }
    }
}

/// A flag set once, read from any thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
