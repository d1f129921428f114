import Foundation

/// A fixed set of OCR workers, each a dedicated thread with its own `TesseractEngine`, so that blocking
/// recognition never runs on Swift's cooperative thread pool and engines are never shared.
public final class OCRPool: Sendable {
    private let workers: [Worker]
    private let free: FreeList
    public let configuration: OCRConfiguration

    public init(workers count: Int, configuration: OCRConfiguration = .init()) {
        let n = max(1, count)
        self.configuration = configuration
        self.workers = (0..<n).map { Worker(index: $0, configuration: configuration) }
        self.free = FreeList(count: n)
    }

    public var workerCount: Int { workers.count }

    /// Runs `body` on a free worker's thread with that worker's engine.
    public func run<T: Sendable>(_ body: @escaping @Sendable (TesseractEngine) throws -> T) async throws -> T {
        let index = await free.acquire()
        defer { Task { await free.release(index) } }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { busy.add(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try await workers[index].run(body)
    }

    /// Seconds the workers have spent on OCR since start (for metrics).
    public var busySeconds: Double { busy.value }
    private let busy = Accumulator()

    /// One dedicated thread with its own engine. The thread runs at a lower CPU priority (nice 10) so that reading
    /// pages never starves the desk's web pages or the scanner's reads on a small machine.
    private final class Worker: @unchecked Sendable {
        let configuration: OCRConfiguration
        private let mailbox = Mailbox()
        private let index: Int
        private var started = false
        private let startLock = NSLock()

        init(index: Int, configuration: OCRConfiguration) {
            self.index = index
            self.configuration = configuration
        }

        deinit { mailbox.stop() }

        func run<T: Sendable>(_ body: @escaping @Sendable (TesseractEngine) throws -> T) async throws -> T {
            startIfNeeded()
            let configuration = self.configuration
            return try await withCheckedThrowingContinuation { continuation in
                mailbox.post { engine in
                    do {
                        if engine == nil { engine = try TesseractEngine(configuration) }
                        continuation.resume(returning: try body(engine!))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }

        private func startIfNeeded() {
            startLock.withLock {
                guard !started else { return }
                started = true
                let mailbox = self.mailbox
                let thread = Thread {
                    // On Linux (NPTL) the nice value belongs to each thread.
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)  // 0: the calling thread on Linux
                    var engine: TesseractEngine?  // only ever touched on this thread
                    while let job = mailbox.next() { job(&engine) }
                }
                thread.name = "sohoa.ocr.\(index)"
                thread.stackSize = 8 << 20
                thread.start()
            }
        }
    }

    /// Jobs for a worker thread; `next` blocks until one comes or the worker is gone.
    private final class Mailbox: @unchecked Sendable {
        typealias Job = (inout TesseractEngine?) -> Void
        private let condition = NSCondition()
        private var jobs: [Job] = []
        private var stopped = false

        func post(_ job: @escaping Job) {
            condition.withLock {
                jobs.append(job)
                condition.signal()
            }
        }

        func next() -> Job? {
            condition.withLock {
                while jobs.isEmpty && !stopped { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
        }

        func stop() {
            condition.withLock {
                stopped = true
                condition.broadcast()
            }
        }
    }

    private actor FreeList {
        private var available: [Int]
        private var waiting: [CheckedContinuation<Int, Never>] = []

        init(count: Int) { available = Array((0..<count).reversed()) }

        func acquire() async -> Int {
            if let index = available.popLast() { return index }
            return await withCheckedContinuation { waiting.append($0) }
        }

        func release(_ index: Int) {
            if waiting.isEmpty {
                available.append(index)
            } else {
                waiting.removeFirst().resume(returning: index)
            }
        }
    }
}

private final class Accumulator: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0.0

    func add(_ x: Double) { lock.withLock { total += x } }
    var value: Double { lock.withLock { total } }
}
