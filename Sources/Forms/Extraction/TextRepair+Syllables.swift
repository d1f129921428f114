/// Syllables of places and streets that OCR read without their marks or with wrong ones.
///
/// In Vietnamese text printed with diacritics, a name syllable without any ("Phan Dinh Phung" among marked words)
/// is a doubt in itself when the names that use those letters nearly always mark them; so is a syllable with marks
/// no syllable has ("Kiéu") or that no name uses while names use its letters with other marks ("Điên"). A doubtful
/// syllable is respelled when the names of two or more syllables that fit it and its neighbours on folded letters
/// give it exactly one spelling ("Hoàng Van Thụ" → "Hoàng Văn Thụ"); otherwise it stays and is counted as a doubt.
extension TextRepair {
    struct Respelling: Equatable {
        var text: String
        /// Syllables respelled from a name.
        var respelled: Int
        /// Doubtful syllables no name settled.
        var doubts: Int
        /// Fixed phrases of the form read too garbled to put right (set by the caller from `repairs`).
        var garbled = 0
    }

    /// An unmarked syllable is doubtful when fewer than this share of the names with its letters leave it unmarked.
    static let unmarkedShare = 0.2

    /// `known`: official names of the units the text was matched to; their words are spelled as printed there.
    static func respellSyllables(_ text: String, known: [String] = [], vocabulary: PlaceVocabulary = .shared)
        -> Respelling
    {
        var tokens = text.split(separator: " ", omittingEmptySubsequences: true).map { strip(String($0)) }
        let marked = tokens.filter { hasMarks($0.core) }.count
        let allCaps = text == text.uppercased()
        var doubtful = tokens.indices.map {
            isDoubtful(tokens[$0].core, markedElsewhere: marked - (hasMarks(tokens[$0].core) ? 1 : 0),
                       textAllCaps: allCaps, vocabulary: vocabulary)
        }
        // Words spelled exactly as a unit the address was matched to ("Xã Krong") are what the page says.
        let knownKeys = Set(known.flatMap { $0.split(separator: " ").map { VietnameseText.Letters.key($0) } })
        for i in tokens.indices where knownKeys.contains(VietnameseText.Letters.key(tokens[i].core)) { doubtful[i] = false }
        // Capitalised words without marks in marked text: not doubtful by themselves ("Quan", "Hai"), but a name of
        // three or more syllables whose other words are printed exactly may give them their marks ("Lạc Long Quan").
        let unmarked = tokens.indices.map { i in
            let w = tokens[i].core
            return marked >= 2 && !allCaps && w.count >= 2 && w.allSatisfy(\.isLetter) && !hasMarks(w)
                && w.first?.isUppercase == true && w != w.uppercased()
        }
        var respelled = 0, doubts = 0
        for i in tokens.indices where doubtful[i] || unmarked[i] {
            let isDoubt = doubtful[i]
            // Every name that covers word i and agrees with its neighbours (doubtful or unmarked ones may change).
            var readings: [String: (start: Int, parts: [String])] = [:]
            var confirmed = false
            for length in stride(from: vocabulary.longest, through: isDoubt ? 2 : 3, by: -1) {
                for start in max(0, i - length + 1)...i where start + length <= tokens.count {
                    let window = start..<(start + length)
                    guard joinable(tokens, window) else { continue }
                    let key = VietnameseText.fold(window.map { tokens[$0].core }.joined(separator: " "))
                    for name in vocabulary.phrases[key] ?? [] {
                        let parts = name.split(separator: " ").map(String.init)
                        guard parts.count == length else { continue }
                        var exact = 0
                        let agrees = window.allSatisfy { k in
                            if k == i { return true }
                            if VietnameseText.Letters.key(parts[k - start]) == VietnameseText.Letters.key(tokens[k].core) {
                                exact += 1
                                return true
                            }
                            return isDoubt && (doubtful[k] || unmarked[k])
                        }
                        guard agrees, isDoubt || exact >= 2 else { continue }
                        let mine = VietnameseText.Letters.key(parts[i - start])
                        if mine == VietnameseText.Letters.key(tokens[i].core) { confirmed = true }
                        // The longest names fit the most neighbours: shorter ones count only without them.
                        if let any = readings.values.first, any.parts.count > length { continue }
                        readings[mine] = readings[mine] ?? (start, parts)
                    }
                }
            }
            if confirmed || (!isDoubt && readings.isEmpty) {
                doubtful[i] = false
                continue
            }
            guard readings.count == 1, let (start, parts) = readings.values.first else {
                if isDoubt { doubts += 1 }
                doubtful[i] = false
                continue
            }
            for (j, part) in parts.enumerated() {
                let k = start + j
                if VietnameseText.Letters.key(part) != VietnameseText.Letters.key(tokens[k].core) {
                    tokens[k].core = matchCase(part, like: tokens[k].core)
                    respelled += 1
                }
                doubtful[k] = false
            }
        }
        return Respelling(text: tokens.map { $0.lead + $0.core + $0.trail }.joined(separator: " "),
                          respelled: respelled, doubts: doubts)
    }

