import Foundation

/// The built `sohoa` executable, beside the test bundle.
public func sohoaExecutable() -> URL {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("sohoa")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sohoa")
}

public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to its end and collects what it printed, waiting on a thread of its own: an async test must not
/// hold one of Swift's few cooperative threads while a child runs (an in-process server may need it to answer).
public func runProgram(_ executable: URL, _ args: [String], environment: [String: String]? = nil) async throws
    -> CommandResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try runProgramSync(executable, args, environment: environment) }) }
            .start()
    }
}

/// Runs a program to its end and collects what it printed (for synchronous tests).
public func runProgramSync(_ executable: URL, _ args: [String], environment: [String: String]? = nil) throws
    -> CommandResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read stderr on the side so that neither pipe fills up and blocks the program.
    let errors = LockedData()
    let reader = Thread { errors.set(readAll(err.fileHandleForReading.fileDescriptor)) }
    reader.start()
    let o = readAll(out.fileHandleForReading.fileDescriptor)
    p.waitUntilExit()
    while !errors.isSet { usleep(1000) }
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         stderr: String(decoding: errors.value, as: UTF8.self))
}

/// Everything up to end of file. Foundation's FileHandle reads crash on EINTR, which child processes exiting can
/// cause here; this loop simply reads again.
public func readAll(_ fd: Int32) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n > 0 {
            data.append(buffer, count: n)
        } else if n == 0 || errno != EINTR {
            return data
        }
    }
}

/// The first line a program prints (its banner), or what it printed before closing its output.
public func readFirstLine(_ handle: FileHandle) -> String {
    var line = Data()
    var byte: UInt8 = 0
    while true {
        let n = read(handle.fileDescriptor, &byte, 1)
        if n == 1 {
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        } else if n == 0 || errno != EINTR {
            break
        }
    }
    return String(decoding: line, as: UTF8.self)
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ d: Data) { lock.withLock { data = d } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
