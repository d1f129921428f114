import Foundation

/// Vietnam's communes/wards and provinces, current (since 1 July 2025) and legacy (with districts), for finding and
/// correcting the units at the end of an address. Read from the CSV files in `Resources/admin-units/`: the current
/// units when the instance is made (a few milliseconds), the legacy ones the first time an address needs them.
public final class AdminUnits: Sendable {
    /// The bundled tables, loaded on first use.
    public static let shared: AdminUnits = AdminUnits.bundled()

    /// Why the tables are empty (the resource files could not be read); nil when they loaded.
    public let loadError: String?

    /// The units in force since 1 July 2025.
    let current: Tables
    /// The units before that, with districts; built on first use.
    var legacy: Tables { legacyTables.value }
    private let legacyTables: Lazy<Tables>

    /// Number of current communes/wards.
    public var currentWardCount: Int { current.wardCount }
    /// Number of legacy communes/wards (reading this loads the legacy table).
    public var legacyWardCount: Int { legacy.wardCount }

    /// Builds the tables from the two CSV files' contents (`units-2026.csv`, `units-legacy.csv`).
    init(currentCSV: Data, legacyCSV: Data, loadError: String? = nil) {
        self.current = Tables(csv: currentCSV, isLegacy: false)
        self.legacyTables = Lazy { Tables(csv: legacyCSV, isLegacy: true) }
        self.loadError = loadError
    }

    /// Loads the tables shipped in the module's resources; empty tables (and `loadError`) when they are missing.
    static func bundled() -> AdminUnits {
        do {
            return AdminUnits(
                currentCSV: try resource("units-2026"), legacyCSV: try resource("units-legacy"))
        } catch {
            return AdminUnits(
                currentCSV: Data(), legacyCSV: Data(),
                loadError: "Thiếu dữ liệu đơn vị hành chính (Resources/admin-units): cài lại chương trình")
        }
    }

    static func resource(_ name: String) throws -> Data {
        guard let url = bundledResource(name, ext: "csv", folder: "admin-units") else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: url)
    }

    /// Short and other names of provinces, folded, → the folded official core name.
    static let provinceAliases: [(String, String)] = [
        ("hcm", "ho chi minh"), ("tphcm", "ho chi minh"), ("tp hcm", "ho chi minh"), ("sai gon", "ho chi minh"),
        ("saigon", "ho chi minh"), ("hn", "ha noi"), ("tphn", "ha noi"), ("thua thien hue", "hue"),
        ("tt hue", "hue"), ("brvt", "ba ria vung tau"), ("br vt", "ba ria vung tau"), ("dac lac", "dak lak"),
        ("dak lac", "dak lak"), ("dac lak", "dak lak"), ("dac nong", "dak nong"), ("tp can tho", "can tho"),
    ]

    /// One of the two tables: provinces with their wards (and, for legacy, districts), and the province lookup.
    struct Tables: Sendable {
        let provinces: [Province]
        /// Folded province name ("ha noi"), compact name ("hanoi") or alias ("hcm") → indices into `provinces`.
        let provinceKeys: [String: [Int]]
        let provinceKeyBytes: [(key: [UInt8], provinces: [Int])]
        let wardCount: Int

        /// Current CSV: `province_code, province, ward_code, ward`; legacy CSV: `province_code, province,
        /// district_code, district, ward_code, ward`. Rows come grouped by province (and district): a unit is
        /// made only when the name changes.
        init(csv: Data, isLegacy: Bool) {
            var builders: [ProvinceBuilder] = []
            var count = 0
            var lastProvince: ArraySlice<UInt8> = []
            var lastDistrict: ArraySlice<UInt8> = []
            var district: Unit?
            let wardField = isLegacy ? 5 : 3
            AdminUnits.forEachRow([UInt8](csv), fields: wardField + 1) { f in
                guard let ward = Unit(official: f[wardField]) else { return }
                if builders.isEmpty || !AdminUnits.same(f[1], lastProvince) {
                    guard let unit = Unit(official: f[1]) else { return }
                    lastProvince = f[1]
                    lastDistrict = []
                    builders.append(
                        ProvinceBuilder(unit: unit, code: String(decoding: f[0], as: UTF8.self), isLegacy: isLegacy))
                }
                if isLegacy {
                    if !AdminUnits.same(f[3], lastDistrict) {
                        district = Unit(official: f[3])
                        lastDistrict = f[3]
                    }
                    guard district != nil else { return }
                }
                builders[builders.count - 1].addWard(ward, district: isLegacy ? district : nil)
                count += 1
            }
            let provinces = builders.map { $0.build() }

            var keys: [String: [Int]] = [:]
            for (i, p) in provinces.enumerated() {
                keys[p.unit.core, default: []].append(i)
                let compact = p.unit.core.replacingOccurrences(of: " ", with: "")
                if compact != p.unit.core { keys[compact, default: []].append(i) }
            }
            for (alias, core) in AdminUnits.provinceAliases {
                let targets = provinces.indices.filter { provinces[$0].unit.core == core }
                if !targets.isEmpty { keys[alias, default: []].append(contentsOf: targets) }
            }
            self.provinces = provinces
            self.provinceKeys = keys
            self.provinceKeyBytes = keys.map { (Array($0.key.utf8), $0.value) }
            self.wardCount = count
        }
    }

    /// A value computed once, on first use, from any thread.
    final class Lazy<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value?
        private var make: (@Sendable () -> Value)?

        init(_ make: @escaping @Sendable () -> Value) { self.make = make }

        var value: Value {
            lock.lock()
            defer { lock.unlock() }
            if let stored { return stored }
            let value = make!()
            stored = value
            make = nil
            return value
        }
    }

    /// Calls `body` with the fields of each row after the header (no quoting in these files; LF or CRLF).
    private static func forEachRow(_ bytes: [UInt8], fields count: Int, _ body: ([ArraySlice<UInt8>]) -> Void) {
        var lineStart = 0
        var header = true
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(count)
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                var end = i
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                if end > lineStart {
                    if header {
                        header = false
                    } else {
                        fields.removeAll(keepingCapacity: true)
                        var fieldStart = lineStart
                        for j in lineStart..<end where bytes[j] == 0x2C {
                            fields.append(bytes[fieldStart..<j])
                            fieldStart = j + 1
                        }
                        fields.append(bytes[fieldStart..<end])
                        if fields.count >= count { body(fields) }
                    }
                }
                lineStart = i + 1
            }
            i += 1
        }
    }
}