    /// Whether a word of a place or street name is a likely OCR slip of its marks.
    static func isDoubtful(_ word: String, markedElsewhere: Int, textAllCaps: Bool, vocabulary: PlaceVocabulary) -> Bool {
        guard word.count >= 2, word.allSatisfy(\.isLetter) else { return false }
        // "UBND", "TP": abbreviations in capitals within mixed-case text.
        if !textAllCaps, word == word.uppercased() { return false }
        // "Sdn", "Tnh": no vowel, no abbreviation.
        guard word.unicodeScalars.contains(where: isVowelScalar) else { return !textAllCaps && markedElsewhere >= 2 }
        if formWords.contains(VietnameseText.Letters.key(word)) { return false }
        let capitalised = word.first?.isUppercase == true
        let uses = vocabulary.uses(word)
        if !hasMarks(word) {
            // Only a name (capitalised) in text the page printed with marks.
            guard capitalised, markedElsewhere >= 2, uses.letters >= 3 else { return false }
            return Double(uses.spelling) < unmarkedShare * Double(uses.letters)
        }
        // Not a Vietnamese syllable at all ("Kiéu", "Ngé"), unless names spell it so ("Đắk").
        if uses.spelling == 0, !vocabulary.isSyllable(word) { return true }
        // A real syllable no name spells this way, where names use its letters with other marks.
        return capitalised && uses.spelling == 0 && uses.letters >= 3
    }

    /// Keys of the words of the form's fixed phrases and type words: never doubted here (`repair` spells them).
    static let formWords: Set<String> = {
        var out = Set<String>()
        for phrase in phrases + typeWords {
            for w in phrase.split(separator: " ") { out.insert(VietnameseText.Letters.key(w)) }
        }
        return out
    }()

    static func hasMarks(_ word: String) -> Bool {
        word.unicodeScalars.contains { $0.value >= 0x80 }
    }

    private static func isVowelScalar(_ s: Unicode.Scalar) -> Bool {
        if let info = VietnameseText.Letters.info(s) { return VietnameseText.Letters.isVowel(info.base) }
        return "aeiouyAEIOUY".unicodeScalars.contains(s)
    }

    /// Consecutive words with nothing but a space between them (a comma ends a name).
    private static func joinable(_ tokens: [(lead: String, core: String, trail: String)], _ window: Range<Int>) -> Bool {
        for k in window {
            let t = tokens[k]
            guard !t.core.isEmpty, t.core.allSatisfy(\.isLetter) else { return false }
            if k != window.lowerBound && !t.lead.isEmpty { return false }
            if k != window.upperBound - 1 && !t.trail.isEmpty { return false }
        }
        return true
    }

    /// `fixed` in the case the page printed `printed` in: all capitals, a capital initial, or lower case.
    static func matchCase(_ fixed: String, like printed: String) -> String {
        let letters = printed.filter(\.isLetter)
        if letters.count > 1, letters == letters.uppercased() { return fixed.uppercased() }
        if printed.first?.isUppercase == true { return fixed.prefix(1).uppercased() + fixed.dropFirst() }
        if printed.first?.isLowercase == true { return fixed.prefix(1).lowercased() + fixed.dropFirst() }
        return fixed
    }
}
