import Foundation

/// A real scanner with a feeder's faults added on chosen reads: a jam, or a scanner that stops answering until it
/// is interrupted. Tests and the kiosk soak benchmark use it over SANE's own virtual backends.
public final class FaultInjectingDevice: ScannerDevice, @unchecked Sendable {
    public enum Fault: Sendable {
        case jam
        case hang
    }

    public let inner: any ScannerDevice
    private let plan: @Sendable () -> Fault?
    private let lock = NSLock()
    private var interrupted = false

    /// `plan` is asked before each read what, if anything, goes wrong.
    public init(_ inner: any ScannerDevice, plan: @escaping @Sendable () -> Fault?) {
        self.inner = inner
        self.plan = plan
    }

    public var info: ScannerInfo { inner.info }
    public func options() async throws -> [ScannerOption] { try await inner.options() }
    public func value(of option: String) async throws -> OptionValue? { try await inner.value(of: option) }
    @discardableResult
    public func set(_ option: String, to value: OptionValue) async throws -> OptionValue { try await inner.set(option, to: value) }
    public func endBatch() { inner.endBatch() }
    public func isStillPresent() async -> Bool { await inner.isStillPresent() }

    public func interrupt() {
        lock.withLock { interrupted = true }
        inner.interrupt()
    }

    public func readPage() async throws -> ScanFrame {
        switch plan() {
        case .jam?:
            throw ScanError(.jammed, detail: "injected jam")
        case .hang?:
            while !lock.withLock({ interrupted }) { try await Task.sleep(for: .milliseconds(50)) }
            throw ScanError(.cancelled, detail: "stopped while hanging")
        case nil:
            return try await inner.readPage()
        }
    }
}
