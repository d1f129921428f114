import Foundation

/// Text clean-up and comparison for Vietnamese as printed on forms and as read by OCR.
public enum VietnameseText {
    /// The form a value is stored in: Unicode NFC, whitespace runs collapsed to one space and trimmed, dot
    /// leaders removed ("....", "…", "___", "·····", runs of two or more of `. , : ; - _` even with single
    /// spaces between them), a leading `:` `;` `,` `.` `-` and a trailing `,` `;` `:` `-` removed.
    /// Single punctuation inside the text ("05.03.1990", "Bà Rịa - Vũng Tàu", "an.nguyen@") is kept.
    public static func normalize(_ s: String) -> String {
        let chars = Array(nfc(s))
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if invisible.contains(c) {
                i += 1
                continue
            }
            if leaderChars.contains(c) {
                // A run of leader characters, allowing one space between them.
                var j = i + 1
                var count = 1
                while j < chars.count {
                    if leaderChars.contains(chars[j]) {
                        count += 1
                        j += 1
                    } else if chars[j].isWhitespace, j + 1 < chars.count, leaderChars.contains(chars[j + 1]) {
                        j += 1
                    } else {
                        break
                    }
                }
                if count >= 2 || alwaysLeader.contains(c) {
                    out.append(" ")
                } else {
                    out.append(c)
                }
                i = j
                continue
            }
            out.append(c.isWhitespace ? " " : c)
            i += 1
        }
        var result = collapseSpaces(out)
        while true {
            let before = result
            if let first = result.first, leadingJunk.contains(first) {
                result = String(result.dropFirst()).trimmingCharacters(in: .whitespaces)
            }
            if let last = result.last, trailingJunk.contains(last) {
                result = String(result.dropLast()).trimmingCharacters(in: .whitespaces)
            }
            if result == before { break }
        }
        return result
    }

    /// For matching only, never for display: lower case, every diacritic removed, đ → d, NFC, apostrophes
    /// dropped ("H'Mông" → "hmong"), other characters that are not letters or digits turned into spaces,
    /// whitespace collapsed and trimmed. "Họ, chữ đệm,tên:" → "ho chu dem ten".
    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        func emit(_ c: Unicode.Scalar) {
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        for c in s.unicodeScalars {
            let v = c.value
            if v < 0x80 {
                switch v {
                case 0x61...0x7A, 0x30...0x39: emit(c)
                case 0x41...0x5A: emit(Unicode.Scalar(v + 32)!)
                case 0x27, 0x60: break  // ' and `
                default: pendingSpace = true
                }
            } else if (0x300...0x36F).contains(v) {
                continue  // a combining mark of decomposed text
            } else if let letter = Letters.info(c) {
                emit(letter.folded)
            } else if apostropheScalars.contains(v) {
                continue
            } else if c.properties.isAlphabetic || c.properties.numericType != nil {
                for f in genericFold(c) { emit(f) }
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// 1 − (Levenshtein distance over Characters ÷ the longer length); 1 for two empty strings.
    public static func similarity(_ a: String, _ b: String) -> Double {
        similarity(Array(a), Array(b))
    }

    static func similarity(_ a: [Character], _ b: [Character]) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(levenshtein(a, b)) / Double(longer)
    }

    /// Edit distance (insertions, deletions, substitutions of Characters).
    public static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    // MARK: - Internals

    /// `fold` over UTF-8 bytes, for bulk data (the admin-unit tables) where String work would dominate.
    static func fold(utf8 b: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var pendingSpace = false
        var i = b.startIndex
        while i < b.endIndex {
            let c0 = b[i]
            var v: UInt32
            var length: Int
            if c0 < 0x80 {
                v = UInt32(c0)
                length = 1
            } else if c0 & 0xE0 == 0xC0, i + 1 < b.endIndex {
                v = UInt32(c0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                length = 2
            } else if c0 & 0xF0 == 0xE0, i + 2 < b.endIndex {
                v = UInt32(c0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                length = 3
            } else if c0 & 0xF8 == 0xF0, i + 3 < b.endIndex {
                v =
                    UInt32(c0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                    | UInt32(b[i + 3] & 0x3F)
                length = 4
            } else {
                v = 0xFFFD
                length = 1
            }
            i += length
            var ascii: UInt8 = 0
            switch v {
            case 0x61...0x7A, 0x30...0x39: ascii = UInt8(v)
            case 0x41...0x5A: ascii = UInt8(v + 32)
            case 0x27, 0x60, 0x300...0x36F: continue
            case 0...0x7F:
                pendingSpace = true
                continue
            default:
                if v < 0x1F00, let letter = Letters.table[Int(v)] {
                    ascii = UInt8(truncatingIfNeeded: letter.folded.value)
                } else if apostropheScalars.contains(v) {
                    continue
                } else if let scalar = Unicode.Scalar(v),
                    scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                {
                    if pendingSpace, !out.isEmpty { out.append(0x20) }
                    pendingSpace = false
                    out.append(contentsOf: String(String.UnicodeScalarView(genericFold(scalar))).utf8)
                    continue
                } else {
                    pendingSpace = true
                    continue
                }
            }
            if pendingSpace, !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(ascii)
        }
        return out
    }

    /// `similarity` over UTF-8 bytes, for folded (ASCII) text in hot loops.
    static func similarity(bytes a: [UInt8], _ b: [UInt8]) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return 1 - Double(previous[b.count]) / Double(longer)
    }

    static func collapseSpaces(_ s: String) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Characters OCR makes of dotted lines and underscores.
    private static let leaderChars: Set<Character> = [
        ".", "…", "·", "_", ",", ":", ";", "-", "‥", "⋯", "–", "—", "•", "∙", "⋅",
    ]
    /// Leader characters that never occur alone in text.
    private static let alwaysLeader: Set<Character> = ["…", "·", "‥", "⋯", "•", "∙", "⋅"]
    private static let leadingJunk: Set<Character> = [":", ";", ",", ".", "-", "–", "—"]
    private static let trailingJunk: Set<Character> = [",", ";", ":", "-", "–", "—"]
    private static let invisible: Set<Character> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{00AD}"]
    static let apostrophes: Set<Character> = ["'", "’", "‘", "ʼ", "`", "´"]
    private static let apostropheScalars: Set<UInt32> = [0x27, 0x2019, 0x2018, 0x2BC, 0x60, 0xB4]

    /// Diacritic removal for letters outside the Vietnamese table ("ç", "ñ" in a foreign name).
    private static func genericFold(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        let decomposed = String(c).lowercased().decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.filter { !(0x0300...0x036F).contains($0.value) }
    }

    /// NFC, without the cost of a Foundation call for text that is certainly NFC already (ASCII and precomposed
    /// Vietnamese letters).
    static func nfc(_ s: String) -> String {
        let certainlyNFC = s.unicodeScalars.allSatisfy { $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }
        return certainlyNFC ? s : s.precomposedStringWithCanonicalMapping
    }
}
