/// Ward and commune names with their type word ("Phường Hưng Đạo"), for place texts that name a ward without its
/// province ("Làm tại: Xã Vĩnh Chấp", "Kính gửi: Ủy ban nhân dân phường Phong Phú").
enum WardNames {
    /// Folded "phuong hung dao" → official spellings.
    static let index: [String: [String]] = {
        var out: [String: [String]] = [:]
        let units = AdminUnits.shared
        func add(_ name: String) {
            let key = VietnameseText.fold(name)
            if !(out[key]?.contains(name) ?? false) { out[key, default: []].append(name) }
        }
        for province in units.current.provinces {
            // Provinces with and without their type word ("Tỉnh Nghệ An", "Nghệ An").
            add(province.unit.official)
            add(province.unit.official.split(separator: " ").dropFirst(province.unit.prefixWords).joined(separator: " "))
            for ward in province.wards { add(ward.official) }
        }
        return out
    }()

    /// Every unit's name without its type word, folded ("nam dinh", "ba dinh"), current and legacy: words that
    /// look like a label but name a place.
    static let placeNames: Set<String> = {
        func core(_ unit: AdminUnits.Unit) -> String {
            VietnameseText.fold(unit.official.split(separator: " ").dropFirst(unit.prefixWords).joined(separator: " "))
        }
        var out = Set<String>()
        for tables in [AdminUnits.shared.current, AdminUnits.shared.legacy] {
            for province in tables.provinces {
                out.insert(core(province.unit))
                for ward in province.wards { out.insert(core(ward)) }
                for district in province.districts { out.insert(core(district.unit)) }
            }
        }
        return out
    }()

    /// The official spellings of the ward, commune or province the text ends with (compared after fold).
    static func trailingUnits(in text: String) -> [String] {
        let words = VietnameseText.fold(text).split(separator: " ")
        for take in stride(from: min(6, words.count), through: 2, by: -1) {
            let key = words.suffix(take).joined(separator: " ")
            if let names = index[key] { return names }
        }
        return []
    }

    /// The one official name the text ends with, when its letters allow only one.
    static func trailingWard(in text: String) -> String? {
        let names = trailingUnits(in: text)
        return names.count == 1 ? names[0] : nil
    }
}
