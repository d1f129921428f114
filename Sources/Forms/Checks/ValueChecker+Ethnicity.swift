extension ValueChecker {
    /// Ethnicity: one of the 54 groups. An exact match (any case, tone mark placement, hyphens) or a known other
    /// spelling gives the canonical name; a near match on the folded text gives it with a lower plausibility.
    static func checkEthnicity(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty else { return .empty() }
        let key = EthnicTables.key(text)
        if let name = EthnicTables.byKey[key] {
            let isCanonical = EthnicTables.canonicalKeys.contains(key)
            return CheckedValue(value: name, plausibility: isCanonical ? 0.95 : Level.checked)
        }
        let folded = VietnameseText.fold(text).replacingOccurrences(of: " ", with: "")
        if let names = EthnicTables.byFold[folded], names.count == 1 {
            return CheckedValue(value: names.first!, plausibility: 0.7, issues: [.fuzzyVocabularyMatch])
        }
        var best: (name: String, score: Double)?
        var tie = false
        for (candidate, name) in EthnicTables.folds {
            let score = VietnameseText.similarity(Array(folded), candidate)
            if score > (best?.score ?? 0) {
                tie = false
                best = (name, score)
            } else if let b = best, score == b.score, name != b.name {
                tie = true
            }
        }
        if let best, best.score >= 0.8, !tie {
            return CheckedValue(value: best.name, plausibility: Level.approximate, issues: [.fuzzyVocabularyMatch])
        }
        return CheckedValue(value: text, plausibility: 0.2, issues: [.unknownEthnicity])
    }

    enum EthnicTables {
        /// Lower case, diacritics kept (tone placement ignored), words split on spaces and hyphens, apostrophes
        /// dropped: "Bru - Vân Kiều", "Bru-Vân Kiều" and "BRU VÂN KIỀU" share one key.
        static func key(_ s: String) -> String {
            s.filter { !VietnameseText.apostrophes.contains($0) }
                .split(whereSeparator: { !$0.isLetter })
                .map { VietnameseText.Letters.key($0) }
                .joined(separator: " ")
        }

        static let canonicalKeys: Set<String> = Set(Vocabulary.ethnicGroups.map(key))

        static let byKey: [String: String] = {
            var table: [String: String] = [:]
            for (alias, name) in Vocabulary.ethnicAliases { table[key(alias)] = name }
            for name in Vocabulary.ethnicGroups { table[key(name)] = name }
            return table
        }()

        /// Folded without spaces ("bruvankieu") → canonical names.
        static let byFold: [String: Set<String>] = {
            var table: [String: Set<String>] = [:]
            for (alias, name) in Vocabulary.ethnicAliases {
                table[VietnameseText.fold(alias).replacingOccurrences(of: " ", with: ""), default: []].insert(name)
            }
            for name in Vocabulary.ethnicGroups {
                table[VietnameseText.fold(name).replacingOccurrences(of: " ", with: ""), default: []].insert(name)
            }
            return table
        }()

        static let folds: [([Character], String)] = byFold.flatMap { fold, names in
            names.map { (Array(fold), $0) }
        }
    }
}
