import Foundation
@testable import Scanning

/// SANE limited to its `test` and `pnm` backends through a private configuration directory, as CI and a desk's
/// test setup do. Every test in the process shares this one runtime (SANE is initialised once).
let sane: SaneRuntime = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-sane-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try? Data("test\npnm\n".utf8).write(to: dir.appendingPathComponent("dll.conf"))
    return try! SaneRuntime.shared(configDirectory: dir.path)
}()

/// Pages for error-injection tests stay under a pipe's 64 KB: the test backend's reader thread has then written
/// the whole page and ended before the scan is cancelled. Cancelled while blocked writing a larger page, it is
/// killed asynchronously inside libc (strerror → gettext) and can leave glibc's locale lock held, which hangs the
/// process at exit. (A libsane/sanei_thread issue; see `SaneDevice.settledCancel`.)
let smallPage = PaperSize(width: 40, height: 40)

let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

/// Opens the test backend's first virtual scanner with its profile, its error injection off. (The backend keeps
/// option values between opens; the pipeline tests, running alongside, use `test:1`.)
func openTestScanner(_ name: String = "test:0") async throws -> (SaneDevice, DeviceProfile) {
    let device = try await openWhenFree(name)
    try await device.set("read-return-value", to: .string("Default"))
    let profile = try ProfileCatalog.load().profile(for: device.info)
    return (device, profile)
}

/// Parses `scanimage --help` output (the reference captures of real scanners) into an option table: enough of
/// it (names, kinds, string and number lists, ranges, inactive) to test option mapping against real backends.
func parseScanimageHelp(_ text: String) -> [ScannerOption] {
    var options: [ScannerOption] = []
    var inDevice = false
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = String(raw)
        if line.hasPrefix("Options specific to device") { inDevice = true; continue }
        guard inDevice else { continue }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("--") || (trimmed.hasPrefix("-") && trimmed.count > 1 && trimmed.dropFirst().first != " " && line.hasPrefix("    -"))
        else { continue }
        var body = trimmed.drop(while: { $0 == "-" })
        let nameEnd = body.firstIndex(where: { $0 == " " || $0 == "[" }) ?? body.endIndex
        var name = String(body[..<nameEnd])
        body = body[nameEnd...]
        var rest = body.trimmingCharacters(in: .whitespaces)
        // Short names scanimage uses for the scan window.
        switch name {
        case "l": name = "tl-x"
        case "t": name = "tl-y"
        case "x": name = "br-x"
        case "y": name = "br-y"
        default: break
        }
        let inactive = rest.hasSuffix("[inactive]")
        if rest.hasPrefix("[=(") {
            options.append(ScannerOption(index: options.count + 1, name: name, kind: .bool, isActive: !inactive))
            continue
        }
        // Strip the trailing "[default]" (the last bracket group).
        if let open = rest.range(of: " [", options: .backwards) { rest = String(rest[..<open.lowerBound]) }
        rest = rest.replacingOccurrences(of: " (in steps of", with: " (in steps of")
        var kind = ScannerOption.Kind.string
        var unit = ScannerOption.Unit.none
        for (suffix, u) in [("dpi", ScannerOption.Unit.dpi), ("mm", .mm), ("%", .percent), ("us", .microsecond), ("pel", .pixel), ("bit", .bit)] {
            if rest.hasSuffix(suffix) || rest.contains(suffix + " (") || rest.contains(suffix + ",") { unit = u; break }
        }
        let core = rest.components(separatedBy: " (in steps of").first ?? rest
        var constraint = ScannerOption.Constraint.none
        if core.contains("..") {
            let parts = core.components(separatedBy: "..").map {
                Double($0.filter { "0123456789.-".contains($0) }) ?? 0
            }
            kind = core.contains(".") && core.replacingOccurrences(of: "..", with: "").contains(".") ? .fixed : .int
            constraint = .range(min: parts[0], max: parts.count > 1 ? parts[1] : parts[0], step: 0)
        } else if core.contains("|") {
            let items = core.components(separatedBy: "|")
            let numbers = items.map { Double($0.filter { "0123456789.-".contains($0) }) }
            if unit != .none && items.allSatisfy({ $0.isEmpty || $0 == "auto" || Double($0.filter { "0123456789.-".contains($0) }) != nil }) {
                kind = .int
                constraint = .numbers(numbers.compactMap { $0 })
            } else {
                constraint = .strings(items)
            }
        } else if !core.isEmpty, !core.hasPrefix("<"), unit == .none, Double(core) == nil {
            constraint = .strings([core])  // a list of one ("--source ADF")
        }
        options.append(ScannerOption(index: options.count + 1, name: name, kind: kind, unit: unit,
                                     constraint: constraint, isActive: !inactive))
    }
    return options
}

/// Opens a device, waiting while the previous test's close (deferred to a task) still holds it.
func openWhenFree(_ name: String) async throws -> SaneDevice {
    for _ in 0..<30 {
        do {
            return try await sane.open(name)
        } catch let error as ScanError where error.code == .deviceBusy {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }
    return try await sane.open(name)
}
