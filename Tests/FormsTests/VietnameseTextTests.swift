import Testing

@testable import Forms

@Suite("VietnameseText")
struct VietnameseTextTests {
    @Test(
        "normalize cleans values as printed and as OCR reads them",
        arguments: [
            ("  NGUYỄN   VĂN  AN  ", "NGUYỄN VĂN AN"),
            (": Nguyễn Thị Hồng Nhung", "Nguyễn Thị Hồng Nhung"),
            ("Nguyễn Văn An..........................", "Nguyễn Văn An"),
            ("Kinh……………", "Kinh"),
            ("ngày 05....tháng 03.....năm 1990", "ngày 05 tháng 03 năm 1990"),
            ("Hà Nội, ________", "Hà Nội"),
            ("Việt Nam · · · · · ·", "Việt Nam"),
            ("Con đẻ .,.:,.,", "Con đẻ"),
            ("Kinh . . . . . . .", "Kinh"),
            ("Số 12, Phường Ba Đình, Thành phố Hà Nội,", "Số 12, Phường Ba Đình, Thành phố Hà Nội"),
            ("Tỉnh Bà Rịa - Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu"),
            ("05.03.1990", "05.03.1990"),
            ("an.nguyen_90@gmail.com", "an.nguyen_90@gmail.com"),
            ("\tUBND\u{00A0}xã  Tân Lập ;", "UBND xã Tân Lập"),
            ("......", ""),
            ("", ""),
        ])
    func normalize(raw: String, expected: String) {
        #expect(VietnameseText.normalize(raw) == expected)
    }

    @Test("normalize composes decomposed (NFD) text")
    func normalizeComposes() {
        let decomposed = "Nguye\u{0302}\u{0303}n"  // e + circumflex + tilde
        let result = VietnameseText.normalize(decomposed)
        #expect(result == "Nguyễn")
        #expect(result.unicodeScalars.count == 6)
    }

    @Test(
        "fold drops case, diacritics and punctuation",
        arguments: [
            ("Họ, chữ đệm, tên:", "ho chu dem ten"),
            ("ĐẶNG Đức Đạt", "dang duc dat"),
            ("Ngày,tháng,năm sinh", "ngay thang nam sinh"),
            ("H'Mông", "hmong"),
            ("Bru-Vân Kiều", "bru van kieu"),
            ("Thuỷ  Hoà", "thuy hoa"),
            ("Số 12/3", "so 12 3"),
            ("ƯỚC", "uoc"),
        ])
    func fold(raw: String, expected: String) {
        #expect(VietnameseText.fold(raw) == expected)
    }

    @Test("fold treats old and new tone placement alike")
    func foldTonePlacement() {
        #expect(VietnameseText.fold("Hòa") == VietnameseText.fold("Hoà"))
        #expect(VietnameseText.Letters.key("Hòa") == VietnameseText.Letters.key("HOÀ"))
        #expect(VietnameseText.Letters.key("Thủy") == VietnameseText.Letters.key("Thuỷ"))
        #expect(VietnameseText.Letters.key("Hòa") != VietnameseText.Letters.key("Hóa"))
    }

    @Test(
        "levenshtein counts edits over Characters",
        arguments: [
            ("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("Nguyễn", "Nguyen", 1), ("Hà Nội", "Hà Nội", 0),
        ])
    func levenshtein(a: String, b: String, distance: Int) {
        #expect(VietnameseText.levenshtein(Array(a), Array(b)) == distance)
        #expect(VietnameseText.levenshtein(Array(b), Array(a)) == distance)
    }

    @Test("similarity is 1 − distance ÷ longer length")
    func similarity() {
        #expect(VietnameseText.similarity("", "") == 1)
        #expect(VietnameseText.similarity("abcd", "abcd") == 1)
        #expect(VietnameseText.similarity("abcd", "abce") == 0.75)
        #expect(VietnameseText.similarity("abc", "") == 0)
    }

    @Test(
        "Vietnamese spelling rules accept real syllables",
        arguments: [
            "Nguyễn", "Thị", "Huỳnh", "Quỳnh", "giếng", "gìn", "Khuyến", "Ngọc", "Đức", "Trường", "Oanh", "Yến",
            "Uyên", "khuỷu", "Nghĩa", "Kiệt", "Quốc", "Thuỷ", "Hoà", "Tuyết", "Xuân", "Ánh",
        ])
    func wellFormed(word: String) {
        #expect(VietnameseText.Syllable.isWellFormed(word))
    }

    @Test(
        "Vietnamese spelling rules reject OCR damage and foreign words",
        arguments: [
            "Ngưyễn", "Nguyẽñ", "Thịị", "Ngoć", "Ngọcx", "Kuan", "Cem", "Ghan", "Smith", "Đứcc", "Ngọ1", "Ngàc",
        ])
    func malformed(word: String) {
        #expect(!VietnameseText.Syllable.isWellFormed(word))
    }

    @Test(
        "number words",
        arguments: [
            ("hai nghin khong tram hai muoi lam", 2025), ("mot nghin chin tram chin muoi", 1990),
            ("hai nghin linh nam", 2005), ("hai nghin le tu", 2004), ("hai nghin hai muoi tu", 2024),
            ("hai ngan", 2000), ("muoi lam", 15), ("ba muoi mot", 31), ("hai muoi", 20), ("muoi", 10),
            ("tu", 4), ("hai khong hai mot", 2021),
        ])
    func numberWords(text: String, value: Int) {
        #expect(VietnameseText.NumberWords.parse(text.split(separator: " ").map(String.init)) == value)
    }

    @Test("number words reject what is not a number", arguments: ["lam", "muoi muoi", "hai tram tram", "mot muoi"])
    func badNumberWords(text: String) {
        #expect(VietnameseText.NumberWords.parse(text.split(separator: " ").map(String.init)) == nil)
    }
}
