import Foundation

/// What the desk asks for. Unset values come from the profile's defaults for the use.
public struct ScanRequest: Sendable {
    public var use: ScanUse
    public var source: ScanSource?
    public var dpi: Int?
    public var mode: ScanMode?
    public var paper: PaperSize?
    /// Backend options passed through as given (`--option NAME=VALUE`), applied last.
    public var options: [OptionSetting]
    /// Stop after this many pages (the rest stay in the feeder).
    public var maxPages: Int?

    public init(use: ScanUse = .forms, source: ScanSource? = nil, dpi: Int? = nil, mode: ScanMode? = nil,
                paper: PaperSize? = nil, options: [OptionSetting] = [], maxPages: Int? = nil) {
        self.use = use
        self.source = source
        self.dpi = dpi
        self.mode = mode
        self.paper = paper
        self.options = options
        self.maxPages = maxPages
    }
}

/// One backend option as text, e.g. from `--option read-return-value=SANE_STATUS_JAMMED`.
public struct OptionSetting: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Parses "NAME=VALUE".
    public init?(_ text: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
        self.name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        self.value = String(text[text.index(after: eq)...])
    }
}

/// What was actually set on the scanner.
public struct ScanSettings: Sendable, Codable, Equatable {
    public var profile: String
    public var source: ScanSource
    public var mode: ScanMode
    public var dpi: Int
    /// Scan area in millimetres, when the scanner has one.
    public var widthMM: Double?
    public var heightMM: Double?
    /// What differed from the request, in English, for the log and `--verbose` ("resolution 300 → 290 dpi").
    public var notes: [String]
}

/// One side of a sheet as scanned.
public struct ScannedPage: Sendable {
    public var frame: ScanFrame
    /// 1-based, counting the pages this run kept.
    public var number: Int
    /// Back side of a duplex sheet.
    public var isBack: Bool
}

/// How a run ended.
public struct ScanOutcome: Sendable, Equatable {
    public enum End: String, Sendable, Codable {
        /// The feeder ran out of paper after at least one page.
        case feederEmpty = "feeder_empty"
        /// A flatbed scan: one page per run.
        case singlePage = "single_page"
        /// `maxPages` reached.
        case limit
    }

    public var pages: Int
    public var blankBacksDropped: Int
    public var end: End
}

/// One batch on one scanner: applies the settings, then reads pages one at a time, handing each to `commit`
/// before the next is read, so whatever happens later, the pages already read are kept.
public final class ScanSession: Sendable {
    public let device: any ScannerDevice
    public let profile: DeviceProfile
    public let settings: ScanSettings

    private init(device: any ScannerDevice, profile: DeviceProfile, settings: ScanSettings) {
        self.device = device
        self.profile = profile
        self.settings = settings
    }

