import Testing

@testable import Forms

@Suite("Text, year, sex, e-mail, integer")
struct OtherTypesTests {
    @Test("text is normalised")
    func text() {
        #expect(ValueChecker.check("  Con đẻ ......", as: .text) == CheckedValue(value: "Con đẻ", plausibility: 0.8))
        #expect(ValueChecker.check("......", as: .text).issues == [.empty])
    }

    @Test(
        "years",
        arguments: [
            ("1990", "1990", [CheckIssue]()), ("Năm sinh: 1975", "1975", []), ("l985", "1985", [.ocrCharsRepaired]),
            ("1890", "1890", [.yearOutOfRange]), ("2030", "2030", [.yearOutOfRange]),
            ("05/03/1990", "1990", []),
        ])
    func years(raw: String, year: String, issues: [CheckIssue]) {
        let checked = ValueChecker.check(raw, as: .year, context: context())
        #expect(checked.value == year)
        #expect(checked.issues == issues)
    }

    @Test("a parent's birth year must give an adult age")
    func parentYear() {
        #expect(ValueChecker.check("2020", as: .year, context: context(.adultBirth)).issues == [.implausibleDate])
        #expect(ValueChecker.check("1990", as: .year, context: context(.adultBirth)).issues.isEmpty)
    }

    @Test(
        "sex",
        arguments: [
            ("Nam", "Nam", true), ("NAM", "Nam", true), ("Nữ", "Nữ", true), ("NỮ", "Nữ", true), ("nữ.", "Nữ", true),
            ("Nu", "Nữ", false), ("Nũ", "Nữ", false), ("Nám", "Nam", false), ("Giới tính: Nam", "Nam", true),
        ])
    func sex(raw: String, value: String, exact: Bool) {
        let checked = ValueChecker.check(raw, as: .sex)
        #expect(checked.value == value)
        if exact {
            #expect(checked.issues.isEmpty)
            #expect(checked.plausibility >= 0.95)
        } else {
            #expect(checked.issues == [.fuzzyVocabularyMatch])
            #expect(checked.plausibility <= 0.6)
        }
    }

    @Test("anything else is not a sex", arguments: ["Nam Nữ", "Khác", "N", "", "Nam Định"])
    func badSex(raw: String) {
        #expect(ValueChecker.check(raw, as: .sex).value == nil)
    }

    @Test(
        "e-mail addresses",
        arguments: [
            ("NguyenAn90@Gmail.com", "nguyenan90@gmail.com", true),
            ("an.nguyen@yahoo.com.vn", "an.nguyen@yahoo.com.vn", true),
            ("an.nguyen @ gmail.com", "an.nguyen@gmail.com", true), ("hoa_le@cty-abc.vn", "hoa_le@cty-abc.vn", true),
        ])
    func emails(raw: String, value: String, valid: Bool) {
        let checked = ValueChecker.check(raw, as: .email)
        #expect(checked.value == value)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= 0.75)
    }

    @Test("a misread well-known domain is corrected and flagged")
    func emailDomain() {
        let checked = ValueChecker.check("an.nguyen@gmail.corn", as: .email)
        #expect(checked.value == "an.nguyen@gmail.com")
        #expect(checked.issues == [.fuzzyVocabularyMatch])
        #expect(checked.plausibility <= 0.5)
    }

    @Test(
        "bad e-mail addresses",
        arguments: ["an.nguyen.gmail.com", "a@@b.com", "an@gmail", "an@gmail.c0m", "ngụyen@gmail.com"])
    func badEmails(raw: String) {
        let checked = ValueChecker.check(raw, as: .email)
        #expect(checked.issues == [.badEmail])
        #expect(checked.plausibility <= 0.3)
    }

    @Test("no e-mail written", arguments: ["", "Không", "không có", "-", "......"])
    func noEmail(raw: String) {
        #expect(ValueChecker.check(raw, as: .email) == CheckedValue(value: nil, plausibility: 0, issues: [.empty]))
    }

    @Test(
        "integers",
        arguments: [
            ("02", "2", [CheckIssue]()), ("Số lượng: 3 bản", "3", []), ("hai bản", "2", []),
            ("O2", "2", [.ocrCharsRepaired]),
            ("1 hoặc 2", "1", [.ambiguous]),
        ])
    func integers(raw: String, value: String, issues: [CheckIssue]) {
        let checked = ValueChecker.check(raw, as: .integer)
        #expect(checked.value == value)
        #expect(checked.issues == issues)
    }

    @Test("every type gives nil and plausibility 0 for empty input", arguments: FieldType.allCases)
    func emptyInput(type: FieldType) {
        let checked = ValueChecker.check("   ", as: type, context: context())
        #expect(checked.value == nil)
        #expect(checked.plausibility == 0)
        #expect(checked.issues == [.empty])
    }

    @Test("issue codes are stable strings with a message")
    func issueCodes() {
        #expect(CheckIssue.unusualNameSyllable.rawValue == "unusualNameSyllable")
        #expect(CheckIssue(rawValue: "legacyAdminUnit") == .legacyAdminUnit)
        for issue in CheckIssue.allCases { #expect(!issue.message.isEmpty) }
    }
}
