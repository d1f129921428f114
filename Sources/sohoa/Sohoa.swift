import ArgumentParser
import Foundation
import Logging
import OCR
import Pipeline
import Station

@main
struct Sohoa: AsyncParsableCommand {
    static func main() async {
        OpenMPGuard.reexecIfNeeded()
        await main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "sohoa",
        abstract: "Trạm số hóa: turns scanned application forms into reviewed electronic dossier drafts.",
        subcommands: [ProcessCommand.self, ScanCommand.self, DevicesCommand.self, WatchCommand.self, BatchesCommand.self, BenchScanCommand.self,
                      ServeCommand.self, TLSCommand.self, SystemdUnitCommand.self, UsersCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self, KioskCommand.self, SubmitCommand.self, DeliverCommand.self, QueueCommand.self, CaseSimCommand.self,
                      OCRCommand.self, DraftsCommand.self, EvalCommand.self, BenchCommand.self, BenchDeliverCommand.self, BenchServeCommand.self, BenchKioskCommand.self])
}

/// Options every subcommand accepts.
struct StationOptions: ParsableArguments {
    @Option(name: .long, help: "The station's data directory (default: $SOHOA_DATA, else ~/.local/share/sohoa).")
    var data: String?

    @Option(name: .long, help: "Pages processed at once (default: the number of cores).")
    var workers: Int?

    @Option(name: .long, help: "Tesseract languages (default vie+eng).")
    var languages: String = "vie+eng"

    @Flag(name: .long, help: "Log what happens (never citizens' data).")
    var verbose = false

    func configuration(dataDirectory: URL? = nil) -> StationConfiguration {
        var c = StationConfiguration()
        if let dataDirectory { c.dataDirectory = dataDirectory }
        if let data { c.dataDirectory = URL(fileURLWithPath: data, isDirectory: true) }
        if let workers { c.workers = max(1, workers) }
        c.ocr.languages = languages
        return c
    }

    func logger() -> Logger {
        var logger = Logger(label: "sohoa")
        logger.logLevel = verbose ? .info : .warning
        return logger
    }
}

/// Exit codes (documented in README).
enum ExitStatus {
    static let partial = ExitCode(3)
    static let noUsablePage = ExitCode(4)
    static let store = ExitCode(5)
    static let engine = ExitCode(6)
    static let notFound = ExitCode(7)
    /// `submit` refused the draft (fields still flagged, already queued).
    static let refused = ExitCode(9)
    static let usage = ExitCode(64)
}

/// Errors at the CLI's edge: a one-line message on stderr and a documented exit code.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    FileHandle.standardError.write(Data("sohoa: \(message)\n".utf8))
    return code
}

func openStation(_ options: StationOptions, dataDirectory: URL? = nil) throws -> StationParts {
    LoggingSystem.bootstrapOnce()
    do {
        return try StationParts(options.configuration(dataDirectory: dataDirectory))
    } catch {
        throw fail("cannot open the station's data directory: \(error)", ExitStatus.store)
    }
}

/// The station's use cases, over the store in the options' data directory.
func openApp(_ options: StationOptions, scanners: ScannerAccess? = nil, scannerWatchdog: TimeInterval = 45,
             dataDirectory: URL? = nil) throws -> StationApp {
    let parts = try openStation(options, dataDirectory: dataDirectory)
    do {
        return try StationApp(parts: parts, scanners: scanners, scannerWatchdog: scannerWatchdog, logger: options.logger())
    } catch {
        throw fail("cannot start the station: \(error)", ExitStatus.store)
    }
}

/// A use case's refusal at the command line: its message, and the exit code the README's table gives it.
func mapStationError(_ error: Error) -> Error {
    guard let e = error as? StationError else { return error }
    switch e.code {
    case .notFound: return fail(e.message, ExitStatus.notFound)
    case .conflict, .needsReview, .claimed: return fail(e.message, ExitStatus.refused)
    case .invalid, .unusable: return fail(e.message, ExitStatus.usage)
    case .store: return fail(e.message, ExitStatus.store)
    }
}

extension LoggingSystem {
    private static let bootstrapped: Void = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }()

    static func bootstrapOnce() { _ = bootstrapped }
}

func mapPipelineError(_ error: Error) -> ExitCode {
    switch error {
    case let e as PipelineError where e.code == .noUsablePage: return fail(e.description, ExitStatus.noUsablePage)
    case let e as OCRError: return fail(e.description, ExitStatus.engine)
    case let e as ExitCode: return e
    default: return fail("\(error)", ExitStatus.store)
    }
}
