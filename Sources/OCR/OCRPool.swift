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

    private final class Worker: @unchecked Sendable {
        let queue: DispatchQueue
        let configuration: OCRConfiguration
        // Touched only on `queue`.
        private var engine: TesseractEngine?

        init(index: Int, configuration: OCRConfiguration) {
            self.queue = DispatchQueue(label: "sohoa.ocr.\(index)", qos: .utility)
            self.configuration = configuration
        }

        func run<T: Sendable>(_ body: @escaping @Sendable (TesseractEngine) throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    do {
                        if self.engine == nil { self.engine = try TesseractEngine(self.configuration) }
                        continuation.resume(returning: try body(self.engine!))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
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
