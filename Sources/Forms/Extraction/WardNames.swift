/// Ward and commune names with their type word ("Phường Hưng Đạo"), for place texts that name a ward without its
/// province ("Làm tại: Xã Vĩnh Chấp", "Kính gửi: Ủy ban nhân dân phường Phong Phú").
enum WardNames {
    /// Folded "phuong hung dao" → official spellings.
    static let index: [String: [String]] = {
        var out: [String: [String]] = [:]
        let units = AdminUnits.shared
        for tables in [units.current] {
            for province in tables.provinces {
                for ward in province.wards {
                    let key = VietnameseText.fold(ward.official)
                    if !(out[key]?.contains(ward.official) ?? false) { out[key, default: []].append(ward.official) }
                }
            }
        }
        return out
    }()

    /// The official name of the ward the text ends with (type word and name, after fold), if any.
    static func trailingWard(in text: String) -> String? {
        let words = VietnameseText.fold(text).split(separator: " ")
        for take in stride(from: min(6, words.count), through: 2, by: -1) {
            let key = words.suffix(take).joined(separator: " ")
            if let names = index[key], names.count == 1 { return names[0] }
        }
        return nil
    }
}
