import Foundation

/// The seam between a scan session and a scanner: the real one is `SaneDevice`; tests add fakes only for what
/// SANE's test backend cannot do (a duplex feeder, a cable pulled mid-batch).
public protocol ScannerDevice: AnyObject, Sendable {
    var info: ScannerInfo { get }
    /// The option table as the backend reports it now (it changes when some options are set).
    func options() async throws -> [ScannerOption]
    func value(of option: String) async throws -> OptionValue?
    /// Sets an option and returns the value the backend actually took (it may round).
    @discardableResult
    func set(_ option: String, to value: OptionValue) async throws -> OptionValue
    /// Starts the next page (or sheet side) and reads it whole. Throws `ScanError` (`.feederEmpty` when the
    /// feeder has no more paper).
    func readPage() async throws -> ScanFrame
    /// Ends the batch: the feeder stops and the next `readPage` starts a new one.
    func endBatch()
    /// Stops a page being read, from any thread (a cancelled task). Defaults to `endBatch`.
    func interrupt()
    /// Whether SANE still lists this device (after an I/O error: unplugged or just a glitch?).
    func isStillPresent() async -> Bool
}

extension ScannerDevice {
    public func interrupt() { endBatch() }
}
