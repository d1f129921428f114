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
                group.addTask { try await Blocking.run { _ = usleep(800_000) } }
            }
            try await Task.sleep(for: .milliseconds(50))  // the blocking work has begun
            // As many probes as the pool has threads, each needing a pool thread now.
            let probe = Date()
            await withTaskGroup(of: Void.self) { probes in
                for _ in 0..<width { probes.addTask { _ = (0..<1000).reduce(0, +) } }
            }
            #expect(Date().timeIntervalSince(probe) < 0.3, "the cooperative pool waited for blocking work")
            try await group.waitForAll()
        }
        #expect(Date().timeIntervalSince(started) >= 0.8)
    }

    @Test func aBlockingJobsErrorReachesItsCaller() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await Blocking.run { throw Boom() } }
    }
}
