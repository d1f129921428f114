import Foundation

/// Place and street names with their diacritics, for telling a syllable OCR stripped of its marks ("Phan Dinh
/// Phung") or gave wrong ones ("Kiéu") from a real spelling, and for putting the marks back when only one name fits.
/// Built from the administrative units (current and legacy: provinces, districts, communes/wards) and the street
/// names and syllable list in `Resources/vocabulary/` (their headers say where they come from).
final class PlaceVocabulary: Sendable {
    static let shared = PlaceVocabulary.bundled()

    /// Folded names of two or more syllables ("phan dinh phung") → their spellings (NFC, as printed in the source).
    let phrases: [String: [String]]
    /// Folded syllable → spelling key (`Letters.key`: marks kept, case and tone placement ignored) → how many
    /// names use that spelling.
    let syllableCounts: [String: [String: Int]]
    /// Spelling keys of every Vietnamese syllable (from the syllable list).
    let syllables: Set<String>
    /// The longest name, in syllables.
    let longest: Int

    init(names: [String], syllableList: [String]) {
        var phrases: [String: [String]] = [:]
        var counts: [String: [String: Int]] = [:]
        var longest = 2
        for name in names {
            let words = name.split(separator: " ").map(String.init)
            for w in words where w.allSatisfy(\.isLetter) {
                counts[VietnameseText.fold(w), default: [:]][VietnameseText.Letters.key(w), default: 0] += 1
            }
            guard words.count >= 2 else { continue }
            let key = VietnameseText.fold(name)
            if !(phrases[key]?.contains(name) ?? false) { phrases[key, default: []].append(name) }
            longest = max(longest, words.count)
        }
        self.phrases = phrases
        self.syllableCounts = counts
        self.syllables = Set(syllableList.map { VietnameseText.Letters.key($0) })
        self.longest = min(longest, 6)
    }

    static func bundled() -> PlaceVocabulary {
        var names: [String] = []
        func core(_ unit: AdminUnits.Unit) -> String {
            unit.official.split(separator: " ").dropFirst(unit.prefixWords).joined(separator: " ")
        }
        for tables in [AdminUnits.shared.current, AdminUnits.shared.legacy] {
            for province in tables.provinces {
                names.append(core(province.unit))
                for ward in province.wards { names.append(core(ward)) }
                for district in province.districts { names.append(core(district.unit)) }
            }
        }
        names += lines("streets")
        return PlaceVocabulary(names: names.map(VietnameseText.nfc), syllableList: lines("syllables"))
    }

    /// The entries of a list in `Resources/vocabulary/`, without its `#` header; empty when the file is missing.
    private static func lines(_ name: String) -> [String] {
        guard let url = bundledResource(name, ext: "txt", folder: "vocabulary"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// How many names spell the syllable this way, and how many use its letters with any marks.
    func uses(_ word: some StringProtocol) -> (spelling: Int, letters: Int) {
        guard let spellings = syllableCounts[VietnameseText.fold(String(word))] else { return (0, 0) }
        return (spellings[VietnameseText.Letters.key(word)] ?? 0, spellings.values.reduce(0, +))
    }

    /// Whether the word is a Vietnamese syllable (with these very marks).
    func isSyllable(_ word: some StringProtocol) -> Bool {
        syllables.isEmpty ? VietnameseText.Syllable.isWellFormed(word) : syllables.contains(VietnameseText.Letters.key(word))
    }
}
