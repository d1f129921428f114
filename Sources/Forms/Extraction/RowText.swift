import Foundation

/// A row's text folded for matching (lower case, no diacritics, no punctuation, single spaces), with a map from
/// each folded character back to the word it came from and its offset in the original text.
struct RowText {
    let row: TextRow
    /// Original characters of the row: words joined by one space.
    let original: [Character]
    /// Folded characters.
    let folded: [Character]
    /// For each folded character, its index in `original`.
    let originIndex: [Int]
    /// For each original character, the index of its word (-1 for the joining spaces).
    let wordOf: [Int]

    init(_ row: TextRow) {
        self.row = row
        var original: [Character] = []
        var wordOf: [Int] = []
        for (i, w) in row.words.enumerated() {
            if i > 0 {
                original.append(" ")
                wordOf.append(-1)
            }
            for c in w.text {
                original.append(c)
                wordOf.append(i)
            }
        }
        var folded: [Character] = []
        var originIndex: [Int] = []
        for (i, c) in original.enumerated() {
            guard let f = Fold.character(c) else { continue }
            if f == " " && (folded.last == " " || folded.isEmpty) { continue }
            folded.append(f)
            originIndex.append(i)
        }
        self.original = original
        self.folded = folded
        self.originIndex = originIndex
        self.wordOf = wordOf
    }

    /// Original text from original index `from` (inclusive) to `to` (exclusive).
    func text(_ from: Int, _ to: Int) -> String {
        guard from < to, from >= 0, to <= original.count else { return "" }
        return String(original[from..<to])
    }

    /// Words touched by original characters in `from..<to`.
    func words(_ from: Int, _ to: Int) -> [TextWord] {
        guard from < to else { return [] }
        var seen = Set<Int>()
        var out: [TextWord] = []
        for i in from..<min(to, wordOf.count) where wordOf[i] >= 0 && !seen.contains(wordOf[i]) {
            seen.insert(wordOf[i])
            out.append(row.words[wordOf[i]])
        }
        return out
    }

    /// Original index where folded position `f` starts (or the row's end).
    func originalStart(ofFolded f: Int) -> Int {
        f < originIndex.count ? originIndex[f] : original.count
    }

    /// Original index just past folded position `f - 1`.
    func originalEnd(ofFolded f: Int) -> Int {
        f == 0 ? 0 : (f - 1 < originIndex.count ? originIndex[f - 1] + 1 : original.count)
    }
}

/// Folding of single characters for matching.
enum Fold {
    static func character(_ c: Character) -> Character? {
        if c == "đ" || c == "Đ" { return "d" }
        if c.isWhitespace { return " " }
        var base: Character?
        for scalar in String(c).decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                base = Character(String(scalar).lowercased())
                break
            }
        }
        guard let base, base.isLetter || base.isNumber else { return nil }
        return base
    }

    static func string(_ s: String) -> [Character] {
        var out: [Character] = []
        for c in s {
            guard let f = character(c) else { continue }
            if f == " " && (out.last == " " || out.isEmpty) { continue }
            out.append(f)
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}

/// An approximate occurrence of a phrase in a row.
struct PhraseMatch {
    /// Folded range in the row.
    var start: Int
    var end: Int
    var distance: Int
    var length: Int
    var score: Double { 1 - Double(distance) / Double(max(1, length)) }
}

enum PhraseMatcher {
    /// Best approximate occurrence of `pattern` (folded) in `text` (folded), by edit distance with free ends
    /// in the text (Sellers). Prefers occurrences that start at a word boundary.
    static func find(_ pattern: [Character], in text: [Character]) -> PhraseMatch? {
        let m = pattern.count, n = text.count
        guard m > 0, n > 0 else { return nil }
        var prev = [Int](repeating: 0, count: n + 1)
        var prevStart = Array(0...n)
        var cur = [Int](repeating: 0, count: n + 1)
        var curStart = [Int](repeating: 0, count: n + 1)
        for i in 1...m {
            cur[0] = i
            curStart[0] = 0
            let p = pattern[i - 1]
            for j in 1...n {
                let sub = prev[j - 1] + (p == text[j - 1] ? 0 : 1)
                let del = prev[j] + 1
                let ins = cur[j - 1] + 1
                if sub <= del && sub <= ins {
                    cur[j] = sub
                    curStart[j] = prevStart[j - 1]
                } else if del <= ins {
                    cur[j] = del
                    curStart[j] = prevStart[j]
                } else {
                    cur[j] = ins
                    curStart[j] = curStart[j - 1]
                }
            }
            swap(&prev, &cur)
            swap(&prevStart, &curStart)
        }
        var best: PhraseMatch?
        for j in 1...n {
            var start = prevStart[j]
            var d = prev[j]
            // A match that starts mid-word costs one more edit.
            if start > 0 && text[start - 1] != " " { d += 1 }
            // Skip a leading space inside the match.
            while start < j && text[start] == " " { start += 1 }
            let candidate = PhraseMatch(start: start, end: j, distance: d, length: m)
            if best == nil || d < best!.distance || (d == best!.distance && j - start > best!.end - best!.start) {
                best = candidate
            }
        }
        return best
    }

    /// Whether a match is good enough for a phrase of this length.
    static func accepts(_ match: PhraseMatch, minScore: Double = 0.8) -> Bool {
        switch match.length {
        case ..<5: return match.distance == 0
        case ..<9: return match.distance <= 1
        default: return match.score >= minScore
        }
    }
}
