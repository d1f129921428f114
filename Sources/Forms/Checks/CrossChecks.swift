/// Checks between fields of one form, and readings that corroborate another reading.
public enum CrossChecks {
    /// Issues between a 12-digit personal id and the holder's sex ("Nam"/"Nữ") and birth year when known.
    /// Digits 1–3 are a province code that exists; digit 4 is the century and sex (0/1: born 1900–1999
    /// male/female, 2/3: 2000–2099 male/female); digits 5–6 are the last two digits of the birth year.
    /// A 9-digit old identity card number carries none of this and gives no issues; any other length gives
    /// `badIdLength`.
    public static func identity(id: String, sex: String?, birthYear: Int?) -> [CheckIssue] {
        let digits = Array(id.filter { !$0.isWhitespace && $0 != "." && $0 != "-" })
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return [.badFormat] }
        if digits.count == 9 { return [] }
        guard digits.count == 12 else { return [.badIdLength] }
        var issues: [CheckIssue] = []
        if !provinceCodes.contains(String(digits[0..<3])) { issues.append(.badProvinceCode) }
        let centuryDigit = Int(String(digits[3]))!
        guard centuryDigit <= 3 else {
            issues.append(.badCenturyDigit)
            return issues
        }
        let female = centuryDigit % 2 == 1
        if let sex {
            switch VietnameseText.fold(sex) {
            case "nam" where female, "nu" where !female: issues.append(.idCenturySexMismatch)
            default: break
            }
        }
        if let birthYear {
            let idYear = (centuryDigit < 2 ? 1900 : 2000) + Int(String(digits[4..<6]))!
            if idYear != birthYear { issues.append(.idBirthYearMismatch) }
        }
        return issues
    }

    /// The dates that break the form's order, as the key of the date the signing (`signing`) conflicts with:
    /// the signing itself when it is after today; another date of the form after the signing; a birth on the
    /// signing day (a child's may fall on it); a birth year after the signing year. `dates` and `birthYears` are
    /// by field key.
    public static func dateOrder(dates: [String: SimpleDate], birthYears: [String: Int], signing: String,
                                 today: SimpleDate) -> [String] {
        guard let signed = dates[signing] else { return [] }
        var keys = Set<String>()
        if signed > today { keys.insert(signing) }
        for (key, date) in dates where key != signing {
            let childBirth = key.hasPrefix("child.")
            if date > signed || (!childBirth && date == signed) { keys.insert(key) }
        }
        for (key, year) in birthYears where year > signed.year { keys.insert(key) }
        return keys.sorted()
    }

    /// The birth year a 12-digit id encodes (digit 4 century, digits 5–6 year), nil for other ids.
    public static func birthYear(fromId id: String) -> Int? {
        let digits = Array(id)
        guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let century = Int(String(digits[3])), century <= 3, let yy = Int(String(digits[4..<6]))
        else { return nil }
        return (century < 2 ? 1900 : 2000) + yy
    }

    /// Province codes that start personal id numbers: the 63 provinces before the 2025 merger (the 34 current
    /// provinces kept codes from this list).
    static let provinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
        "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
        "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
        "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]

    /// Parses a date written in Vietnamese words: "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm",
    /// "mùng một tháng giêng năm hai nghìn hai mươi tư". Accepts mốt, tư, lăm/năm, linh/lẻ, mươi/mười,
    /// nghìn/ngàn, tháng giêng/chạp, and text without diacritics. Text before the day and after the year is
    /// ignored. Nil unless day, month and year are all there and make a real date.
    public static func dateInWords(_ s: String) -> SimpleDate? {
        let t = VietnameseText.fold(s).split(separator: " ").map(String.init)
        let numberWords = VietnameseText.NumberWords.words
        for k in t.indices where t[k] == "thang" {
            // Day: the number words just before "tháng" (after "ngày", "mùng").
            var start = k
            while start > t.startIndex, numberWords.contains(t[start - 1]) { start -= 1 }
            guard let day = VietnameseText.NumberWords.parse(t[start..<k]) else { continue }
            // Month and year: split at a "năm" after which the words make a year.
            var j = k + 2
            while j < t.count {
                defer { j += 1 }
                guard t[j] == "nam", let month = month(t[(k + 1)..<j]) else { continue }
                var end = j + 1
                while end < t.count, numberWords.contains(t[end]) { end += 1 }
                guard let year = VietnameseText.NumberWords.parse(t[(j + 1)..<end]), year >= 1000 else { continue }
                if let date = SimpleDate(year: year, month: month, day: day) { return date }
            }
        }
        return nil
    }

    private static func month(_ tokens: ArraySlice<String>) -> Int? {
        switch Array(tokens) {
        case ["gieng"]: return 1
        case ["chap"]: return 12
        default:
            guard let n = VietnameseText.NumberWords.parse(tokens), (1...12).contains(n) else { return nil }
            return n
        }
    }
}
