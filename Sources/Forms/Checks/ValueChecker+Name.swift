extension ValueChecker {
    /// Names: letters and spaces, 2–6 words, printed case kept. The family name is compared with the list of
    /// family names and every other word with the name syllables, keeping diacritics. A word that matches a
    /// known one only once diacritics are dropped ("NGUYEN", "HUONG", "NGUYÊN" for "Nguyễn") is what OCR makes
    /// of a name when it loses a tone mark, so it is flagged.
    static func checkName(_ raw: String) -> CheckedValue {
        var text = VietnameseText.normalize(raw)
        // OCR junk and row numbers at the ends ("1. NGUYỄN VĂN AN |").
        while let first = text.first, !first.isLetter { text.removeFirst() }
        while let last = text.last, !last.isLetter { text.removeLast() }
        guard !text.isEmpty else { return .empty() }

        var issues: [CheckIssue] = []
        var p = Level.corroborated
        func lower(to limit: Double, _ issue: CheckIssue) {
            if !issues.contains(issue) { issues.append(issue) }
            p = min(p, limit)
        }

        if text.contains(where: { !$0.isLetter && $0 != " " && !VietnameseText.apostrophes.contains($0) }) {
            lower(to: 0.2, .nonLetterInName)
        }
        let words = text.split(separator: " ")
        if !(2...6).contains(words.count) { lower(to: Level.failed, .nameWordCount) }

        var unknownCount = 0
        for (index, word) in words.enumerated() {
            guard word.allSatisfy({ $0.isLetter || VietnameseText.apostrophes.contains($0) }) else { continue }
            let key = VietnameseText.Letters.key(word)
            let folded = VietnameseText.fold(String(word))
            if index == 0 {
                if NameTables.familyKeys.contains(key) { continue }
                if NameTables.familyFolds.contains(folded)
                    || NameTables.syllableFolds[folded].map({ !$0.contains(key) }) == true
                    || !VietnameseText.Syllable.isWellFormed(word)
                {
                    lower(to: Level.failed, .unusualNameSyllable)
                } else {
                    lower(to: 0.6, .unknownFamilyName)
                }
            } else {
                if NameTables.givenKeys.contains(key) { continue }
                if NameTables.givenFolds.contains(folded) || !VietnameseText.Syllable.isWellFormed(word) {
                    lower(to: Level.failed, .unusualNameSyllable)
                } else {
                    unknownCount += 1
                    lower(to: unknownCount > 1 ? 0.5 : 0.65, .unknownNameSyllable)
                }
            }
        }
        return CheckedValue(value: text, plausibility: p, issues: issues)
    }

    /// The name vocabularies as comparison keys, built once.
    enum NameTables {
        static let familyKeys: Set<String> = Set(Vocabulary.familyNames.map { VietnameseText.Letters.key($0) })
        static let familyFolds: Set<String> = Set(Vocabulary.familyNames.map { VietnameseText.fold($0) })
        /// Middle and given names may also be family names ("Trần Lê Minh Anh").
        static let givenKeys: Set<String> = Set(
            Vocabulary.nameSyllables.union(Vocabulary.familyNames).map { VietnameseText.Letters.key($0) })
        static let givenFolds: Set<String> = Set(
            Vocabulary.nameSyllables.union(Vocabulary.familyNames).map { VietnameseText.fold($0) })
        /// Folded syllable → the keys of the known syllables with that fold.
        static let syllableFolds: [String: Set<String>] = {
            var table: [String: Set<String>] = [:]
            for s in Vocabulary.nameSyllables {
                table[VietnameseText.fold(s), default: []].insert(VietnameseText.Letters.key(s))
            }
            return table
        }()
    }
}
