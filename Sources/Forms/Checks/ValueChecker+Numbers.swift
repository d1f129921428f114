extension ValueChecker {
    /// Identity numbers: 12 digits (căn cước, số định danh cá nhân) or 9 (old CMND), digits only. The number is
    /// picked out of surrounding words ("Căn cước số 025 188 001 010 do … cấp ngày …").
    static func checkId(_ raw: String, context: CheckContext) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        let runs = digitRuns(in: text)
        guard !runs.isEmpty else { return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat]) }

        var issues: [CheckIssue] = []
        var chosen: (digits: String, repaired: Bool)?
        for length in [12, 9] where chosen == nil {
            for run in runs {
                if let window = run.windows(ofLength: length).first {
                    chosen = (window, run.repaired)
                    break
                }
                // "|" read for a "1" between digits: count it as a digit when that makes the length.
                if length == 12, run.pipes > 0, run.digits.count + run.pipes == length {
                    chosen = (run.digitsWithPipesAsOnes, true)
                    break
                }
            }
        }
        guard let (digits, repaired) = chosen else {
            let longest = runs.max { $0.digits.count < $1.digits.count }!
            return CheckedValue(value: longest.digits, plausibility: 0.15, issues: [.badIdLength])
        }
        var p = digits.count == 12 ? Level.checked : 0.7
        if repaired {
            issues.append(.ocrCharsRepaired)
            p = min(p, Level.repaired)
        }
        if digits.count == 12 {
            let structural = CrossChecks.identity(id: digits, sex: nil, birthYear: nil)
            issues += structural
            if !structural.isEmpty { p = min(p, 0.2) }
            if let year = CrossChecks.birthYear(fromId: digits), year > context.today.year {
                issues.append(.badCenturyDigit)
                p = min(p, 0.2)
            }
        }
        let others = Set(runs.flatMap { $0.windows(ofLength: digits.count) }).subtracting([digits])
        if !others.isEmpty {
            issues.append(.ambiguous)
            p = min(p, 0.4)
        }
        return CheckedValue(value: digits, plausibility: p, issues: issues)
    }

    /// Phone numbers: digits only, "+84" → "0". Mobile: 10 digits with a mobile prefix; landline: 11 digits 02x.
    static func checkPhone(_ raw: String) -> CheckedValue {
        var text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        if let plus = text.firstMatch(of: #/\(?\+\s*84\s*\)?[\s.\-]*(?:\(0\))?\s*/#) {
            text.replaceSubrange(plus.range, with: "0")
        }
        let runs = digitRuns(in: text)
        guard !runs.isEmpty else { return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat]) }

        var candidates: [(digits: String, repaired: Bool)] = []
        for run in runs {
            for window in run.windows(ofLength: 10) + run.windows(ofLength: 11) {
                var digits = window
                if digits.count == 11, digits.hasPrefix("84"), let third = digits.dropFirst(2).first,
                    "35789".contains(third)
                {
                    digits = "0" + digits.dropFirst(2)
                }
                if isMobile(digits) || isLandline(digits) { candidates.append((digits, run.repaired)) }
            }
        }
        guard let best = candidates.first else {
            let longest = runs.max { $0.digits.count < $1.digits.count }!
            let digits = longest.digits
            let lengthOK = digits.count == 10 || (digits.count == 11 && digits.hasPrefix("02"))
            return CheckedValue(
                value: digits, plausibility: 0.15, issues: [lengthOK ? .badPhonePrefix : .badPhoneLength])
        }
        var issues: [CheckIssue] = []
        var p = isMobile(best.digits) ? Level.checked : 0.85
        if best.repaired {
            issues.append(.ocrCharsRepaired)
            p = min(p, Level.repaired)
        }
        if Set(candidates.map(\.digits)).count > 1 {
            issues.append(.ambiguous)
            p = min(p, 0.5)
        }
        return CheckedValue(value: best.digits, plausibility: p, issues: issues)
    }

    /// Mobile prefixes in use since the 2018 renumbering.
    static let mobilePrefixes: Set<String> = [
        "032", "033", "034", "035", "036", "037", "038", "039",
        "052", "055", "056", "058", "059",
        "070", "076", "077", "078", "079",
        "081", "082", "083", "084", "085", "086", "087", "088", "089",
        "090", "091", "092", "093", "094", "096", "097", "098", "099",
    ]

    static func isMobile(_ digits: String) -> Bool {
        digits.count == 10 && mobilePrefixes.contains(String(digits.prefix(3)))
    }

    static func isLandline(_ digits: String) -> Bool {
        digits.count == 11 && digits.hasPrefix("02") && digits.dropFirst(2).first != "0"
    }
}
