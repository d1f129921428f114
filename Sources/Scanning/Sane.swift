import CSane
import Foundation

/// libsane, initialised once per process. The only file that imports `CSane`: every call goes through here, on
/// one serial queue of its own (SANE backends keep global state and block in `sane_read`), never on Swift's
/// cooperative pool.
public final class SaneRuntime: Sendable {
    /// The SANE version the library reports ("1.1.1" …).
    public let version: String
    let queue = DispatchQueue(label: "sohoa.sane")

    private init(version: String) { self.version = version }

    nonisolated(unsafe) private static var sharedRuntime: SaneRuntime?
    private static let lock = NSLock()

    /// Initialises SANE on first use. `configDirectory` (a directory with its own `dll.conf`) must be given
    /// before the first call to take effect; it is how tests and a desk limit SANE to the backends they use.
    public static func shared(configDirectory: String? = nil) throws -> SaneRuntime {
        lock.lock()
        defer { lock.unlock() }
        if let r = sharedRuntime { return r }
        if let configDirectory { setenv("SANE_CONFIG_DIR", configDirectory, 1) }
        var code: SANE_Int = 0
        Self.keepSIGPIPEHarmless()
        let status = sane_init(&code, nil)
        guard status == SANE_STATUS_GOOD else {
            throw ScanError(.unavailable, detail: "sane_init: \(String(cString: sane_strstatus(status)))")
        }
        let v = UInt32(bitPattern: code)
        let r = SaneRuntime(version: "\(v >> 24 & 0xff).\(v >> 16 & 0xff).\(v & 0xffff)")
        sharedRuntime = r
        return r
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                Self.keepSIGPIPEHarmless()
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Backends read in threads that write to a pipe a cancel may close first: that write must fail with EPIPE, not
    /// kill the station with SIGPIPE. Ignoring the signal is not enough: SANE's thread helper (`sanei_thread`, linked
    /// into the test backend and many USB backends) sets SIGPIPE to "ignore" when it starts a reader and may set an
    /// ignored SIGPIPE back to the default ("restoring SIGPIPE to SIG_DFL"), so one scan could leave another's reader
    /// to kill the process (a full test run, with scans at once, died of SIGPIPE). A handler that does nothing is left
    /// alone by SANE and still turns the signal into EPIPE; it is put back before every SANE call, since NIO sets
    /// "ignore" when it opens its first socket.
    static func keepSIGPIPEHarmless() {
        signal(SIGPIPE, harmlessSIGPIPE)
    }

    /// Scanners SANE can reach. `localOnly` skips network backends' discovery (faster, no LAN probing).
    public func devices(localOnly: Bool = false) async throws -> [ScannerInfo] {
        try await run {
            var list: UnsafeMutablePointer<UnsafePointer<SANE_Device>?>?
            let status = sane_get_devices(&list, localOnly ? SANE_Bool(SANE_TRUE) : SANE_Bool(SANE_FALSE))
            guard status == SANE_STATUS_GOOD else { throw Self.error(status, "sane_get_devices") }
            var found: [ScannerInfo] = []
            var i = 0
            while let list, let d = list[i] {
                found.append(ScannerInfo(name: Self.string(d.pointee.name), vendor: Self.string(d.pointee.vendor),
                                         model: Self.string(d.pointee.model), type: Self.string(d.pointee.type)))
                i += 1
            }
            return found
        }
    }

    /// Opens a scanner by its SANE name ("test:0", "fujitsu:libusb:001:004", "airscan:e0:Canon …").
    public func open(_ name: String, info: ScannerInfo? = nil) async throws -> SaneDevice {
        let handle: SaneHandle = try await run {
            var h: SANE_Handle?
            let status = sane_open(name, &h)
            guard status == SANE_STATUS_GOOD, let h else {
                if status == SANE_STATUS_INVAL || status == SANE_STATUS_IO_ERROR {
                    throw ScanError(.deviceNotFound, detail: "sane_open \(name): \(String(cString: sane_strstatus(status)))")
                }
                throw Self.error(status, "sane_open \(name)")
            }
            return SaneHandle(h)
        }
        let backend = String(name.split(separator: ":", maxSplits: 1).first ?? Substring(name))
        return SaneDevice(runtime: self, handle: handle,
                          info: info ?? ScannerInfo(name: name, vendor: "", model: "", type: backend))
    }

    static func string(_ p: SANE_String_Const?) -> String { p.map { String(cString: $0) } ?? "" }

    static func error(_ status: SANE_Status, _ call: String, pagesKept: Int = 0) -> ScanError {
        let detail = "\(call): \(String(cString: sane_strstatus(status)))"
        let code: ScanError.Code
        switch status {
        case SANE_STATUS_JAMMED: code = .jammed
        case SANE_STATUS_NO_DOCS: code = .feederEmpty
        case SANE_STATUS_COVER_OPEN: code = .coverOpen
        case SANE_STATUS_DEVICE_BUSY: code = .deviceBusy
        case SANE_STATUS_IO_ERROR: code = .ioError
        case SANE_STATUS_ACCESS_DENIED: code = .accessDenied
        case SANE_STATUS_NO_MEM: code = .outOfMemory
        case SANE_STATUS_CANCELLED: code = .cancelled
        case SANE_STATUS_UNSUPPORTED: code = .unsupported
        case SANE_STATUS_INVAL: code = .invalidOption
        default: code = .protocolError
        }
        return ScanError(code, detail: detail, pagesKept: pagesKept)
    }
}

/// An open SANE handle, closed when the last reference goes.
final class SaneHandle: @unchecked Sendable {
    let raw: SANE_Handle
    init(_ raw: SANE_Handle) { self.raw = raw }
}

/// A scanner opened through libsane. Calls run on the runtime's queue; `interrupt` may come from any thread
/// (`sane_cancel` is the one call SANE allows that).
public final class SaneDevice: ScannerDevice, @unchecked Sendable {
    public let info: ScannerInfo
    let runtime: SaneRuntime
    private let handle: SaneHandle
    private let lock = NSLock()
    private var closed = false

