extension VietnameseText {
    /// Numbers written in Vietnamese words, on folded tokens ("hai nghin khong tram hai muoi lam" → 2025).
    /// Handles mười/mươi, mốt, tư, lăm/năm/nhăm after tens, linh/lẻ, trăm, nghìn/ngàn, and a bare run of
    /// digit words ("hai khong hai tu" → 2024).
    enum NumberWords {
        static let words: Set<String> = [
            "khong", "mot", "hai", "ba", "bon", "tu", "nam", "lam", "nham", "sau", "bay", "tam", "chin",
            "muoi", "tram", "nghin", "ngan", "linh", "le",
        ]

        static func parse(_ tokens: some Collection<String>) -> Int? {
            let t = Array(tokens)
            guard !t.isEmpty, t.allSatisfy(words.contains) else { return nil }
            if let i = t.firstIndex(where: { $0 == "nghin" || $0 == "ngan" }) {
                guard let thousands = below1000(t[..<i]), thousands > 0 else { return nil }
                let rest = t[(i + 1)...]
                if rest.isEmpty { return thousands * 1000 }
                guard let tail = below1000(rest, afterHigher: true) else { return nil }
                return thousands * 1000 + tail
            }
            if t.count >= 2, t.count <= 4, t.allSatisfy({ digit($0) != nil }) {
                return t.reduce(0) { $0 * 10 + digit($1)! }
            }
            return below1000(t[...])
        }

        /// 0–9 as a word on its own ("tư" is 4 in "tháng tư"; "lăm" never stands alone).
        static func digit(_ w: String) -> Int? {
            switch w {
            case "khong": 0
            case "mot": 1
            case "hai": 2
            case "ba": 3
            case "bon", "tu": 4
            case "nam": 5
            case "sau": 6
            case "bay": 7
            case "tam": 8
            case "chin": 9
            default: nil
            }
        }

        /// The units word after a tens word: "mốt" 1, "tư" 4, "lăm"/"năm"/"nhăm" 5.
        private static func unitAfterTens(_ w: String) -> Int? {
            switch w {
            case "lam", "nham": 5
            case "khong": nil
            default: digit(w)
            }
        }

        private static func below1000(_ t: ArraySlice<String>, afterHigher: Bool = false) -> Int? {
            if let i = t.firstIndex(of: "tram") {
                guard i == t.startIndex + 1, let hundreds = digit(t[t.startIndex]) else { return nil }
                let rest = t[(i + 1)...]
                if rest.isEmpty { return hundreds * 100 }
                guard let tail = below100(rest, afterHigher: true) else { return nil }
                return hundreds * 100 + tail
            }
            return below100(t, afterHigher: afterHigher)
        }

        private static func below100(_ t: ArraySlice<String>, afterHigher: Bool) -> Int? {
            let w = Array(t)
            switch w.count {
            case 1:
                if w[0] == "muoi" { return 10 }
                return digit(w[0])
            case 2:
                if (w[0] == "linh" || w[0] == "le") && afterHigher, let d = digit(w[1]), d > 0 { return d }
                if w[0] == "muoi", let u = unitAfterTens(w[1]), u > 0 { return 10 + u }
                if w[1] == "muoi", let tens = digit(w[0]), tens >= 2 { return tens * 10 }
                return nil
            case 3:
                guard w[1] == "muoi", let tens = digit(w[0]), tens >= 2, let u = unitAfterTens(w[2]), u > 0
                else { return nil }
                return tens * 10 + u
            default:
                return nil
            }
        }
    }
}
