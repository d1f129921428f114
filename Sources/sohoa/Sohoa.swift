import ArgumentParser
import Foundation
import Logging
import OCR
import Pipeline
import Station
import Store

@main
struct Sohoa: AsyncParsableCommand {
    static func main() async {
        OpenMPGuard.reexecIfNeeded()
        await main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "sohoa",
        abstract: "Trạm số hóa: turns scanned application forms into reviewed electronic dossier drafts.",
        discussion: """
            The JSON a draft prints as (process --json, drafts show --json, the service's /api/drafts/ID) is \
            described in README.md, section "The draft contract"; the exit codes in its section "Exit codes". \
            Commands that use the store take --data DIR (default: $SOHOA_DATA, else $XDG_DATA_HOME/sohoa, else \
            ~/.local/share/sohoa).
            """,
        subcommands: [ProcessCommand.self, ScanCommand.self, DevicesCommand.self, WatchCommand.self, BatchesCommand.self, BenchScanCommand.self,
                      ServeCommand.self, TLSCommand.self, SystemdUnitCommand.self, UsersCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self, KioskCommand.self, SubmitCommand.self, DeliverCommand.self, QueueCommand.self, CaseSimCommand.self,
                      OCRCommand.self, DraftsCommand.self, EvalCommand.self, BenchCommand.self, BenchDeliverCommand.self, BenchServeCommand.self, BenchKioskCommand.self])
}

/// `--data`: every subcommand that uses the station's store.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The station's data directory (default: $SOHOA_DATA, else $XDG_DATA_HOME/sohoa, else ~/.local/share/sohoa).",
        valueName: "dir"))
    var data: String?

    /// The directory named by `--data`, or the default one.
    var directory: URL {
        data.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? StationConfiguration.defaultDataDirectory()
    }
}

/// `--verbose`: the commands that log while they work.
struct LogOptions: ParsableArguments {
    @Flag(name: .long, help: "Log what happens (never citizens' data).")
    var verbose = false

    func logger() -> Logger {
        var logger = Logger(label: "sohoa")
        logger.logLevel = verbose ? .info : .warning
        return logger
    }
}

/// `--languages`: the commands that run Tesseract.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: "Tesseract languages.")
    var languages = "vie+eng"
}

/// `--workers` and `--languages`: the commands that read pages with the OCR workers.
struct ReadingOptions: ParsableArguments {
    @Option(name: .long, help: "Pages processed at once (default: the number of cores, at most 8).")
    var workers: Int?

    @OptionGroup var language: LanguageOptions

    /// A station configuration on `dataDirectory` with these reading settings.
    func configuration(dataDirectory: URL) -> StationConfiguration {
        var c = StationConfiguration(dataDirectory: dataDirectory)
        if let workers { c.workers = max(1, workers) }
        c.ocr.languages = language.languages
        return c
    }
}

/// The options of the commands that store and read pages: `--data`, `--workers`, `--languages`, `--verbose`.
struct StationOptions: ParsableArguments {
    @OptionGroup var store: DataOptions
    @OptionGroup var reading: ReadingOptions
    @OptionGroup var log: LogOptions

    var data: String? { store.data }
    var verbose: Bool { log.verbose }

    /// The configuration on `--data`, else on `dataDirectory`, else on the default directory.
    func configuration(dataDirectory: URL? = nil) -> StationConfiguration {
        reading.configuration(dataDirectory: data == nil ? (dataDirectory ?? store.directory) : store.directory)
    }

    func logger() -> Logger { log.logger() }
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
    /// `audit verify`: the audit log was altered.
    static let auditAltered = ExitCode(10)
    static let usage = ExitCode(64)
    /// A file named on the command line does not exist, or `--data` holds no station data for a command that reads.
    static let noInput = ExitCode(66)
}

/// Errors at the CLI's edge: a one-line message on stderr and a documented exit code.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    FileHandle.standardError.write(Data("sohoa: \(message)\n".utf8))
    return code
}

func openStation(_ options: StationOptions, dataDirectory: URL? = nil) throws -> StationParts {
    try openStation(options.configuration(dataDirectory: dataDirectory))
}

/// The station for a command that writes to the store but reads no pages.
func openStation(_ options: DataOptions) throws -> StationParts {
    try openStation(StationConfiguration(dataDirectory: options.directory))
}

func openStation(_ configuration: StationConfiguration) throws -> StationParts {
    LoggingSystem.bootstrapOnce()
    do {
        return try StationParts(configuration)
    } catch {
        throw fail("cannot open the station's data directory \(configuration.dataDirectory.path): \(error)",
                   ExitStatus.store)
    }
}

/// The store of a command that only reads it: never creates one. No store in the directory is exit 66, with the
/// directory named.
func openStore(_ options: DataOptions) throws -> AppDatabase {
    let configuration = StationConfiguration(dataDirectory: options.directory)
    let path = configuration.dataDirectory.path
    do {
        return try AppDatabase.openExisting(at: configuration.databaseURL)
    } catch let error as StoreError where error.code == .notFound {
        throw fail("no station data in \(path): nothing was stored there yet. Name the station's directory with "
                   + "--data DIR or $SOHOA_DATA.", ExitStatus.noInput)
    } catch {
        throw fail("cannot read the station's data in \(path): \(error)", ExitStatus.store)
    }
}

/// Refuses before anything is stored when a file named on the command line does not exist (exit 66).
func requireInputFiles(_ paths: [String]) throws {
    for path in paths where !FileManager.default.fileExists(atPath: path) {
        throw fail("\(path): no such file or directory; check the name and the current directory", ExitStatus.noInput)
    }
}

/// The station's use cases, over the store in the options' data directory.
func openApp(_ options: StationOptions, scanners: ScannerAccess? = nil, scannerWatchdog: TimeInterval = 45,
             dataDirectory: URL? = nil) throws -> StationApp {
    try openApp(options.configuration(dataDirectory: dataDirectory), scanners: scanners,
                scannerWatchdog: scannerWatchdog, logger: options.logger())
}

/// The use cases for a command that writes to the store but reads no pages.
func openApp(_ options: DataOptions) throws -> StationApp {
    var logger = Logger(label: "sohoa")
    logger.logLevel = .warning
    return try openApp(StationConfiguration(dataDirectory: options.directory), logger: logger)
}

func openApp(_ configuration: StationConfiguration, scanners: ScannerAccess? = nil, scannerWatchdog: TimeInterval = 45,
             logger: Logger) throws -> StationApp {
    let parts = try openStation(configuration)
    do {
        return try StationApp(parts: parts, scanners: scanners, scannerWatchdog: scannerWatchdog, logger: logger)
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

/// An Encodable value as JSON on standard output: keys sorted, slashes as they are.
func printJSON(_ value: some Encodable, pretty: Bool = false) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
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
