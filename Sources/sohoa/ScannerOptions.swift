import ArgumentParser
import Foundation
import Store
import Scanning

/// Options shared by the commands that talk to scanners.
struct ScannerOptions: ParsableArguments {
    @Option(name: .customLong("sane-config"), help: ArgumentHelp(
        "A SANE configuration directory with its own dll.conf (default: $SANE_CONFIG_DIR, else SANE's own).",
        valueName: "dir"))
    var saneConfig: String?

    @Option(name: .long, help: ArgumentHelp(
        "A directory of extra device profiles (default: $SOHOA_DEVICES); same id replaces a shipped one.",
        valueName: "dir"))
    var profiles: String?

    func runtime() throws -> SaneRuntime {
        SkipLibraryDestructorsAtExit.install()
        do {
            return try SaneRuntime.shared(configDirectory: saneConfig)
        } catch let error as ScanError {
            throw scanFailure(error, batchId: nil, json: false)
        }
    }

    /// Opens a scanner by its SANE name, or the only one attached when `name` is nil. SANE's list gives vendor and
    /// model for profile matching; network discovery (seconds) only for network devices. Throws `ScanError`, or an
    /// exit code when there is no scanner or several to choose from.
    func open(_ name: String?, runtime: SaneRuntime) async throws -> SaneDevice {
        if let name {
            let network = ["airscan", "escl", "net"].contains { name.hasPrefix($0) }
            let info = try await runtime.devices(localOnly: !network).first { $0.name == name }
            return try await runtime.open(name, info: info)
        }
        let all = try await runtime.devices(localOnly: false)
        guard all.count == 1 else {
            throw fail(all.isEmpty ? "no scanner found (see `sohoa devices`)"
                       : "several scanners: choose one with --device (\(all.map(\.name).joined(separator: ", ")))",
                       ExitStatus.notFound)
        }
        return try await runtime.open(all[0].name, info: all[0])
    }

    func catalog() throws -> ProfileCatalog {
        let extra = profiles ?? ProcessInfo.processInfo.environment["SOHOA_DEVICES"]
        do {
            return try ProfileCatalog.load(extraDirectory: extra.map { URL(fileURLWithPath: $0, isDirectory: true) })
        } catch {
            throw fail("cannot read the device profiles: \(error)", ExitCode(64))
        }
    }
}

/// Once SANE has run in this process, exit without running shared libraries' destructors. Backends built on
/// sanei_thread cancel their reader thread asynchronously; one caught inside libc can leave glibc's locale lock
/// held, and a library destructor that frees a locale at exit (libp11-kit's) then waits for it forever: the
/// command has done its work but never returns. Output is flushed first; the store is already committed.
enum SkipLibraryDestructorsAtExit {
    private static let installed: Void = {
        on_exit({ status, _ in
            fflush(nil)
            _exit(status)
        }, nil)
    }()

    static func install() { _ = installed }
}

extension ExitStatus {
    /// The scanner stopped (jam, empty feeder, cover open…): pages already read are kept in the batch.
    static let scanner = ExitCode(8)
}

/// A scanner error for the officer: Vietnamese with the action, then English, then how to resume.
func scanFailure(_ error: ScanError, batchId: String?, json: Bool) -> ExitCode {
    if json {
        struct Failure: Encodable {
            struct Detail: Encodable {
                var code, message, messageEn: String
                var pagesKept: Int
                var resumable: Bool
                @Nullable var batchId: String?
            }
            var error: Detail
        }
        try? printJSON(Failure(error: .init(code: error.code.rawValue, message: error.vietnamese, messageEn: error.english,
                                            pagesKept: error.pagesKept, resumable: error.isResumable, batchId: batchId)),
                       pretty: true)
    }
    var lines = ["sohoa: \(error.vietnamese)", "sohoa: \(error.english)"]
    if let batchId {
        lines.append("sohoa: lô \(batchId) giữ \(error.pagesKept) trang đã quét (batch keeps \(error.pagesKept) page(s)); "
                     + "tiếp tục / resume: sohoa scan --resume \(batchId)")
    }
    if !error.detail.isEmpty { lines.append("sohoa: (\(error.code.rawValue): \(error.detail))") }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    return ExitStatus.scanner
}
