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
        return try await workers[index].run(body)
    }

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
