import Foundation

/// Normalises a field's raw text by its type and scores how plausible the result is (README, "The draft contract",
/// value types). Pure functions: no I/O except the admin-unit and vocabulary tables loaded once.
public enum ValueChecker {
    public static func check(_ raw: String, as type: FieldType, context: CheckContext = .init()) -> CheckedValue {
        switch type {
        case .text: checkText(raw)
        case .name: checkName(raw)
        case .date: checkDate(raw, context: context)
        case .year: checkYear(raw, context: context)
        case .id: checkId(raw, context: context)
        case .phone: checkPhone(raw)
        case .email: checkEmail(raw)
        case .sex: checkSex(raw)
        case .ethnicity: checkEthnicity(raw)
        case .address: checkAddress(raw)
        case .integer: checkInteger(raw)
        }
    }

    // MARK: - Plausibility levels, in one place so that they can be tuned together

    enum Level {
        /// Every check passed and something corroborates the value.
        static let corroborated = 0.97
        /// Well formed and checked against a vocabulary or a role.
        static let checked = 0.9
        /// Well formed, nothing corroborates it.
        static let wellFormed = 0.8
        /// Matched only approximately; usable as a suggestion.
        static let approximate = 0.6
        /// OCR letters were turned into digits.
        static let repaired = 0.5
        /// A check failed.
        static let failed = 0.25
    }

    /// What people write for "nothing": "không", "không có", "-", "x".
    static func isPlaceholder(_ text: String) -> Bool {
        let f = VietnameseText.fold(text)
        return f.isEmpty || ["khong", "khong co", "x", "k", "none", "n a", "chua co"].contains(f)
    }

    static func checkText(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty else { return .empty() }
        return CheckedValue(value: text, plausibility: Level.wellFormed)
    }

    static func checkInteger(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty else { return .empty() }
        let runs = digitRuns(in: text)
        if let first = runs.first {
            let digits = first.digits.drop { $0 == "0" }
            guard digits.count <= 9, let n = Int(digits.isEmpty ? "0" : String(digits)) else {
                return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat])
            }
            var issues: [CheckIssue] = []
            var p = 0.85
            if first.repaired {
                issues.append(.ocrCharsRepaired)
                p = min(p, Level.repaired)
            }
            if Set(runs.map(\.digits)).count > 1 {
                issues.append(.ambiguous)
                p = min(p, 0.4)
            }
            return CheckedValue(value: String(n), plausibility: p, issues: issues)
        }
        let words = VietnameseText.fold(text).split(separator: " ").map(String.init)
            .filter(VietnameseText.NumberWords.words.contains)
        if let n = VietnameseText.NumberWords.parse(words) {
            return CheckedValue(value: String(n), plausibility: 0.7)
        }
        return CheckedValue(value: nil, plausibility: 0, issues: [.badFormat])
    }

    static func checkYear(_ raw: String, context: CheckContext) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        var issues: [CheckIssue] = []
        var p = 0.85
        let year: Int
        let runs = digitRuns(in: text).filter { $0.digits.count == 4 }
        if runs.count == 1, let y = Int(runs[0].digits) {
            year = y
            if runs[0].repaired {
                issues.append(.ocrCharsRepaired)
                p = Level.repaired
            }
        } else if let date = parseDate(text), date.date != nil {
            // A full date where only the year was asked for.
            year = date.date!.year
            issues.append(.badFormat)
            p = 0.6
        } else {
            return CheckedValue(value: nil, plausibility: 0, issues: [runs.count > 1 ? .ambiguous : .badFormat])
        }
        let age = context.today.year - year
        if year < 1900 || year > context.today.year {
            issues.append(.yearOutOfRange)
            p = min(p, Level.failed)
        } else if context.dateRole == .adultBirth, !(14...110).contains(age) {
            issues.append(.implausibleDate)
            p = min(p, Level.failed)
        } else if context.dateRole == .childBirth, !(0...6).contains(age) {
            issues.append(.implausibleDate)
            p = min(p, Level.failed)
        }
        return CheckedValue(value: String(year), plausibility: p, issues: issues)
    }

    static func checkSex(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty else { return .empty() }
        let tokens = VietnameseText.fold(text).split(separator: " ").filter { $0 != "gioi" && $0 != "tinh" }
        let exactKeys = text.split(whereSeparator: { !$0.isLetter }).map { VietnameseText.Letters.key($0) }
        switch tokens {
        case ["nam"]:
            let exact = exactKeys.contains("nam")
            return CheckedValue(
                value: "Nam", plausibility: exact ? 0.95 : Level.approximate,
                issues: exact ? [] : [.fuzzyVocabularyMatch])
        case ["nu"]:
            let exact = exactKeys.contains("nư4")
            return CheckedValue(
                value: "Nữ", plausibility: exact ? 0.95 : Level.approximate,
                issues: exact ? [] : [.fuzzyVocabularyMatch])
        default:
            let both = tokens.contains("nam") && tokens.contains("nu")
            return CheckedValue(value: nil, plausibility: 0, issues: [both ? .ambiguous : .badFormat])
        }
    }

    static func checkEmail(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        var email = String(text.filter { !$0.isWhitespace }).lowercased()
        var p = text.contains(" ") ? 0.75 : 0.85
        var issues: [CheckIssue] = []
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isEmailLocalPart(parts[0]), isDomain(parts[1]) else {
            return CheckedValue(value: email, plausibility: 0.15, issues: [.badEmail])
        }
        let domain = String(parts[1])
        if knownMailDomains.contains(domain) {
            p += 0.05
        } else if domain.count >= 8,
            let near = fuzzyMailDomains.first(where: { VietnameseText.similarity($0, domain) >= 0.8 })
        {
            // "gmail.corn", "gmai.com": a well-known domain misread.
            email = parts[0] + "@" + near
            issues.append(.fuzzyVocabularyMatch)
            p = Level.repaired
        }
        return CheckedValue(value: email, plausibility: p, issues: issues)
    }

    private static let knownMailDomains: [String] = [
        "gmail.com", "yahoo.com", "yahoo.com.vn", "outlook.com", "hotmail.com", "icloud.com", "live.com",
        "outlook.com.vn", "vnn.vn", "fpt.vn", "fpt.com.vn", "viettel.com.vn", "vnpt.vn", "mail.com", "proton.me",
        "protonmail.com",
    ]

    /// Domains so common that a near miss is a misreading, not another domain.
    private static let fuzzyMailDomains = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]

    private static func isEmailLocalPart(_ s: Substring) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
        return !s.isEmpty && s.allSatisfy(allowed.contains) && s.first != "." && s.last != "."
            && !s.contains("..")
    }

    private static func isDomain(_ s: Substring) -> Bool {
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else {
            return false
        }
        return labels.allSatisfy {
            !$0.isEmpty && $0.allSatisfy(allowed.contains) && $0.first != "-" && $0.last != "-"
        }
    }

    static func checkAddress(_ raw: String) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty, !isPlaceholder(text) else { return .empty() }
        guard let match = AdminUnits.shared.match(address: text) else {
            return CheckedValue(value: text, plausibility: 0.4, issues: [.unknownAdminUnit])
        }
        var issues: [CheckIssue] = []
        var p = match.isLegacy ? 0.85 : Level.checked
        if match.isLegacy { issues.append(.legacyAdminUnit) }
        if match.score < 0.999 {
            issues.append(.fuzzyVocabularyMatch)
            p = min(0.7, p * pow(match.score, 4))  // a corrected guess: always worth a look
        }
        return CheckedValue(value: match.corrected, plausibility: p, issues: issues)
    }
}