extension AdminUnits {
    /// The type word of a unit name.
    enum Kind: Sendable, Equatable {
        case phuong, xa, thiTran, dacKhu, quan, huyen, thiXa, thanhPho, tinh

        var isWardLevel: Bool { [.phuong, .xa, .thiTran, .dacKhu].contains(self) }
        var isDistrictLevel: Bool { [.quan, .huyen, .thiXa, .thanhPho].contains(self) }
        var isProvinceLevel: Bool { self == .tinh || self == .thanhPho }

        static let prefixBytes: [([UInt8], Kind, Int)] = prefixes.map {
            (Array($0.0.utf8), $0.1, $0.0.split(separator: " ").count)
        }

        /// Folded prefixes of official names, longest first.
        static let prefixes: [(String, Kind)] = [
            ("thanh pho ", .thanhPho), ("thi xa ", .thiXa), ("thi tran ", .thiTran), ("dac khu ", .dacKhu),
            ("phuong ", .phuong), ("xa ", .xa), ("quan ", .quan), ("huyen ", .huyen), ("tinh ", .tinh),
        ]
    }

    /// One named unit: its official name, its type, and its folded core name ("Phường 01" → "1").
    struct Unit: Sendable {
        let official: String
        let kind: Kind?
        let core: String
        let coreBytes: [UInt8]
        let tokenCount: Int
        /// Number of words in the type prefix of `official` ("Thị trấn" = 2).
        let prefixWords: Int

        init?(official raw: String) {
            self.init(official: ArraySlice(VietnameseText.nfc(raw).utf8))
        }

