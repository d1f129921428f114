import ArgumentParser
import Foundation
import Pipeline
import Station

struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process image files as the pages of one document, store it and print its draft.")

    @OptionGroup var station: StationOptions

    @Flag(name: .long, help: "Print the draft as JSON (the draft contract: README, \"The draft contract\").")
    var json = false

    @Argument(help: "Page images (PNG, JPEG, TIFF incl. multi-page, PNM), in order.")
    var files: [String]

    func run() async throws {
        try requireInputFiles(files)
        let app = try openApp(station)
        let urls = files.map { URL(fileURLWithPath: $0) }
        let progress = TerminalProgress()
        let result: ProcessedDocument
        do {
            result = try await app.batches.process(files: urls) { progress.report($0) }
        } catch {
            progress.finish()
            throw mapPipelineError(error)
        }
        progress.finish()
        let warnings = result.failures.map(\.description)
        printDraft(result.draft, result.fields, warnings: warnings, json: json)
        if json && result.draft.form == nil {
            for line in unknownFormNotice { FileHandle.standardError.write(Data("sohoa: \(line)\n".utf8)) }
        }
        for w in warnings { FileHandle.standardError.write(Data("sohoa: \(w)\n".utf8)) }
        if !warnings.isEmpty { throw ExitStatus.partial }
    }
}

/// Progress on stderr, only when stderr is a terminal.
final class TerminalProgress: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var total = 0

    func report(_ event: ProgressEvent) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .pagesFound(let n): total = n; write("\rĐang xử lý 0/\(n) trang…")
        case .pageDone(let done, let total, _): write("\rĐang xử lý \(done)/\(total) trang…")
        case .pageFailed: break
        case .extracting: write("\rĐang đọc các trường…        ")
        case .stored: write("\r\u{1B}[K")
        }
    }

    func finish() {
        guard enabled else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
