import Foundation

/// Where the pages come from.
public enum ScanSource: String, Sendable, Codable, CaseIterable {
    case flatbed, adf, duplex
}

/// The colour of the scan.
public enum ScanMode: String, Sendable, Codable, CaseIterable {
    case gray, color, lineart
}

/// What the scan is for; each use has its own defaults in a profile.
public enum ScanUse: String, Sendable, Codable, CaseIterable {
    /// Application forms: 300 dpi grey from the feeder.
    case forms
    /// Photos and coloured documents: colour on the glass.
    case photo
    /// ID cards (CCCD), small and coloured: colour on the glass at a higher resolution.
    case idCard = "id-card"
}

/// A paper size in millimetres.
public struct PaperSize: Sendable, Equatable, Codable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public static let a4 = PaperSize(width: 210, height: 297)
    public static let a5 = PaperSize(width: 148, height: 210)
    public static let letter = PaperSize(width: 215.9, height: 279.4)
    public static let legal = PaperSize(width: 215.9, height: 355.6)
    /// ID-1 (CCCD, bank cards), with a margin to place the card on the glass.
    public static let idCard = PaperSize(width: 95, height: 65)

    /// "A4", "A5", "letter", "legal", "id-card" or "WxH" in millimetres.
    public init?(named name: String) {
        switch name.lowercased() {
        case "a4": self = .a4
        case "a5": self = .a5
        case "letter": self = .letter
        case "legal": self = .legal
        case "id-card", "id", "id-1", "cccd": self = .idCard
        default:
            let parts = name.lowercased().split(separator: "x").compactMap { Double($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 && $0 < 2000 }) else { return nil }
            self.init(width: parts[0], height: parts[1])
        }
    }
}

/// How to drive one scanner model or class: a data file in `Devices/profiles/`. A new scanner needs a new
/// profile, not new code.
public struct DeviceProfile: Sendable, Codable, Equatable {
    /// How a device is recognised. Every given field must match; `*` is a wildcard; case is ignored.
    public struct Match: Sendable, Codable, Equatable {
        public var name: String?
        public var backend: String?
        public var vendor: String?
        public var model: String?

        public init(name: String? = nil, backend: String? = nil, vendor: String? = nil, model: String? = nil) {
            self.name = name
            self.backend = backend
            self.vendor = vendor
            self.model = model
        }
    }

    /// Defaults for one use.
    public struct UseDefaults: Sendable, Codable, Equatable {
        public var source: ScanSource
        public var dpi: Int
        public var mode: ScanMode
        /// Paper size name (see `PaperSize(named:)`); nil leaves the scanner's full area.
        public var paper: String?
    }

    /// What to do with back sides that carry nothing, on duplex scans.
    public enum BlankBacks: String, Sendable, Codable { case drop, keep }

    public struct Quirks: Sendable, Codable, Equatable {
        /// End the batch (`sane_cancel`) after every page: for backends that cannot start a page right after the last.
        public var endBatchAfterEachPage: Bool?
        /// The scanner reports the feeder empty with EOF or an I/O error from `sane_start` instead of NO_DOCS.
        public var feederEmptyAsIOError: Bool?
        /// Largest scan area in millimetres, when the backend's range is wrong.
        public var maxWidthMM: Double?
        public var maxHeightMM: Double?
        /// Free text for administrators.
        public var notes: [String]?
    }

    public var id: String
    public var description: String
    public var match: [Match]
    /// Options to set for each source, by option name ("source": "ADF Duplex", or "adf-mode": "Duplex").
    public var sources: [String: [String: String]]?
    /// Options to set for each mode ("mode": "True Gray", "depth": "8").
    public var modes: [String: [String: String]]?
    /// Options always set after opening (turn off the scanner's own cropping, for instance).
    public var set: [String: String]?
    public var uses: [String: UseDefaults]?
    public var blankBacks: BlankBacks?
    /// Share of dark pixels under which a back side counts as blank.
    public var blankThreshold: Double?
    public var quirks: Quirks?

    /// The profile used when none matches: the options are found by their usual names and values.
    public static let generic = DeviceProfile(
        id: "generic", description: "Scanner without a profile: options found by their usual names",
        match: [], sources: nil, modes: nil, set: nil, uses: nil, blankBacks: .drop, blankThreshold: nil, quirks: nil)

    public var isGeneric: Bool { id == "generic" }

    /// Defaults for a use: the profile's, else forms 300 dpi grey from the feeder, photos and ID cards in colour.
    public func defaults(for use: ScanUse) -> UseDefaults {
        if let d = uses?[use.rawValue] { return d }
        switch use {
        case .forms: return UseDefaults(source: .adf, dpi: 300, mode: .gray, paper: "A4")
        case .photo: return UseDefaults(source: .flatbed, dpi: 300, mode: .color, paper: "A4")
        case .idCard: return UseDefaults(source: .flatbed, dpi: 600, mode: .color, paper: "id-card")
        }
    }

    /// How well this profile fits a device: nil when it does not, higher when more specific.
    public func score(for device: ScannerInfo) -> Int? {
        var best: Int?
        for m in match {
            var score = 0
            var ok = true
            func check(_ pattern: String?, _ value: String, weight: Int) {
                guard ok, let pattern else { return }
                if Self.glob(pattern, value) { score += weight } else { ok = false }
            }
            check(m.name, device.name, weight: 16)
            check(m.backend, device.backend, weight: 1)
            check(m.vendor, device.vendor, weight: 2)
            check(m.model, device.model, weight: 4)
            if ok && score > 0 { best = max(best ?? 0, score) }
        }
        return best
    }

    /// Case-insensitive match with `*` (any run) and `?` (one character).
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