    /// Sets the scanner up for the request: source, mode, resolution, scan area, the profile's fixed options,
    /// then the pass-through options.
    public static func configure(_ device: any ScannerDevice, profile: DeviceProfile,
                                 request: ScanRequest) async throws -> ScanSession {
        let defaults = profile.defaults(for: request.use)
        let source = request.source ?? defaults.source
        let mode = request.mode ?? defaults.mode
        let dpi = request.dpi ?? defaults.dpi
        let paper = request.paper ?? defaults.paper.flatMap(PaperSize.init(named:))
        var notes: [String] = []

        func apply(_ settings: [(String, String)]) async throws {
            for (name, text) in settings {
                let options = try await device.options()
                guard let o = options.first(where: { $0.name == name }) else {
                    throw ScanError(.invalidOption, detail: "\(device.info.name) has no option '\(name)'")
                }
                let value = try o.value(from: text)
                try await device.set(name, to: value)
            }
        }

        /// Sets a numeric option to the allowed value nearest `wanted`; returns what the scanner took, or nil when
        /// the option is absent, inactive or read-only.
        func setNearest(_ name: String, _ wanted: Double) async throws -> Double? {
            guard let o = try await device.options().first(where: { $0.name == name && $0.isActive && $0.isSettable }),
                  o.kind == .int || o.kind == .fixed else { return nil }
            let v = o.nearest(wanted)
            let set = try await device.set(name, to: o.kind == .fixed ? .fixed([v]) : .int([Int(v)]))
            return set.number ?? v
        }

        try await apply(OptionMapping.source(source, options: try await device.options(), profile: profile).get())
        try await apply(OptionMapping.mode(mode, options: try await device.options(), profile: profile).get())

        // Resolution: the nearest the scanner allows (one option, or separate x and y).
        var actualDPI = dpi
        for name in ["resolution", "x-resolution", "y-resolution"] {
            if let took = try await setNearest(name, Double(dpi)) {
                actualDPI = Int(took.rounded())
                if name == "resolution" { break }
            }
        }
        if actualDPI != dpi { notes.append("resolution \(dpi) → \(actualDPI) dpi (the scanner's nearest)") }

        // Scan area: page size first (sheet-fed scanners), then the window from the top-left corner.
        var width: Double?, height: Double?
        if let paper {
            let maxW = profile.quirks?.maxWidthMM ?? .infinity, maxH = profile.quirks?.maxHeightMM ?? .infinity
            _ = try await setNearest("page-width", min(paper.width, maxW))
            _ = try await setNearest("page-height", min(paper.height, maxH))
            _ = try await setNearest("tl-x", 0)
            _ = try await setNearest("tl-y", 0)
            width = try await setNearest("br-x", min(paper.width, maxW))
            height = try await setNearest("br-y", min(paper.height, maxH))
            if let w = width, let h = height, w + 0.5 < paper.width || h + 0.5 < paper.height {
                notes.append(String(format: "scan area %.0f×%.0f mm clipped to the scanner's %.0f×%.0f mm",
                                    paper.width, paper.height, w, h))
            }
        }

        // The profile's fixed settings, then what the caller passes through.
        let fixed = (profile.set ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let current = try await device.options()
        try await apply(fixed.filter { f in current.contains { $0.name == f.0 && $0.isSettable } })
        try await apply(request.options.map { ($0.name, $0.value) })

        let settings = ScanSettings(profile: profile.id, source: source, mode: mode, dpi: actualDPI,
                                    widthMM: width, heightMM: height, notes: notes)
        return ScanSession(device: device, profile: profile, settings: settings)
    }

    /// Reads pages until the feeder is empty (one page on the flatbed, or `maxPages`). Each page goes to
    /// `commit` before the next is read; an error after page N throws with `pagesKept` = `alreadyKept` + N.
    /// Duplex back sides with no ink are dropped when the profile says so.
    public func run(alreadyKept: Int = 0, maxPages: Int? = nil,
                    commit: (ScannedPage) async throws -> Void) async throws -> ScanOutcome {
        var kept = 0, dropped = 0, sides = 0
        let device = self.device
        defer { device.endBatch() }
        let threshold = profile.blankThreshold ?? 0.0003
        let dropBlankBacks = settings.source == .duplex && (profile.blankBacks ?? .drop) == .drop
        func ended(_ end: ScanOutcome.End) -> ScanOutcome { ScanOutcome(pages: kept, blankBacksDropped: dropped, end: end) }
        while true {
            if let maxPages, kept >= maxPages { return ended(.limit) }
            if Task.isCancelled { throw ScanError(.cancelled, pagesKept: alreadyKept + kept) }
            let frame: ScanFrame
            do {
                frame = try await withTaskCancellationHandler {
                    try await device.readPage()
                } onCancel: {
                    device.interrupt()
                }
            } catch var error as ScanError {
                error.pagesKept = alreadyKept + kept
                // An empty feeder after at least one sheet is the normal end of a batch; before any, nothing was loaded.
                let endOfPaper = error.code == .feederEmpty
                    || (error.code == .ioError && profile.quirks?.feederEmptyAsIOError == true)
                if endOfPaper && sides > 0 { return ended(.feederEmpty) }
                if endOfPaper { error.code = .feederEmpty }
                if error.code == .ioError, await !device.isStillPresent() {
                    error.code = .disconnected
                }
                if Task.isCancelled { error.code = .cancelled }
                throw error
            }
            sides += 1
            let isBack = settings.source == .duplex && sides % 2 == 0
            if isBack && dropBlankBacks && frame.inkCoverage() < threshold {
                dropped += 1
            } else {
                kept += 1
                do {
                    try await commit(ScannedPage(frame: frame, number: alreadyKept + kept, isBack: isBack))
                } catch {
                    kept -= 1
                    throw error
                }
            }
            if settings.source == .flatbed { return ended(.singlePage) }
            if profile.quirks?.endBatchAfterEachPage == true { device.endBatch() }
        }
    }
}