        /// From the UTF-8 bytes of an NFC official name ("Phường Ba Đình", "xã Bắc Sơn").
        init?(official bytes: ArraySlice<UInt8>) {
            guard let first = bytes.first else { return nil }
            var official = String(decoding: bytes, as: UTF8.self)
            if first >= 0x61 && first <= 0x7A {
                official = official.prefix(1).uppercased() + official.dropFirst()
            }
            let folded = VietnameseText.fold(utf8: bytes)
            var kind: Kind?
            var restStart = 0
            var prefixWords = 0
            for (prefix, k, words) in Kind.prefixBytes where AdminUnits.hasPrefix(folded, prefix) {
                kind = k
                restStart = prefix.count
                prefixWords = words
                break
            }
            // Numbers without leading zeros ("Phường 01" = "Phường 1").
            var core: [UInt8] = []
            core.reserveCapacity(folded.count - restStart)
            var tokenCount = 1
            var atTokenStart = true
            var i = restStart
            while i < folded.count {
                let c = folded[i]
                i += 1
                if c == 0x20 {
                    atTokenStart = true
                    tokenCount += 1
                    core.append(c)
                    continue
                }
                if atTokenStart, c == 0x30, i < folded.count, folded[i] >= 0x30, folded[i] <= 0x39,
                    AdminUnits.isNumberToken(folded, from: i)
                {
                    continue
                }
                atTokenStart = false
                core.append(c)
            }
            guard !core.isEmpty else { return nil }
            self.official = official
            self.kind = kind
            self.core = String(decoding: core, as: UTF8.self)
            self.coreBytes = core
            self.tokenCount = tokenCount
            self.prefixWords = prefixWords
        }

        var isNumeric: Bool { coreBytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 } }

        /// The core with its diacritics, as comparison key ("Ba Đình" → "ba đinh1").
        var accentKey: String {
            official.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).dropFirst(prefixWords)
                .map { AdminUnits.normalizeNumber(Substring(VietnameseText.Letters.key($0))) }
                .joined(separator: " ")
        }
    }

    struct District: Sendable {
        let unit: Unit
        let wardIndices: [Int]
        let wardIndex: [String: [Int]]
    }

    struct Province: Sendable {
        let unit: Unit
        let code: String
        let isLegacy: Bool
        let wards: [Unit]
        /// For legacy provinces: each ward's district, as an index into `districts`.
        let wardDistrict: [Int]
        let wardIndex: [String: [Int]]
        let districts: [District]
        let districtIndex: [String: [Int]]
        let maxWardTokens: Int
    }

    struct ProvinceBuilder {
        let unit: Unit
        let code: String
        let isLegacy: Bool
        var wards: [Unit] = []
        var wardDistrict: [Int] = []
        var districts: [(unit: Unit, wards: [Int])] = []
        var districtByName: [String: Int] = [:]

        init(unit: Unit, code: String, isLegacy: Bool) {
            self.unit = unit
            self.code = code
            self.isLegacy = isLegacy
        }

        mutating func addWard(_ ward: Unit, district: Unit?) {
            let w = wards.count
            wards.append(ward)
            guard let district else { return }
            let d: Int
            if let known = districtByName[district.official] {
                d = known
            } else {
                d = districts.count
                districtByName[district.official] = d
                districts.append((district, []))
            }
            districts[d].wards.append(w)
            wardDistrict.append(d)
        }

        func build() -> Province {
            var wardIndex: [String: [Int]] = [:]
            for (i, w) in wards.enumerated() { wardIndex[w.core, default: []].append(i) }
            var districtIndex: [String: [Int]] = [:]
            let builtDistricts = districts.enumerated().map { d, entry -> District in
                districtIndex[entry.unit.core, default: []].append(d)
                var index: [String: [Int]] = [:]
                for w in entry.wards { index[wards[w].core, default: []].append(w) }
                return District(unit: entry.unit, wardIndices: entry.wards, wardIndex: index)
            }
            return Province(
                unit: unit, code: code, isLegacy: isLegacy, wards: wards, wardDistrict: wardDistrict,
                wardIndex: wardIndex, districts: builtDistricts, districtIndex: districtIndex,
                maxWardTokens: max(wards.map(\.tokenCount).max() ?? 1, districts.map(\.unit.tokenCount).max() ?? 1))
        }
    }

    /// Whether the space-delimited token starting at `start` is all digits.
    static func isNumberToken(_ bytes: [UInt8], from start: Int) -> Bool {
        var i = start
        while i < bytes.count, bytes[i] != 0x20 {
            if bytes[i] < 0x30 || bytes[i] > 0x39 { return false }
            i += 1
        }
        return true
    }

    static func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        var i = 0
        while i < prefix.count {
            if bytes[i] != prefix[i] { return false }
            i += 1
        }
        return true
    }

    static func same(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex {
            if a[i] != b[j] { return false }
            i += 1
            j += 1
        }
        return true
    }

    static func normalizeNumber(_ token: Substring) -> String {
        guard token.allSatisfy({ $0.isASCII && $0.isNumber }) else { return String(token) }
        let trimmed = token.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
