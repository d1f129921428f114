import NIOPosix

/// The one place blocking work goes: C imaging (decode, rotate, encode), password hashing, fsync of page files,
/// PDF building, quality checks. It runs on dedicated threads, never on Swift's cooperative pool, so that a request
/// waiting for it leaves the pool's few threads (two on a desk PC) free for the others.
///
/// GRDB's own async API already runs database work on its queues; Tesseract has its own worker threads
/// (`OCRPool`). Everything else that blocks goes through `Blocking.run`.
public enum Blocking {
    /// Four threads: the work is short (tens to hundreds of milliseconds) and often waits on the disk.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Runs `body` on the blocking-work threads and returns its result to the caller's task.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