    init(runtime: SaneRuntime, handle: SaneHandle, info: ScannerInfo) {
        self.runtime = runtime
        self.handle = handle
        self.info = info
    }

    deinit {
        let h = handle
        let wasClosed = closed
        if !wasClosed {
            runtime.queue.async {
                Self.settledCancel(h.raw)
                sane_close(h.raw)
            }
        }
    }

    public func options() async throws -> [ScannerOption] {
        let h = handle
        return try await runtime.run { Self.descriptors(h.raw) }
    }

    public func value(of option: String) async throws -> OptionValue? {
        let h = handle
        return try await runtime.run {
            guard let o = Self.descriptors(h.raw).first(where: { $0.name == option }), o.isActive else { return nil }
            return try Self.get(h.raw, o)
        }
    }

    @discardableResult
    public func set(_ option: String, to value: OptionValue) async throws -> OptionValue {
        let h = handle
        let name = info.name
        return try await runtime.run {
            guard let o = Self.descriptors(h.raw).first(where: { $0.name == option }) else {
                throw ScanError(.invalidOption, detail: "\(name) has no option '\(option)'")
            }
            guard o.isSettable else { throw ScanError(.invalidOption, detail: "option \(option) cannot be set by software") }
            guard o.isActive else { throw ScanError(.invalidOption, detail: "option \(option) is inactive in the current mode") }
            try Self.set(h.raw, o, value)
            return try Self.get(h.raw, o)
        }
    }

    public func readPage() async throws -> ScanFrame {
        let h = handle
        return try await runtime.run { try Self.readImage(h.raw) }
    }

    /// Ends the batch after the queue's pending calls (it does not wait).
    public func endBatch() {
        let h = handle
        runtime.queue.async { Self.settledCancel(h.raw) }
    }

    /// Stops a page being read, now, from any thread (the officer pressed Stop).
    public func interrupt() {
        sane_cancel(handle.raw)
    }

