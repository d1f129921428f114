import ArgumentParser
import Foundation
import Pipeline
import Station
import Scanning

extension ScanSource: ExpressibleByArgument {}
extension ScanMode: ExpressibleByArgument {}
extension ScanUse: ExpressibleByArgument {}

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan one batch from a scanner into the store, then read it into a draft (printed like `process`).",
        discussion: """
            Each page is stored as soon as it is read. When the scanner stops (paper jam, empty feeder, cover \
            open…) the pages already read stay in the batch: fix the scanner, reload the pages not yet scanned, \
            and run `sohoa scan --resume BATCH` (with the same options) to go on. Exit status 8 means the scanner \
            stopped; the batch id is printed.
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var scanner: ScannerOptions

    @Option(name: .long, help: "The SANE device name (see `sohoa devices`); default: the only scanner attached.")
    var device: String?

    @Option(name: .long, help: "What the scan is for: forms (300 dpi grey), photo (colour), id-card (600 dpi colour).")
    var use: ScanUse = .forms

    @Option(name: .long, help: "flatbed, adf or duplex (default: the profile's for the use).")
    var source: ScanSource?

    @Option(name: .long, help: "Resolution in dpi (default: the profile's for the use, 300 for forms).")
    var dpi: Int?

    @Option(name: .long, help: "gray, color or lineart (default: the profile's for the use).")
    var mode: ScanMode?

    @Option(name: .long, help: "Paper: A4, A5, letter, legal, id-card or WIDTHxHEIGHT in mm (default: the use's).")
    var paper: String?

    @Option(name: .customLong("option"), help: "A backend option passed through, NAME=VALUE (repeatable).")
    var passThrough: [String] = []

    @Option(name: .customLong("max-pages"), help: "Stop after this many pages (the rest stay in the feeder).")
    var maxPages: Int?

    @Option(name: .long, help: "Scan more pages into this batch (after a jam or an empty feeder).")
    var resume: String?

    @Flag(name: .long, help: "Print the draft as JSON (the draft contract: README, \"The draft contract\"); a scanner error as {\"error\": …}.")
    var json = false

    func validate() throws {
        if let dpi, !(50...1200).contains(dpi) { throw ValidationError("--dpi must be between 50 and 1200") }
        if let paper, PaperSize(named: paper) == nil { throw ValidationError("--paper: unknown size '\(paper)'") }
        for o in passThrough where OptionSetting(o) == nil { throw ValidationError("--option takes NAME=VALUE, not '\(o)'") }
        if let maxPages, maxPages < 1 { throw ValidationError("--max-pages must be at least 1") }
    }

    func run() async throws {
        let runtime = try scanner.runtime()
        let catalog = try scanner.catalog()
        let app = try openApp(station)
        let opened: SaneDevice
        do {
            opened = try await scanner.open(device, runtime: runtime)
        } catch let error as ScanError {
            throw scanFailure(error, batchId: resume, json: json)
        }
        let name = opened.info.name
        let profile = catalog.profile(for: opened.info)
        if profile.isGeneric {
            FileHandle.standardError.write(Data("sohoa: \(name) chưa có hồ sơ thiết bị: dùng thiết lập chung (no device profile: generic defaults)\n".utf8))
        }
        let request = ScanRequest(use: use, source: source, dpi: dpi, mode: mode, paper: paper.flatMap(PaperSize.init(named:)),
                                  options: passThrough.compactMap(OptionSetting.init), maxPages: maxPages)
        let progress = ScanProgress()
        let job: Result<ScanResult, Error>
        do {
            job = .success(try await app.batches.scan(device: opened, profile: profile, request: request, resume: resume) {
                progress.report($0)
            })
        } catch {
            job = .failure(error)
        }
        progress.finish()
        await opened.close()
        let result: ScanResult
        switch job {
        case .success(let r): result = r
        case .failure(let error as ScanJobError): throw scanFailure(error.scan, batchId: error.batchId, json: json)
        case .failure(let error): throw mapPipelineError(error)
        }
        let doc = result.document
        var warnings = doc.failures.map(\.description)
        warnings += result.settings.notes
        if result.outcome.blankBacksDropped > 0 {
            warnings.append("\(result.outcome.blankBacksDropped) blank back side(s) left out")
        }
        printDraft(doc.draft, doc.fields, warnings: warnings, json: json)
        FileHandle.standardError.write(Data(
            "sohoa: lô \(result.batchId): \(doc.pages.count) trang (pages) từ \(name), hồ sơ thiết bị \(profile.id)\n".utf8))
        if !doc.failures.isEmpty { throw ExitStatus.partial }
    }
}

/// Scan progress on stderr, only when stderr is a terminal.
final class ScanProgress: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var scanned = 0
    private var processed = 0

    func report(_ event: ScanEvent) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .configured: write("\rĐang quét…")
        case .pageScanned(let n): scanned = n
        case .pageProcessed: processed += 1
        case .captureEnded: write("\rĐã quét \(scanned) trang, đang đọc…\u{1B}[K")
            return
        }
        write("\rĐã quét \(scanned) trang, đã đọc \(processed)…\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
