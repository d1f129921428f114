extension ValueChecker {
    /// A run of digits in text as OCR reads it: "025 188 001 010", "0912.345.678", "O25l88..." (letters that
    /// OCR confuses with digits count as digits when they sit among digits).
    struct DigitRun: Equatable {
        /// One entry per token of the run, so that a run can be cut on token boundaries.
        var tokens: [String]
        /// Whether some token had a letter turned into a digit.
        var repaired: Bool
        /// How many "|" stand before each token (box borders, or a misread "1"); 0 for the first.
        var pipesBefore: [Int]

        var pipes: Int { pipesBefore.reduce(0, +) }

        /// The digits with every "|" read as "1".
        var digitsWithPipesAsOnes: String {
            zip(tokens, pipesBefore).map { String(repeating: "1", count: $1) + $0 }.joined()
        }

        var digits: String { tokens.joined() }

        /// Runs of consecutive tokens (from `tokens`) whose digits add up to exactly `length`.
        func windows(ofLength length: Int) -> [String] {
            var found: [String] = []
            for start in tokens.indices {
                var count = 0
                var end = start
                while end < tokens.count, count < length {
                    count += tokens[end].count
                    end += 1
                }
                if count == length { found.append(tokens[start..<end].joined()) }
            }
            return found
        }
    }

    /// The confusions accepted inside runs of digits. Kept to the common, unambiguous ones.
    private static let runConfusables: [Character: Character] = [
        "O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8", "Z": "2",
    ]

    /// Finds runs of digits. Tokens are split by anything that is not a letter or digit; consecutive numeric
    /// tokens separated only by spaces, dots, dashes or "|" form one run.
    static func digitRuns(in text: String) -> [DigitRun] {
        let chars = Array(text)
        struct Token {
            var chars: [Character]
            var gapBefore: [Character]
        }
        var tokens: [Token] = []
        var gap: [Character] = []
        var current: [Character] = []
        for c in chars {
            if c.isLetter || c.isNumber {
                current.append(c)
            } else {
                if !current.isEmpty {
                    tokens.append(Token(chars: current, gapBefore: gap))
                    current = []
                    gap = []
                }
                gap.append(c)
            }
        }
        if !current.isEmpty { tokens.append(Token(chars: current, gapBefore: gap)) }

        func hasDigit(_ t: Token) -> Bool { t.chars.contains { $0.isASCII && $0.isNumber } }
        func digitLike(_ t: Token) -> Bool {
            t.chars.allSatisfy { ($0.isASCII && $0.isNumber) || runConfusables[$0] != nil }
        }
        let joiners: Set<Character> = [" ", ".", "-", "|", "\u{00A0}"]
        func joins(_ gap: [Character]) -> Bool { gap.count <= 3 && gap.allSatisfy(joiners.contains) }

        var numeric = [Bool](repeating: false, count: tokens.count)
        for (i, t) in tokens.enumerated() where digitLike(t) {
            if hasDigit(t) {
                numeric[i] = true
            } else if t.chars.count <= 2 {
                // A lone "O" or "l" between digit groups ("0 2 5 O 8 8" read from boxes).
                let before = i > 0 && joins(t.gapBefore) && hasDigit(tokens[i - 1]) && digitLike(tokens[i - 1])
                let after =
                    i + 1 < tokens.count && joins(tokens[i + 1].gapBefore) && hasDigit(tokens[i + 1])
                    && digitLike(tokens[i + 1])
                numeric[i] = before && after
            }
        }

        var runs: [DigitRun] = []
        var run: DigitRun?
        for (i, t) in tokens.enumerated() {
            guard numeric[i] else {
                if let r = run { runs.append(r) }
                run = nil
                continue
            }
            var repaired = false
            let digits = String(
                t.chars.map { c -> Character in
                    if let d = runConfusables[c] {
                        repaired = true
                        return d
                    }
                    return c
                })
            let pipes = t.gapBefore.filter { $0 == "|" }.count
            if var r = run, joins(t.gapBefore) {
                r.tokens.append(digits)
                r.pipesBefore.append(pipes)
                r.repaired = r.repaired || repaired
                run = r
            } else {
                if let r = run { runs.append(r) }
                run = DigitRun(tokens: [digits], repaired: repaired, pipesBefore: [0])
            }
        }
        if let r = run { runs.append(r) }
        return runs
    }
}
