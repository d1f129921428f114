extension VietnameseText {
    /// The Vietnamese letters split into their parts: the base vowel with its quality mark (ă â ê ô ơ ư), the tone
    /// (0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng) and the fully folded ASCII letter. Works on Unicode scalars,
    /// so precomposed (NFC) and decomposed (NFD) input give the same results.
    enum Letters {
        struct Info: Sendable {
            let base: Unicode.Scalar
            let tone: Int
            let folded: Unicode.Scalar
        }

        /// Indexed by scalar value below U+1F00; nil for scalars that are not Vietnamese letters with marks.
        static let table: [Info?] = {
            let rows: [(String, Unicode.Scalar)] = [
                ("aàáảãạ", "a"), ("ăằắẳẵặ", "a"), ("âầấẩẫậ", "a"), ("eèéẻẽẹ", "e"), ("êềếểễệ", "e"),
                ("iìíỉĩị", "i"), ("oòóỏõọ", "o"), ("ôồốổỗộ", "o"), ("ơờớởỡợ", "o"), ("uùúủũụ", "u"),
                ("ưừứửữự", "u"), ("yỳýỷỹỵ", "y"),
            ]
            var table = [Info?](repeating: nil, count: 0x1F00)
            for (row, folded) in rows {
                let letters = Array(row.unicodeScalars)
                for (tone, letter) in letters.enumerated() {
                    let info = Info(base: letters[0], tone: tone, folded: folded)
                    table[Int(letter.value)] = info
                    for upper in letter.properties.uppercaseMapping.unicodeScalars where upper.value < 0x1F00 {
                        table[Int(upper.value)] = info
                    }
                }
            }
            table[0x111] = Info(base: "đ", tone: 0, folded: "d")  // đ
            table[0x110] = Info(base: "đ", tone: 0, folded: "d")  // Đ
            for ascii in 0..<0x80 { table[ascii] = nil }  // plain ASCII goes through the callers' fast paths
            return table
        }()

        @inline(__always)
        static func info(_ s: Unicode.Scalar) -> Info? {
            s.value < 0x1F00 ? table[Int(s.value)] : nil
        }

        /// Combining tone marks → tone number.
        static func toneMark(_ s: Unicode.Scalar) -> Int? {
            switch s.value {
            case 0x300, 0x340: 1
            case 0x301, 0x341: 2
            case 0x309: 3
            case 0x303: 4
            case 0x323: 5
            default: nil
            }
        }

        /// A base vowel with a combining quality mark (circumflex, breve, horn) → the precomposed vowel.
        static func withQuality(_ base: Unicode.Scalar, _ mark: Unicode.Scalar) -> Unicode.Scalar? {
            switch (base, mark.value) {
            case ("a", 0x302): "â"
            case ("a", 0x306): "ă"
            case ("e", 0x302): "ê"
            case ("o", 0x302): "ô"
            case ("o", 0x31B): "ơ"
            case ("u", 0x31B): "ư"
            default: nil
            }
        }

        static func isVowel(_ s: Unicode.Scalar) -> Bool {
            "aăâeêioôơuưy".unicodeScalars.contains(s)
        }

        /// Lower case with quality marks, tone marks taken off; and the tones found.
        /// "Hoà" → ("hoa", [1]); "NGUYỄN" → ("nguyên", [4]).
        static func split(_ word: some StringProtocol) -> (base: String, tones: [Int]) {
            var scalars = String.UnicodeScalarView()
            var tones: [Int] = []
            for s in word.unicodeScalars {
                if s.value < 0x80 {
                    scalars.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
                } else if let info = info(s) {
                    scalars.append(info.base)
                    if info.tone != 0 { tones.append(info.tone) }
                } else if let tone = toneMark(s), let last = scalars.last, isVowel(last) {
                    tones.append(tone)
                } else if (0x300...0x36F).contains(s.value) {
                    if let last = scalars.last, let composed = withQuality(last, s) {
                        scalars.removeLast()
                        scalars.append(composed)
                    } else {
                        scalars.append(s)  // a mark where Vietnamese has none: keep it, so the word is malformed
                    }
                } else {
                    scalars.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
                }
            }
            return (String(scalars), tones)
        }

        /// A comparison key that keeps every diacritic but ignores case and where the tone mark sits
        /// ("Hoà" = "Hòa" = "HOÀ" → "hoa1"; "Thuỷ" = "Thủy" → "thuy3").
        static func key(_ word: some StringProtocol) -> String {
            let (base, tones) = split(word)
            return tones.isEmpty ? base : base + tones.map(String.init).joined()
        }
    }
}
