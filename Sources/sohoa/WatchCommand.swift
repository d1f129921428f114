import ArgumentParser
import Foundation
import Pipeline
import Station

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Take image files network scanners drop into a folder: each file becomes one document.",
        discussion: """
            A file is taken once its size and modification time have been stable for --settle seconds. \
            Taken files move to DIR/done/, refused ones to DIR/failed/ with a .reason.txt beside them. The same \
            content is never taken twice. Stops on Ctrl-C or SIGTERM.
            """)

    @OptionGroup var station: StationOptions

    @Argument(help: "The folder the scanners save into.")
    var directory: String

    @Option(name: .long, help: "Seconds a file must stay unchanged before it is taken.")
    var settle: Double = 2

    @Option(name: .long, help: "Seconds between looks at the folder.")
    var interval: Double = 1

    @Flag(name: .long, help: "Take what is in the folder now (once settled), then exit.")
    var once = false

    @Flag(name: .long, help: "One JSON object per line for each file.")
    var json = false

    func validate() throws {
        if settle < 0 || interval <= 0 { throw ValidationError("--settle must be ≥ 0 and --interval > 0") }
    }

    func run() async throws {
        let app = try openApp(station)
        let watcher: HotFolderWatcher
        do {
            watcher = try app.batches.hotFolder(URL(fileURLWithPath: directory, isDirectory: true), settle: settle,
                                                interval: interval)
        } catch {
            throw fail("cannot watch \(directory): \(error)", ExitStatus.notFound)
        }
        let report: @Sendable (HotFolderEvent) -> Void = { event in
            if json {
                struct Line: Encodable {
                    var event, file: String
                    var draftId, reason: String?
                }
                try? printJSON(Line(event: event.kind.rawValue, file: event.file, draftId: event.draftId, reason: event.reason))
            } else {
                switch event.kind {
                case .ingested: print("đã nhận\t\(event.file)\t\(event.draftId ?? "")")
                case .duplicate: print("trùng lặp\t\(event.file)")
                case .failed: print("lỗi\t\(event.file)\t\(event.reason?.split(separator: "\n").first ?? "")")
                case .deferred: print("để sau\t\(event.file)")
                }
            }
            fflush(nil)
        }
        if once {
            let events = await watcher.drain(onEvent: report)
            if events.contains(where: { $0.kind == .failed }) { throw ExitStatus.partial }
            return
        }
        let task = Task { await watcher.run(onEvent: report) }
        let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        await task.value
        signals.forEach { $0.cancel() }
    }
}
