import Testing

@testable import Forms

@Suite("Identity numbers and phones")
struct IdentityTests {
    @Test(
        "12-digit ids are picked out and normalised",
        arguments: [
            ("025188001010", "025188001010"), ("025 188 001 010", "025188001010"), ("025.188.001.010", "025188001010"),
            ("0 2 5 1 8 8 0 0 1 0 1 0", "025188001010"), ("|0|2|5|1|8|8|0|0|1|0|1|0|", "025188001010"),
            ("Căn cước số 025188001010 do Cục Cảnh sát QLHC về TTXH cấp ngày 01/02/2021", "025188001010"),
            ("CCCD: 001090012345, cấp ngày 10.10.2021", "001090012345"),
        ])
    func twelveDigits(raw: String, id: String) {
        let checked = ValueChecker.check(raw, as: .id, context: context())
        #expect(checked.value == id)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= 0.9)
    }

    @Test("OCR letters among the digits are repaired and flagged", arguments: ["O25l88OO1O1O", "025 l88 001 0l0"])
    func repaired(raw: String) {
        let checked = ValueChecker.check(raw, as: .id, context: context())
        #expect(checked.value == "025188001010")
        #expect(checked.issues == [.ocrCharsRepaired])
        #expect(checked.plausibility <= 0.5)
    }

    @Test("a \"|\" that makes the twelfth digit is read as 1, and flagged")
    func pipeAsOne() {
        let checked = ValueChecker.check("00|188001010", as: .id, context: context())
        #expect(checked.value == "001188001010")
        #expect(checked.issues == [.ocrCharsRepaired])
    }

    @Test("old 9-digit CMND numbers are accepted with less confidence")
    func cmnd() {
        let checked = ValueChecker.check("CMND số 012 345 678", as: .id, context: context())
        #expect(checked.value == "012345678")
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= 0.6 && checked.plausibility < 0.9)
    }

    @Test(
        "structurally wrong ids are flagged",
        arguments: [
            ("02518800101", CheckIssue.badIdLength), ("0251880010101", .badIdLength),
            ("003188001010", .badProvinceCode),
            ("099188001010", .badProvinceCode), ("025588001010", .badCenturyDigit),
            ("025290001010", .badCenturyDigit),  // born 2090: in the future
        ])
    func structure(raw: String, issue: CheckIssue) {
        let checked = ValueChecker.check(raw, as: .id, context: context())
        #expect(checked.issues.contains(issue))
        #expect(checked.plausibility <= 0.3)
    }

    static let crossCases: [(id: String, sex: String?, year: Int?, issues: [CheckIssue])] = [
        ("025088001010", "Nam", 1988, []), ("025188001010", "Nữ", 1988, []),
        ("025188001010", "Nam", 1988, [.idCenturySexMismatch]), ("025088001010", "Nam", 1989, [.idBirthYearMismatch]),
        ("001305012345", "Nữ", 2005, []),
        ("001305012345", "Nam", 1905, [.idCenturySexMismatch, .idBirthYearMismatch]),
        ("001205012345", "NAM", 2005, []), ("001105012345", "nu", nil, []),
        ("001005012345", nil, 2005, [.idBirthYearMismatch]), ("097088001010", "Nam", 1988, [.badProvinceCode]),
        ("012345678", "Nam", 1988, []), ("01234567", "Nam", 1988, [.badIdLength]),
    ]

    @Test("cross-check with sex and birth year", arguments: crossCases)
    func crossCheck(c: (id: String, sex: String?, year: Int?, issues: [CheckIssue])) {
        #expect(CrossChecks.identity(id: c.id, sex: c.sex, birthYear: c.year) == c.issues)
    }

    @Test("province codes are those of the 63 pre-2025 provinces")
    func provinceCodes() throws {
        #expect(CrossChecks.provinceCodes.count == 63)
        let units = AdminUnits.shared
        let legacyCodes = Set(units.legacy.provinces.map { "0" + $0.code })
        #expect(legacyCodes == CrossChecks.provinceCodes)
        let currentCodes = Set(units.current.provinces.map { "0" + $0.code })
        #expect(currentCodes.isSubset(of: CrossChecks.provinceCodes))
    }

    @Test(
        "phones: digits only, +84 becomes 0",
        arguments: [
            ("0912345678", "0912345678", 0.9), ("0912 345 678", "0912345678", 0.9), ("0912.345.678", "0912345678", 0.9),
            ("+84 912 345 678", "0912345678", 0.9), ("(+84) 912-345-678", "0912345678", 0.9),
            ("84912345678", "0912345678", 0.9), ("0327 123 456", "0327123456", 0.9),
            ("024 3825 1234", "02438251234", 0.85), ("ĐT: 0987654321", "0987654321", 0.9),
        ])
    func phones(raw: String, digits: String, minimum: Double) {
        let checked = ValueChecker.check(raw, as: .phone)
        #expect(checked.value == digits)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= minimum)
    }

    @Test(
        "bad phones are flagged",
        arguments: [
            ("0112345678", CheckIssue.badPhonePrefix), ("0412345678", .badPhonePrefix), ("091234567", .badPhoneLength),
            ("01234567890", .badPhoneLength), ("091234567890", .badPhoneLength),
        ])
    func badPhones(raw: String, issue: CheckIssue) {
        let checked = ValueChecker.check(raw, as: .phone)
        #expect(checked.issues.contains(issue))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("phone with OCR letters")
    func phoneRepair() {
        let checked = ValueChecker.check("O9l2 345 678", as: .phone)
        #expect(checked.value == "0912345678")
        #expect(checked.issues == [.ocrCharsRepaired])
    }
}
