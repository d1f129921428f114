import Testing

@testable import Forms

@Suite("Vocabularies and ethnicity")
struct VocabularyTests {
    @Test("the 54 ethnic groups, each once")
    func fiftyFour() {
        #expect(Vocabulary.ethnicGroups.count == 54)
        #expect(Set(Vocabulary.ethnicGroups).count == 54)
        #expect(Set(Vocabulary.ethnicAliases.values).isSubset(of: Set(Vocabulary.ethnicGroups)))
        for name in ["Kinh", "Tày", "Mông", "Ê Đê", "Khmer", "Ơ Đu", "Brâu", "Rơ Măm"] {
            #expect(Vocabulary.ethnicGroups.contains(name))
        }
    }

    @Test("no two ethnic groups or aliases fold to the same text")
    func ethnicFoldsAreDistinct() {
        for (fold, names) in ValueChecker.EthnicTables.byFold {
            #expect(names.count == 1, "\(fold) → \(names)")
        }
    }

    @Test("every listed name is NFC and a well-formed Vietnamese syllable")
    func namesAreWellFormed() {
        for name in Vocabulary.nameSyllables.union(Vocabulary.familyNames)
        where !["Ksor", "Rcom", "Kpă", "Niê"].contains(name) {
            #expect(name == name.precomposedStringWithCanonicalMapping)
            #expect(VietnameseText.Syllable.isWellFormed(name), "\(name)")
            #expect(name.first?.isUppercase == true, "\(name)")
        }
        #expect(Vocabulary.familyNames.count >= 100)
        #expect(Vocabulary.nameSyllables.count >= 400)
    }

    @Test(
        "diacritic-less forms of frequent names are not in the lists (so their OCR damage is caught)",
        arguments: ["Van", "Thi", "Nguyen", "Huong", "Tuan", "Hung", "Ngoc", "Hai", "Thang", "Quy", "Huynh", "Thao"])
    func guardedSpellings(word: String) {
        #expect(!Vocabulary.nameSyllables.contains(word))
        #expect(!Vocabulary.familyNames.contains(word))
    }

    @Test(
        "exact and alias spellings give the canonical name",
        arguments: [
            ("Kinh", "Kinh", 0.95), ("KINH", "Kinh", 0.95), ("Tày", "Tày", 0.95), ("Ê-đê", "Ê Đê", 0.95),
            ("Bru - Vân Kiều", "Bru-Vân Kiều", 0.95), ("H'Mông", "Mông", 0.9), ("Hmông", "Mông", 0.9),
            ("Khơ-me", "Khmer", 0.9), ("Mnông", "M'Nông", 0.95), ("Xtiêng", "X'Tiêng", 0.95),
            ("Cơ Lao", "Cờ Lao", 0.9), ("Kinh (Việt)", "Kinh", 0.9),
        ])
    func exact(raw: String, name: String, plausibility: Double) {
        let checked = ValueChecker.check(raw, as: .ethnicity)
        #expect(checked.value == name)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= plausibility)
    }

    @Test(
        "near spellings are matched but flagged",
        arguments: [
            ("Kính", "Kinh"), ("TAY", "Tày"), ("Mường.", "Mường"), ("Muờng", "Mường"), ("Khmerr", "Khmer"),
            ("Xơ Đăg", "Xơ Đăng"), ("Sán Dìuu", "Sán Dìu"),
        ])
    func fuzzy(raw: String, name: String) {
        let checked = ValueChecker.check(raw, as: .ethnicity)
        #expect(checked.value == name)
        if raw != "Mường." {
            #expect(checked.issues == [.fuzzyVocabularyMatch])
            #expect(checked.plausibility <= 0.7)
        }
    }

    @Test("unknown ethnicities are flagged", arguments: ["Kiin", "Việt Nam", "abc", "Hoa Kỳ"])
    func unknown(raw: String) {
        let checked = ValueChecker.check(raw, as: .ethnicity)
        #expect(checked.issues == [.unknownEthnicity])
        #expect(checked.plausibility <= 0.3)
    }
}
