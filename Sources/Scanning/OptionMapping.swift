import Foundation

/// Finds which option values mean "feeder", "duplex", "grey"… on a device: the profile's names first, then the
/// usual names real backends use ("ADF Duplex", "Automatic Document Feeder(Duplex)", "True Gray", "Binary" …).
/// Pure functions over an option table, so they are tested against real scanners' option lists.
public enum OptionMapping {
    /// Option settings (name, value as text) that select a source, in the order to apply them.
    public static func source(_ source: ScanSource, options: [ScannerOption],
                              profile: DeviceProfile) -> Result<[(String, String)], ScanError> {
        if let wanted = profile.sources?[source.rawValue], accepts(wanted, options) {
            return .success(ordered(wanted))
        }
        let sourceOption = options.first { $0.name == "source" && $0.isSettable }
        let choices = sourceOption?.isActive == true ? sourceOption!.choices : []
        switch source {
        case .flatbed:
            if choices.isEmpty { return .success([]) }  // no source option: the glass is the only source
            if let c = pick(choices, flatbedWords, avoid: ["transparen", "negative", "slide", "film", "positive"]) {
                return .success([("source", c)])
            }
            return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no flatbed"))
        case .adf:
            if let c = pick(choices, feederWords, avoid: ["duplex", "back", "rear"]) {
                var settings = [("source", c)]
                if let mode = adfModeOption(options), let simplex = mode.choices.first(where: { $0.lowercased().contains("simplex") }) {
                    settings.append((mode.name, simplex))
                }
                if let d = options.first(where: { $0.name == "duplex" && $0.kind == .bool && $0.isSettable }), d.isActive {
                    settings.append(("duplex", "no"))
                }
                return .success(settings)
            }
            return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no document feeder"))
        case .duplex:
            if let c = choices.first(where: { $0.lowercased().contains("duplex") }) {
                return .success([("source", c)])
            }
            guard let feeder = pick(choices, feederWords, avoid: ["back", "rear"]) else {
                return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no document feeder"))
            }
            // Duplex as a separate option: epson2's adf-mode, hpaio's duplex switch (inactive until the feeder is chosen).
            if let mode = adfModeOption(options), let d = mode.choices.first(where: { $0.lowercased().contains("duplex") }) {
                return .success([("source", feeder), (mode.name, d)])
            }
            if options.contains(where: { $0.name == "duplex" && $0.kind == .bool && $0.isSettable }) {
                return .success([("source", feeder), ("duplex", "yes")])
            }
            return .failure(ScanError(.unsupported, detail: "this scanner's feeder scans one side only (\(list(choices)))"))
        }
    }

    /// Option settings for a colour mode; sets 8-bit depth where the backend has a depth option.
    public static func mode(_ mode: ScanMode, options: [ScannerOption],
                            profile: DeviceProfile) -> Result<[(String, String)], ScanError> {
        if let wanted = profile.modes?[mode.rawValue], accepts(wanted, options) {
            return .success(ordered(wanted))
        }
        let choices = options.first { $0.name == "mode" && $0.isSettable && $0.isActive }?.choices ?? []
        let depth = options.first { $0.name == "depth" && $0.isSettable && $0.isActive }
        var settings: [(String, String)] = []
        switch mode {
        case .gray:
            if let c = pick(choices, ["true gray", "gray8", "grayscale", "gray", "grey", "mono"],
                            avoid: ["error diffusion", "dither", "halftone", "12bit", "16bit", "gray16"]) {
                settings.append(("mode", c))
            } else if !choices.isEmpty {
                return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no grey mode"))
            }
            if let depth, allows(depth, 8) { settings.append(("depth", "8")) }
        case .color:
            if let c = pick(choices, ["24bit color", "color24", "color", "colour", "rgb"],
                            avoid: ["fast", "48", "16bit", "12bit", "color16"]) {
                settings.append(("mode", c))
            } else if !choices.isEmpty {
                return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no colour mode"))
            }
            if let depth, allows(depth, 8) { settings.append(("depth", "8")) }
        case .lineart:
            if let c = pick(choices, ["lineart", "binary", "black & white", "black and white", "bw"],
                            avoid: ["dither", "halftone"]) {
                settings.append(("mode", c))
            } else if let depth, allows(depth, 1), let g = pick(choices, ["gray", "grey"], avoid: []) {
                settings.append(("mode", g))
                settings.append(("depth", "1"))
            } else if !choices.isEmpty {
                return .failure(ScanError(.unsupported, detail: "\(list(choices)) has no black-and-white mode"))
            }
        }
        return .success(settings)
    }

    // MARK: - Helpers

    static let feederWords = ["adf front", "adf", "automatic document feeder", "document feeder", "feeder"]
    static let flatbedWords = ["flatbed", "flat bed", "normal", "reflective", "document table", "glass", "platen"]

    static func adfModeOption(_ options: [ScannerOption]) -> ScannerOption? {
        options.first { ($0.name == "adf-mode" || $0.name == "adf_mode") && $0.isSettable }
    }

    /// The first choice containing a wanted phrase (phrases in order of preference), skipping ones to avoid.
    static func pick(_ choices: [String], _ wanted: [String], avoid: [String]) -> String? {
        let usable = choices.filter { c in !avoid.contains { c.lowercased().contains($0) } }
        for w in wanted {
            if let exact = usable.first(where: { $0.lowercased() == w }) { return exact }
        }
        for w in wanted {
            if let c = usable.first(where: { $0.lowercased().contains(w) }) { return c }
        }
        return nil
    }

    static func allows(_ option: ScannerOption, _ value: Double) -> Bool {
        switch option.constraint {
        case .numbers(let list): return list.contains(value)
        case .range(let lo, let hi, _): return value >= lo && value <= hi
        default: return true
        }
    }

    /// Whether every named option exists and takes the given value (inactive ones may become active on the way).
    static func accepts(_ settings: [String: String], _ options: [ScannerOption]) -> Bool {
        settings.allSatisfy { name, value in
            guard let o = options.first(where: { $0.name == name }) else { return false }
            return (try? o.value(from: value)) != nil
        }
    }

    /// "source" first: it changes which other options are active.
    static func ordered(_ settings: [String: String]) -> [(String, String)] {
        settings.sorted { a, b in
            let ra = a.key == "source" ? 0 : a.key == "mode" ? 1 : 2, rb = b.key == "source" ? 0 : b.key == "mode" ? 1 : 2
            return ra != rb ? ra < rb : a.key < b.key
        }.map { ($0.key, $0.value) }
    }

    static func list(_ choices: [String]) -> String {
        choices.isEmpty ? "the scanner" : "the scanner's choices (" + choices.joined(separator: " | ") + ")"
    }
}
