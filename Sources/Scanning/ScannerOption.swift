import Foundation

/// What a backend says about one of its options, as plain Swift values.
public struct ScannerOption: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case bool, int, fixed, string, button, group }
    public enum Unit: String, Sendable, Codable { case none, pixel, bit, mm, dpi, percent, microsecond }
    public enum Constraint: Sendable, Equatable, Codable {
        case none
        case range(min: Double, max: Double, step: Double)
        case numbers([Double])
        case strings([String])
    }

    /// Index in the backend's option table (0 is the option count).
    public var index: Int
    public var name: String
    public var title: String
    public var kind: Kind
    public var unit: Unit
    /// Number of values (arrays such as gamma tables have more than one).
    public var count: Int
    public var constraint: Constraint
    public var isActive: Bool
    public var isSettable: Bool
    public var isAdvanced: Bool

    public init(index: Int, name: String, title: String = "", kind: Kind, unit: Unit = .none, count: Int = 1,
                constraint: Constraint = .none, isActive: Bool = true, isSettable: Bool = true, isAdvanced: Bool = false) {
        self.index = index
        self.name = name
        self.title = title
        self.kind = kind
        self.unit = unit
        self.count = count
        self.constraint = constraint
        self.isActive = isActive
        self.isSettable = isSettable
        self.isAdvanced = isAdvanced
    }

    /// The string choices, when the option offers a list of them.
    public var choices: [String] {
        if case .strings(let s) = constraint { return s }
        return []
    }

    /// Parses text (from `--option NAME=VALUE` or a profile) into a value of this option's type.
    public func value(from text: String) throws -> OptionValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .bool:
            switch t.lowercased() {
            case "yes", "true", "1", "on": return .bool(true)
            case "no", "false", "0", "off": return .bool(false)
            default: throw ScanError(.invalidOption, detail: "option \(name) takes yes or no, not '\(t)'")
            }
        case .int, .fixed:
            let numbers = t.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
                throw ScanError(.invalidOption, detail: "option \(name) takes a number, not '\(t)'")
            }
            let values = numbers.map { $0! }
            return kind == .int ? .int(values.map { Int($0.rounded()) }) : .fixed(values)
        case .string:
            if case .strings(let list) = constraint {
                if let exact = list.first(where: { $0 == t }) { return .string(exact) }
                if let loose = list.first(where: { $0.caseInsensitiveCompare(t) == .orderedSame }) { return .string(loose) }
                throw ScanError(.invalidOption,
                                detail: "option \(name) takes one of \(list.joined(separator: " | ")), not '\(t)'")
            }
            return .string(t)
        case .button: return .button
        case .group: throw ScanError(.invalidOption, detail: "\(name) is a group title, not an option")
        }
    }

    /// The allowed value nearest to `wanted` (for resolutions and scan areas).
    public func nearest(_ wanted: Double) -> Double {
        switch constraint {
        case .range(let lo, let hi, let step):
            var v = min(max(wanted, lo), hi)
            if step > 0 { v = lo + ((v - lo) / step).rounded() * step }
            return min(v, hi)
        case .numbers(let list) where !list.isEmpty:
            return list.min(by: { abs($0 - wanted) < abs($1 - wanted) })!
        default:
            return wanted
        }
    }

    /// The largest value allowed, if the constraint says.
    public var maximum: Double? {
        switch constraint {
        case .range(_, let hi, _): return hi
        case .numbers(let list): return list.max()
        default: return nil
        }
    }
}

/// A value read from or written to an option.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case int([Int])
    case fixed([Double])
    case string(String)
    case button

    public var description: String {
        switch self {
        case .bool(let b): return b ? "yes" : "no"
        case .int(let v): return v.map(String.init).joined(separator: ",")
        case .fixed(let v): return v.map { String(format: "%g", $0) }.joined(separator: ",")
        case .string(let s): return s
        case .button: return "(button)"
        }
    }

    /// The first number, for int and fixed options.
    public var number: Double? {
        switch self {
        case .int(let v): return v.first.map(Double.init)
        case .fixed(let v): return v.first
        default: return nil
        }
    }
}

/// A scanner as SANE lists it.
public struct ScannerInfo: Sendable, Equatable, Codable {
    public var name: String
    public var vendor: String
    public var model: String
    public var type: String

    public init(name: String, vendor: String, model: String, type: String) {
        self.name = name
        self.vendor = vendor
        self.model = model
        self.type = type
    }

    /// The backend part of the device name ("fujitsu" in "fujitsu:libusb:001:004").
    public var backend: String { String(name.split(separator: ":", maxSplits: 1).first ?? Substring(name)) }
}

/// One page (one side of a sheet) as the scanner delivered it.
public struct ScanFrame: Sendable {
    /// 1 for grey or lineart, 3 for colour.
    public var channels: Int
    /// Bits per sample: 1, 8 or 16 (16-bit samples come in the host's byte order, as SANE specifies).
    public var depth: Int
    public var width: Int
    public var height: Int
    public var bytesPerLine: Int
    public var dpi: Int
    /// Rows top to bottom, `bytesPerLine` bytes each.
    public var pixels: [UInt8]

    public init(channels: Int, depth: Int, width: Int, height: Int, bytesPerLine: Int, dpi: Int, pixels: [UInt8]) {
        self.channels = channels
        self.depth = depth
        self.width = width
        self.height = height
        self.bytesPerLine = bytesPerLine
        self.dpi = dpi
        self.pixels = pixels
    }

    /// Share of dark pixels (0...1), sampled: a quick blank-side check at capture time, before any clean-up.
    /// A page counts as dark where it is darker than mid-grey; borders (5 %) are skipped because sheet edges
    /// and feeder shadows are dark on nearly every scan.
    public func inkCoverage() -> Double {
        guard width > 20, height > 20 else { return 0 }
        let x0 = width / 20, x1 = width - width / 20, y0 = height / 20, y1 = height - height / 20
        var dark = 0, total = 0
        let step = max(1, min(width, height) / 400)
        var y = y0
        while y < y1 {
            var x = x0
            while x < x1 {
                if sample(x: x, y: y) < 0.5 { dark += 1 }
                total += 1
                x += step
            }
            y += step
        }
        return total == 0 ? 0 : Double(dark) / Double(total)
    }

    /// Brightness of one pixel, 0 (black) to 1 (white).
    func sample(x: Int, y: Int) -> Double {
        let row = y * bytesPerLine
        switch depth {
        case 1:
            let byte = pixels[row + x / 8]
            // SANE lineart: a set bit is black.
            return (byte >> (7 - UInt8(x % 8))) & 1 == 1 ? 0 : 1
        case 16:
            var sum = 0.0
            for c in 0..<channels {
                let i = row + (x * channels + c) * 2
                sum += Double(UInt16(pixels[i]) | UInt16(pixels[i + 1]) << 8) / 65535
            }
            return sum / Double(channels)
        default:
            var sum = 0.0
            for c in 0..<channels { sum += Double(pixels[row + x * channels + c]) / 255 }
            return sum / Double(channels)
        }
    }
}
