extension ValueChecker {
    /// What was found in a date field's text.
    struct DateReading {
        /// The first date in digits, nil when the digits do not make a calendar date.
        var date: SimpleDate?
        /// The digits were there (a date shape) even if `date` is nil.
        var foundShape: Bool
        var repaired: Bool
        var twoDigitYear: Bool
        /// Another, different date in digits in the same text.
        var ambiguous: Bool
        /// The date written in words ("ghi bằng chữ"), when present.
        var words: SimpleDate?
    }

    static func checkDate(_ raw: String, context: CheckContext) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        guard let reading = parseDate(text) else {
            return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat])
        }
        if reading.twoDigitYear {
            return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat])
        }
        var issues: [CheckIssue] = []
        var p: Double
        let date: SimpleDate
        if reading.foundShape {
            guard let d = reading.date else {
                return CheckedValue(value: nil, plausibility: 0, issues: [.notACalendarDate])
            }
            date = d
            p = context.dateRole == .any ? 0.85 : Level.checked
            if let words = reading.words {
                if words == d {
                    p = Level.corroborated
                } else {
                    issues.append(.wordsDateDisagrees)
                    p = 0.2
                }
            }
        } else if let words = reading.words {
            date = words
            p = Level.wellFormed
        } else {
            return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat])
        }
        if reading.repaired {
            issues.append(.ocrCharsRepaired)
            p = min(p, Level.repaired)
        }
        if reading.ambiguous {
            issues.append(.ambiguous)
            p = min(p, 0.4)
        }
        if date.year < 1900 {
            issues.append(.yearOutOfRange)
            p = min(p, 0.2)
        } else if !isPlausible(date, role: context.dateRole, today: context.today) {
            issues.append(.implausibleDate)
            p = min(p, Level.failed)
        }
        return CheckedValue(value: date.iso, plausibility: p, issues: issues)
    }

    static func isPlausible(_ date: SimpleDate, role: DateRole, today: SimpleDate) -> Bool {
        guard date <= today else { return false }
        switch role {
        case .any: return date.year >= 1900
        case .childBirth: return date > today.addingYears(-6)
        case .adultBirth: return (14...110).contains(date.fullYears(until: today))
        case .signing: return date >= today.addingYears(-2)
        }
    }

    /// Reads "dd/mm/yyyy", "d-m-yyyy", "dd.mm.yyyy", "yyyy-mm-dd", "dd mm yyyy", "ngày 05 tháng 3 năm 1990" (with
    /// OCR letters among the digits), and a date in words after "bằng chữ" or after the digits. Nil when the text
    /// holds no date at all.
    static func parseDate(_ text: String) -> DateReading? {
        let original = Array(text)
        let shadow = String(original.map(dateShadow))
        var numericPart = shadow
        var wordsPart: String?
        if let label = shadow.firstMatch(of: #/bang\s*chu/#) {
            let offset = shadow.distance(from: shadow.startIndex, to: label.range.lowerBound)
            let end = shadow.distance(from: shadow.startIndex, to: label.range.upperBound)
            numericPart = String(shadow.prefix(offset))
            wordsPart = String(original[end...])
        }

        // A digit, or a letter OCR reads for one; the day, month and year groups; what may stand around them.
        let d = "[0-9OoIl|SBZ]"
        let (dd, yyyy) = ("(\(d){1,2})", "(\(d){4})")
        let sep = #"\s*[/.\-]\s*"#
        let (lead, trail) = ("(?:^|[^0-9A-Za-z])", "(?![0-9A-Za-z])")
        let (ngay, thang, nam) = (#"(?i:ngay)\s*(?:(?i:mung|mong)\s*)?"#, #"\s*(?i:thang)\s*"#, #"\s*(?i:nam)\s*"#)
        let sources: [(pattern: String, order: (day: Int, month: Int, year: Int))] = [
            (ngay + dd + thang + dd + nam + yyyy + "(?![0-9])", (1, 2, 3)),  // ngày 05 tháng 3 năm 1990
            (lead + yyyy + #"\s*-\s*"# + dd + #"\s*-\s*"# + dd + trail, (3, 2, 1)),  // 1990-03-05
            (lead + dd + sep + dd + sep + yyyy + trail, (1, 2, 3)),  // 05/03/1990, 5-3-1990, 05.03.1990
            (lead + dd + thang + dd + nam + yyyy + "(?![0-9])", (1, 2, 3)),  // 05 tháng 3 năm 1990
            (#"(?:^|[^0-9A-Za-z|])([0-9]{2})\s+([0-9]{2})\s+([0-9]{4})"# + trail, (1, 2, 3)),  // 05 03 1990
        ]
        let patterns = sources.map { (regex: try! Regex($0.pattern), order: $0.order) }
        struct Found {
            var position: Int
            var end: Int
            var day: String, month: String, year: String
        }
        var found: [Found] = []
        for (regex, order) in patterns {
            for match in numericPart.matches(of: regex) {
                guard let dayS = match.output[order.0].substring, let monthS = match.output[order.1].substring,
                    let yearS = match.output[order.2].substring
                else { continue }
                let all = String(dayS) + String(monthS) + String(yearS)
                guard all.filter({ $0.isASCII && $0.isNumber }).count >= 4 else { continue }
                let position = numericPart.distance(from: numericPart.startIndex, to: match.range.lowerBound)
                let end = numericPart.distance(from: numericPart.startIndex, to: match.range.upperBound)
                if found.contains(where: { position < $0.end && $0.position < end }) { continue }
                found.append(
                    Found(position: position, end: end, day: String(dayS), month: String(monthS), year: String(yearS)))
            }
        }
        found.sort { $0.position < $1.position }

        // A two-digit year ("05/03/90"): a date shape, but the century is a guess.
        if found.isEmpty,
            numericPart.firstMatch(of: #/(?:^|[^0-9])[0-9]{1,2}\s*[\/.\-]\s*[0-9]{1,2}\s*[\/.\-]\s*[0-9]{2}(?![0-9])/#)
                != nil
        {
            return DateReading(
                date: nil, foundShape: true, repaired: false, twoDigitYear: true, ambiguous: false, words: nil)
        }

        var reading = DateReading(
            date: nil, foundShape: false, repaired: false, twoDigitYear: false, ambiguous: false, words: nil)
        if let first = found.first {
            reading.foundShape = true
            let (day, r1) = repairDigits(first.day)
            let (month, r2) = repairDigits(first.month)
            let (year, r3) = repairDigits(first.year)
            reading.repaired = r1 || r2 || r3
            if let dd = Int(day), let mm = Int(month), let yy = Int(year) {
                reading.date = SimpleDate(year: yy, month: mm, day: dd)
            }
            let others = found.dropFirst().compactMap { f -> SimpleDate? in
                guard let dd = Int(repairDigits(f.day).0), let mm = Int(repairDigits(f.month).0),
                    let yy = Int(repairDigits(f.year).0)
                else { return nil }
                return SimpleDate(year: yy, month: mm, day: dd)
            }
            reading.ambiguous = others.contains { $0 != reading.date }
            if wordsPart == nil { wordsPart = String(original[first.end...]) }
        } else if wordsPart == nil {
            wordsPart = text
        }
        if let words = wordsPart { reading.words = CrossChecks.dateInWords(words) }
        if !reading.foundShape && reading.words == nil { return nil }
        return reading
    }

    /// Same length as the input, one Character each: letters folded to lower-case ASCII, except the letters OCR
    /// confuses with digits, which are kept as they are so that the patterns can accept them among digits.
    private static func dateShadow(_ c: Character) -> Character {
        if "OoIl|SBZ".contains(c) { return c }
        if c.isLetter { return VietnameseText.fold(String(c)).first ?? c }
        return c
    }

    private static func repairDigits(_ s: String) -> (String, Bool) {
        let map: [Character: Character] = [
            "O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8", "Z": "2",
        ]
        var repaired = false
        let out = String(
            s.map { c -> Character in
                if let d = map[c] {
                    repaired = true
                    return d
                }
                return c
            })
        return (out, repaired)
    }
}
