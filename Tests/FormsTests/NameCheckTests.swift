import Foundation
import Testing

@testable import Forms

@Suite("Names")
struct NameCheckTests {
    @Test(
        "known family name and name syllables, with diacritics, pass with high plausibility",
        arguments: [
            "NGUYỄN VĂN AN", "Nguyễn Thị Hồng Nhung", "TRẦN THỊ HƯƠNG", "Lê Hoàng Minh", "PHẠM NGỌC ÁNH",
            "Đặng Thuỳ Linh", "Đặng Thùy Linh", "Hoàng Hoà", "VÕ THỊ KIM OANH", "Trần Lê Bảo Ngọc", "Huỳnh Quốc Việt",
        ])
    func knownNames(raw: String) {
        let checked = ValueChecker.check(raw, as: .name)
        #expect(checked.value == raw)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= 0.95)
    }

    @Test(
        "a name that lost its diacritics is flagged",
        arguments: [
            "NGUYEN VAN AN", "Nguyen Van An", "NGUYÊN VĂN AN", "NGUYỄN THI HƯƠNG", "TRẦN THỊ HUONG", "LÊ VAN NAM",
            "NGUYỄN VĂN HUNG", "PHAM NGOC ANH", "NGUYỄN VĂN TUAN", "NGUYỄN THỊ THANH HUYEN",
        ])
    func droppedDiacritics(raw: String) {
        let checked = ValueChecker.check(raw, as: .name)
        #expect(checked.issues.contains(.unusualNameSyllable))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("keeps the printed case and strips junk at the ends")
    func cleanup() {
        #expect(ValueChecker.check("1. NGUYỄN VĂN AN |", as: .name).value == "NGUYỄN VĂN AN")
        #expect(ValueChecker.check(": Trần Thị Mai......", as: .name).value == "Trần Thị Mai")
        #expect(ValueChecker.check("nguyễn văn an", as: .name).value == "nguyễn văn an")
    }

    @Test("decomposed (NFD) input is composed and checked like NFC")
    func decomposed() {
        let nfd = "NGUYỄN VĂN AN".decomposedStringWithCanonicalMapping
        let checked = ValueChecker.check(nfd, as: .name)
        #expect(checked.value == "NGUYỄN VĂN AN")
        #expect(checked.value?.unicodeScalars.count == 13)
        #expect(checked.issues.isEmpty)
    }

    @Test("digits inside a name are flagged")
    func digitsInside() {
        let checked = ValueChecker.check("NGUY3N VĂN AN", as: .name)
        #expect(checked.issues.contains(.nonLetterInName))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("word count must be 2 to 6", arguments: ["AN", "Nguyễn Văn Thị Hồng Minh Anh Thư"])
    func wordCount(raw: String) {
        let checked = ValueChecker.check(raw, as: .name)
        #expect(checked.issues.contains(.nameWordCount))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("an unknown but well-formed syllable lowers plausibility without failing")
    func unknownSyllable() {
        let checked = ValueChecker.check("Nguyễn Văn Khoát", as: .name)
        #expect(checked.issues == [.unknownNameSyllable])
        #expect(checked.plausibility > 0.5 && checked.plausibility < 0.75)
    }

    @Test("an unknown family name lowers plausibility")
    func unknownFamily() {
        let checked = ValueChecker.check("Khoát Văn An", as: .name)
        #expect(checked.issues == [.unknownFamilyName])
        #expect(checked.plausibility > 0.5 && checked.plausibility < 0.75)
    }

    @Test("a syllable that is not Vietnamese is flagged", arguments: ["Nguyễn Văn Smith", "Nguyễn Ngưyễn An"])
    func foreign(raw: String) {
        let checked = ValueChecker.check(raw, as: .name)
        #expect(checked.issues.contains(.unusualNameSyllable))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("empty input")
    func empty() {
        #expect(
            ValueChecker.check(" ....... ", as: .name) == CheckedValue(value: nil, plausibility: 0, issues: [.empty]))
    }
}