    public func isStillPresent() async -> Bool {
        guard let list = try? await runtime.devices(localOnly: false) else { return false }
        return list.contains { $0.name == info.name }
    }

    /// Closes the handle now (it is also closed when the device is released).
    public func close() async {
        let h = handle
        let already = lock.withLock { () -> Bool in
            defer { closed = true }
            return closed
        }
        guard !already else { return }
        _ = try? await runtime.run {
            Self.settledCancel(h.raw)
            sane_close(h.raw)
        }
    }

    // MARK: - C calls (on the runtime's queue)

    static func descriptors(_ h: SANE_Handle) -> [ScannerOption] {
        var count: SANE_Int = 0
        var info: SANE_Int = 0
        guard sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, &info) == SANE_STATUS_GOOD else { return [] }
        var options: [ScannerOption] = []
        for i in 1..<max(1, Int(count)) {
            guard let d = sane_get_option_descriptor(h, SANE_Int(i))?.pointee else { continue }
            let kind: ScannerOption.Kind
            switch d.type {
            case SANE_TYPE_BOOL: kind = .bool
            case SANE_TYPE_INT: kind = .int
            case SANE_TYPE_FIXED: kind = .fixed
            case SANE_TYPE_STRING: kind = .string
            case SANE_TYPE_BUTTON: kind = .button
            default: kind = .group
            }
            let unit: ScannerOption.Unit
            switch d.unit {
            case SANE_UNIT_PIXEL: unit = .pixel
            case SANE_UNIT_BIT: unit = .bit
            case SANE_UNIT_MM: unit = .mm
            case SANE_UNIT_DPI: unit = .dpi
            case SANE_UNIT_PERCENT: unit = .percent
            case SANE_UNIT_MICROSECOND: unit = .microsecond
            default: unit = .none
            }
            func number(_ w: SANE_Word) -> Double { kind == .fixed ? sohoa_sane_unfix(w) : Double(w) }
            var constraint = ScannerOption.Constraint.none
            switch d.constraint_type {
            case SANE_CONSTRAINT_RANGE:
                if let r = d.constraint.range?.pointee {
                    constraint = .range(min: number(r.min), max: number(r.max), step: number(r.quant))
                }
            case SANE_CONSTRAINT_WORD_LIST:
                if let w = d.constraint.word_list {
                    constraint = .numbers((0..<Int(w[0])).map { number(w[$0 + 1]) })
                }
            case SANE_CONSTRAINT_STRING_LIST:
                if let s = d.constraint.string_list {
                    var list: [String] = []
                    var j = 0
                    while let p = s[j] { list.append(String(cString: p)); j += 1 }
                    constraint = .strings(list)
                }
            default: break
            }
            let elements = (kind == .int || kind == .fixed) ? max(1, Int(d.size) / MemoryLayout<SANE_Word>.size) : 1
            options.append(ScannerOption(
                index: i, name: SaneRuntime.string(d.name), title: SaneRuntime.string(d.title), kind: kind, unit: unit,
                count: elements, constraint: constraint,
                isActive: sohoa_sane_option_is_active(d.cap) != 0,
                isSettable: sohoa_sane_option_is_settable(d.cap) != 0,
                isAdvanced: d.cap & SANE_Int(SANE_CAP_ADVANCED) != 0))
        }
        return options
    }

    static func size(_ h: SANE_Handle, _ o: ScannerOption) -> Int {
        Int(sane_get_option_descriptor(h, SANE_Int(o.index))?.pointee.size ?? 0)
    }

