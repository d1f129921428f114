import Testing

@testable import Forms

@Suite("Dates")
struct DateCheckTests {
    @Test(
        "reads the usual ways of writing a date",
        arguments: [
            ("05/03/1990", "1990-03-05"), ("5-3-1990", "1990-03-05"), ("05.03.1990", "1990-03-05"),
            ("05 / 03 / 1990", "1990-03-05"), ("1990-03-05", "1990-03-05"), ("05 03 1990", "1990-03-05"),
            ("ngày 05 tháng 3 năm 1990", "1990-03-05"), ("Ngày 5 tháng 03 năm 1990", "1990-03-05"),
            ("NGÀY 05 THÁNG 03 NĂM 1990", "1990-03-05"), ("ngay 05 thang 03 nam 1990", "1990-03-05"),
            ("ngày mùng 5 tháng 3 năm 1990", "1990-03-05"), ("05......./03........./1990", "1990-03-05"),
        ])
    func formats(raw: String, iso: String) {
        let checked = ValueChecker.check(raw, as: .date, context: context())
        #expect(checked.value == iso)
        #expect(checked.issues.isEmpty)
        #expect(checked.plausibility >= 0.8)
    }

    @Test(
        "repairs letters OCR reads for digits, and says so",
        arguments: [
            ("O5/O3/199O", "1990-03-05"), ("l5/03/1990", "1990-03-15"), ("05/03/l99O", "1990-03-05"),
            ("2S/12/1988", "1988-12-25"), ("05/03/19B8", "1988-03-05"), ("ngày 1S tháng O3 năm 2OZ4", "2024-03-15"),
            ("|5/03/1990", "1990-03-15"),
        ])
    func ocrRepair(raw: String, iso: String) {
        let checked = ValueChecker.check(raw, as: .date, context: context())
        #expect(checked.value == iso)
        #expect(checked.issues.contains(.ocrCharsRepaired))
        #expect(checked.plausibility <= 0.5)
    }

    @Test("29 February exists only in leap years")
    func leapDay() {
        let leap = ValueChecker.check("29/02/2024", as: .date, context: context())
        #expect(leap.value == "2024-02-29")
        #expect(leap.issues.isEmpty)
        let common = ValueChecker.check("29/02/2023", as: .date, context: context())
        #expect(common.value == nil)
        #expect(common.issues == [.notACalendarDate])
        #expect(common.plausibility == 0)
        #expect(ValueChecker.check("31/04/2020", as: .date, context: context()).issues == [.notACalendarDate])
        #expect(ValueChecker.check("29/02/1900", as: .date, context: context()).value == nil)
    }

    @Test(
        "plausibility follows the date's role (today is 2026-11-15)",
        arguments: [
            ("01/03/2025", DateRole.childBirth, true), ("16/11/2020", .childBirth, true),
            ("14/11/2020", .childBirth, false), ("16/11/2026", .childBirth, false),
            ("15/11/2012", .adultBirth, true), ("16/11/2012", .adultBirth, false), ("01/01/1960", .adultBirth, true),
            ("01/01/1910", .adultBirth, false), ("15/11/2026", .signing, true), ("16/11/2024", .signing, true),
            ("14/11/2024", .signing, false), ("20/11/2026", .signing, false), ("05/03/1990", .signing, false),
            ("05/03/1990", .any, true), ("01/01/2030", .any, false),
        ])
    func roles(raw: String, role: DateRole, plausible: Bool) {
        let checked = ValueChecker.check(raw, as: .date, context: context(role))
        #expect(checked.value != nil)
        #expect(checked.issues.contains(.implausibleDate) == !plausible)
        if plausible {
            #expect(checked.plausibility >= 0.85)
        } else {
            #expect(checked.plausibility <= 0.3)
        }
    }

    @Test("a date before 1900 is out of range")
    func oldYear() {
        let checked = ValueChecker.check("01/01/1890", as: .date, context: context())
        #expect(checked.issues.contains(.yearOutOfRange))
        #expect(checked.plausibility <= 0.3)
    }

    @Test("the date in words corroborates or contradicts the digits")
    func wordsOnTheSameLine() {
        let agree = ValueChecker.check(
            "15/03/2025 (Ghi bằng chữ: Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm)", as: .date,
            context: context(.childBirth))
        #expect(agree.value == "2025-03-15")
        #expect(agree.issues.isEmpty)
        #expect(agree.plausibility >= 0.95)

        let disagree = ValueChecker.check(
            "16/03/2025 Ghi bằng chữ: Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm", as: .date,
            context: context(.childBirth))
        #expect(disagree.value == "2025-03-16")
        #expect(disagree.issues.contains(.wordsDateDisagrees))
        #expect(disagree.plausibility <= 0.3)

        let wordsOnly = ValueChecker.check(
            "Ngày mùng một tháng giêng năm hai nghìn hai mươi tư", as: .date, context: context(.childBirth))
        #expect(wordsOnly.value == "2024-01-01")
        #expect(wordsOnly.issues.isEmpty)
    }

    @Test(
        "rejects what is not a usable date",
        arguments: [("05/03/90", CheckIssue.badFormat), ("không rõ", .badFormat), ("", .empty), ("......", .empty)])
    func unusable(raw: String, issue: CheckIssue) {
        let checked = ValueChecker.check(raw, as: .date, context: context())
        #expect(checked.value == nil)
        #expect(checked.issues == [issue])
        #expect(checked.plausibility == 0)
    }

    @Test("two different dates in one field are ambiguous")
    func twoDates() {
        let checked = ValueChecker.check("05/03/1990 hoặc 06/03/1990", as: .date, context: context())
        #expect(checked.value == "1990-03-05")
        #expect(checked.issues.contains(.ambiguous))
        #expect(checked.plausibility <= 0.4)
    }

    @Test(
        "dates written in words",
        arguments: [
            ("Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm", "2025-03-15"),
            ("mùng một tháng giêng năm hai nghìn hai mươi tư", "2024-01-01"),
            ("Ngày ba mươi mốt tháng mười hai năm một nghìn chín trăm chín mươi chín", "1999-12-31"),
            ("ngày hai mươi tư tháng tư năm hai ngàn linh năm", "2005-04-24"),
            ("ngày năm tháng năm năm hai nghìn", "2000-05-05"),
            ("Ngày hai mươi lăm tháng chạp năm hai nghìn lẻ tám", "2008-12-25"),
            ("ngay muoi lam thang ba nam hai nghin khong tram hai muoi lam", "2025-03-15"),
            ("(Ghi bằng chữ: Ngày mồng mười tháng mười một năm hai nghìn không trăm mười chín)", "2019-11-10"),
            ("ngày hai mươi chín tháng hai năm hai nghìn không trăm hai mươi tư", "2024-02-29"),
        ])
    func inWords(text: String, iso: String) {
        #expect(CrossChecks.dateInWords(text)?.iso == iso)
    }

    @Test(
        "words that do not make a real date",
        arguments: [
            "ngày hai mươi chín tháng hai năm hai nghìn không trăm hai mươi ba", "ngày mười lăm tháng ba",
            "tháng ba năm hai nghìn", "ngày ba mươi hai tháng một năm hai nghìn", "Nguyễn Văn An",
        ])
    func badWords(text: String) {
        #expect(CrossChecks.dateInWords(text) == nil)
    }
}
