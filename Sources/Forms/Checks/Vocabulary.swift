/// Closed word lists the checks compare against. All entries are NFC; names are title case.
public enum Vocabulary {
    /// The 54 ethnic groups of Việt Nam, in the order of the census list.
    public static let ethnicGroups: [String] = ethnicTable.map(\.name)

    /// Other spellings and older or local names, each mapped to its entry in `ethnicGroups`
    /// ("H'Mông" → "Mông", "Khơ-me" → "Khmer", "Mnông" → "M'Nông").
    public static let ethnicAliases: [String: String] = {
        var aliases: [String: String] = [:]
        for (name, others) in ethnicTable {
            for other in others { aliases[other] = name }
        }
        return aliases
    }()

    /// Common Vietnamese family names (họ), including those frequent among ethnic minorities.
    public static let familyNames: Set<String> = words(familyNameList)

    /// Syllables common in Vietnamese middle and given names (chữ đệm, tên).
    public static let nameSyllables: Set<String> = words(nameSyllableList)

    private static func words(_ list: String) -> Set<String> {
        Set(list.split(whereSeparator: \.isWhitespace).map { String($0).precomposedStringWithCanonicalMapping })
    }

    private static let ethnicTable: [(name: String, aliases: [String])] = [
        ("Kinh", ["Việt", "Kinh (Việt)", "Người Kinh"]),
        ("Tày", ["Thổ Tày"]),
        ("Thái", ["Thái Đen", "Thái Trắng"]),
        ("Mường", []),
        ("Khmer", ["Khơ-me", "Khơ Me", "Khơme", "Khmer Krom", "Khơ-me Crôm", "Khơme Krôm"]),
        ("Hoa", ["Hán", "Người Hoa"]),
        ("Nùng", []),
        ("Mông", ["H'Mông", "HMông", "Hmông", "Hmong", "H'Mong", "Mèo"]),
        ("Dao", ["Mán"]),
        ("Gia Rai", ["Jrai", "Giarai"]),
        ("Ê Đê", ["Êđê", "Ê-đê", "Rađê", "Ra Đê", "Rhađê", "Ede"]),
        ("Ba Na", ["Bana", "Bahnar"]),
        ("Xơ Đăng", ["Xê Đăng", "Sedang"]),
        ("Sán Chay", ["Cao Lan", "Sán Chỉ", "Cao Lan - Sán Chỉ"]),
        ("Cơ Ho", ["K'Ho", "Kơ Ho", "Koho", "Kơho"]),
        ("Chăm", ["Chàm", "Chăm Hroi"]),
        ("Sán Dìu", ["Sán Déo"]),
        ("Hrê", ["H'rê"]),
        ("Ra Glai", ["Raglai", "Rắc Lây"]),
        ("M'Nông", ["Mnông", "Mơ Nông"]),
        ("X'Tiêng", ["Xtiêng", "Xơ Tiêng", "Stiêng"]),
        ("Bru-Vân Kiều", ["Bru - Vân Kiều", "Bru Vân Kiều", "Vân Kiều"]),
        ("Thổ", []),
        ("Khơ Mú", ["Khmú", "Khơmú", "Kmhmu", "Xá Cẩu"]),
        ("Cơ Tu", ["Katu", "Ca Tu"]),
        ("Giáy", ["Nhắng", "Dẩng"]),
        ("Giẻ Triêng", ["Gié Triêng", "Giẻ-Triêng"]),
        ("Tà Ôi", ["Pa Cô", "Pacô", "Pacoh"]),
        ("Mạ", []),
        ("Co", ["Cor", "Cùa"]),
        ("Chơ Ro", ["Châu Ro", "Chro"]),
        ("Xinh Mun", ["Puộc"]),
        ("Hà Nhì", ["U Ni"]),
        ("Chu Ru", ["Churu"]),
        ("Lào", ["Lào Bốc"]),
        ("Kháng", []),
        ("La Chí", []),
        ("Phù Lá", []),
        ("La Hủ", []),
        ("La Ha", []),
        ("Pà Thẻn", ["Pà Hưng"]),
        ("Chứt", ["Rục", "Arem"]),
        ("Lự", []),
        ("Lô Lô", []),
        ("Mảng", ["Mảng Ư"]),
        ("Cờ Lao", ["Cơ Lao", "Co Lao"]),
        ("Bố Y", ["Chủng Chá"]),
        ("Cống", []),
        ("Ngái", []),
        ("Si La", []),
        ("Pu Péo", ["Ka Pèo"]),
        ("Rơ Măm", []),
        ("Brâu", []),
        ("Ơ Đu", ["Tày Hạt"]),
    ]
}
