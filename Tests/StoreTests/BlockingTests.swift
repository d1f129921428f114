import Foundation
import Store
import Testing

@Suite struct BlockingTests {
    /// Work handed to `Blocking.run` sleeps on its own threads: while it holds them, tasks on Swift's cooperative
    /// pool (two threads on a desk PC) still run at once. Were the work on the pool, the probe would wait for it.
    @Test func blockingWorkLeavesTheCooperativePoolFree() async throws {
        let width = ProcessInfo.processInfo.activeProcessorCount
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<(width * 2) {
                group.addTask { try await Blocking.run { _ = usleep(1_500_000) } }
            }
            // This task sleeps while the blocking work has begun, then needs a pool thread to go on, as do as many
            // probes as the pool has threads.
            let probe = Date()
            try await Task.sleep(for: .milliseconds(50))
            await withTaskGroup(of: Void.self) { probes in
                for _ in 0..<width { probes.addTask { _ = (0..<1000).reduce(0, +) } }
            }
            #expect(Date().timeIntervalSince(probe) < 0.75, "the cooperative pool waited for blocking work")
            try await group.waitForAll()
        }
        #expect(Date().timeIntervalSince(started) >= 1.5)
    }

    @Test func aBlockingJobsErrorReachesItsCaller() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await Blocking.run { throw Boom() } }
    }
}