    static func get(_ h: SANE_Handle, _ o: ScannerOption) throws -> OptionValue {
        if o.kind == .button || o.kind == .group { return .button }
        let bytes = max(size(h, o), MemoryLayout<SANE_Word>.size)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes + 1, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes + 1)
        var info: SANE_Int = 0
        let status = sane_control_option(h, SANE_Int(o.index), SANE_ACTION_GET_VALUE, buffer, &info)
        guard status == SANE_STATUS_GOOD else { throw SaneRuntime.error(status, "get \(o.name)") }
        switch o.kind {
        case .bool: return .bool(buffer.load(as: SANE_Word.self) != 0)
        case .int:
            return .int((0..<o.count).map { Int(buffer.load(fromByteOffset: $0 * 4, as: SANE_Word.self)) })
        case .fixed:
            return .fixed((0..<o.count).map { sohoa_sane_unfix(buffer.load(fromByteOffset: $0 * 4, as: SANE_Word.self)) })
        case .string: return .string(String(cString: buffer.assumingMemoryBound(to: CChar.self)))
        case .button, .group: return .button
        }
    }

    static func set(_ h: SANE_Handle, _ o: ScannerOption, _ value: OptionValue) throws {
        var info: SANE_Int = 0
        var status: SANE_Status
        switch (o.kind, value) {
        case (.bool, .bool(let b)):
            var w = SANE_Word(b ? SANE_TRUE : SANE_FALSE)
            status = sane_control_option(h, SANE_Int(o.index), SANE_ACTION_SET_VALUE, &w, &info)
        case (.int, _), (.fixed, _):
            let numbers: [Double]
            switch value {
            case .int(let v): numbers = v.map(Double.init)
            case .fixed(let v): numbers = v
            case .bool(let b): numbers = [b ? 1 : 0]
            default: throw ScanError(.invalidOption, detail: "option \(o.name) takes a number")
            }
            guard !numbers.isEmpty else { throw ScanError(.invalidOption, detail: "option \(o.name) needs a value") }
            // A single value fills every element (a gamma table set to one value is rarely meant; arrays need all).
            var words = (0..<o.count).map { i -> SANE_Word in
                let n = numbers[min(i, numbers.count - 1)]
                return o.kind == .fixed ? sohoa_sane_fix(n) : SANE_Word(n.rounded())
            }
            status = sane_control_option(h, SANE_Int(o.index), SANE_ACTION_SET_VALUE, &words, &info)
        case (.string, .string(let s)):
            let capacity = max(size(h, o), s.utf8.count + 1)
            var bytes = [CChar](repeating: 0, count: capacity)
            for (i, b) in s.utf8.prefix(capacity - 1).enumerated() { bytes[i] = CChar(bitPattern: b) }
            status = sane_control_option(h, SANE_Int(o.index), SANE_ACTION_SET_VALUE, &bytes, &info)
        case (.button, _):
            status = sane_control_option(h, SANE_Int(o.index), SANE_ACTION_SET_VALUE, nil, &info)
        default:
            throw ScanError(.invalidOption, detail: "option \(o.name) does not take '\(value)'")
        }
        guard status == SANE_STATUS_GOOD else { throw SaneRuntime.error(status, "set \(o.name)=\(value)") }
    }

    /// One page: `sane_start`, then frames until the last (three-pass scanners send red, green and blue apart).
    static func readImage(_ h: SANE_Handle) throws -> ScanFrame {
        var planes: [SANE_Frame: [UInt8]] = [:]
        var frame: ScanFrame?
        while true {
            var status = sane_start(h)
            guard status == SANE_STATUS_GOOD else { throw SaneRuntime.error(status, "sane_start") }
            var p = SANE_Parameters()
            status = sane_get_parameters(h, &p)
            guard status == SANE_STATUS_GOOD else { throw SaneRuntime.error(status, "sane_get_parameters") }
            let depth = Int(p.depth)
            guard [1, 8, 16].contains(depth), p.pixels_per_line > 0, p.bytes_per_line > 0 else {
                Self.settledCancel(h)
                throw ScanError(.protocolError, detail: "unsupported frame: depth \(depth), \(p.pixels_per_line) px per line")
            }
            let bytesPerLine = Int(p.bytes_per_line)
            let expectedLines = Int(p.lines)
            // A page over 100 megapixels is a wrong setting, not a form: refuse before reading it into memory.
            if expectedLines > 0, Int(p.pixels_per_line) * expectedLines > 100_000_000 {
                Self.settledCancel(h)
                throw ScanError(.invalidOption, detail: "scan area of \(p.pixels_per_line)×\(expectedLines) px is over 100 megapixels")
            }
            var data = [UInt8]()
            data.reserveCapacity(expectedLines > 0 ? expectedLines * bytesPerLine : 1 << 20)
            var chunk = [UInt8](repeating: 0, count: 1 << 18)
            while true {
                var n: SANE_Int = 0
                status = chunk.withUnsafeMutableBufferPointer { sane_read(h, $0.baseAddress, SANE_Int($0.count), &n) }
                if status == SANE_STATUS_EOF { break }
                guard status == SANE_STATUS_GOOD else {
                    // The page in progress is incomplete: drop it; the ones already returned are safe.
                    Self.settledCancel(h)
                    throw SaneRuntime.error(status, "sane_read")
                }
                data.append(contentsOf: chunk[0..<Int(n)])
                if data.count > 400_000_000 {
                    Self.settledCancel(h)
                    throw ScanError(.invalidOption, detail: "page larger than 400 MB: unbounded scan (hand scanner mode?)")
                }
            }
            let lines = expectedLines > 0 ? min(expectedLines, data.count / bytesPerLine) : data.count / bytesPerLine
            guard lines > 0 else { throw ScanError(.protocolError, detail: "the scanner sent an empty page") }
            if expectedLines > 0 && lines < expectedLines {
                throw ScanError(.ioError, detail: "page cut short: \(lines) of \(expectedLines) lines")
            }
            data.removeSubrange((lines * bytesPerLine)...)
            let dpi = Self.resolution(h)
            switch p.format {
            case SANE_FRAME_GRAY, SANE_FRAME_RGB:
                let channels = p.format == SANE_FRAME_RGB ? 3 : 1
                frame = ScanFrame(channels: channels, depth: depth, width: Int(p.pixels_per_line), height: lines,
                                  bytesPerLine: bytesPerLine, dpi: dpi, pixels: data)
            default:
                planes[p.format] = data
                if planes.count == 3, let r = planes[SANE_FRAME_RED], let g = planes[SANE_FRAME_GREEN],
                   let b = planes[SANE_FRAME_BLUE], depth == 8 {
                    let width = Int(p.pixels_per_line)
                    var rgb = [UInt8](repeating: 0, count: width * 3 * lines)
                    for y in 0..<lines {
                        for x in 0..<width {
                            let i = y * bytesPerLine + x, o = (y * width + x) * 3
                            rgb[o] = r[i]; rgb[o + 1] = g[i]; rgb[o + 2] = b[i]
                        }
                    }
                    frame = ScanFrame(channels: 3, depth: 8, width: width, height: lines, bytesPerLine: width * 3,
                                      dpi: dpi, pixels: rgb)
                }
            }
            if p.last_frame != 0 { break }
        }
        guard let frame else { throw ScanError(.protocolError, detail: "three-pass scan ended without all colour planes") }
        return frame
    }

    /// `sane_cancel`, once the backend's reader thread has settled. Backends built on sanei_thread (the test
    /// backend, several USB ones) cancel their reader thread asynchronously: caught inside malloc or while
    /// exiting, it leaves a libc lock held (malloc's arena, setlocale's) and the station later hangs. Measured
    /// here: 150 injected errors in a row hung every run without the pause, none with it. A tenth of a second
    /// lets the reader reach its blocking write or finish; it happens once per batch or per error.
    static func settledCancel(_ h: SANE_Handle) {
        usleep(100_000)
        sane_cancel(h)
    }

    static func resolution(_ h: SANE_Handle) -> Int {
        let options = descriptors(h)
        for name in ["resolution", "x-resolution", "scan-resolution"] {
            if let o = options.first(where: { $0.name == name && $0.isActive }),
               let v = try? get(h, o).number, v >= 50 {
                return Int(v.rounded())
            }
        }
        return 0
    }
}

extension SANE_Frame: @retroactive Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// Does nothing: a write to a closed pipe then fails with EPIPE (see `SaneRuntime.keepSIGPIPEHarmless`).
private func harmlessSIGPIPE(_ signal: Int32) {}
