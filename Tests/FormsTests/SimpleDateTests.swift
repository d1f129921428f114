import Foundation
import Testing

@testable import Forms

@Suite("SimpleDate")
struct SimpleDateTests {
    @Test(
        "only real calendar dates exist",
        arguments: [
            (2024, 2, 29, true), (2023, 2, 29, false), (2000, 2, 29, true), (1900, 2, 29, false),
            (2025, 4, 31, false), (2025, 12, 31, true), (2025, 13, 1, false), (2025, 0, 10, false),
            (2025, 1, 0, false), (2025, 6, 30, true),
        ])
    func calendar(year: Int, month: Int, day: Int, exists: Bool) {
        #expect((SimpleDate(year: year, month: month, day: day) != nil) == exists)
    }

    @Test("ISO form round-trips and is strict")
    func iso() throws {
        let d = try #require(SimpleDate(year: 990, month: 3, day: 5))
        #expect(d.iso == "0990-03-05")
        #expect(SimpleDate(iso: "2024-02-29") == SimpleDate(year: 2024, month: 2, day: 29))
        #expect(SimpleDate(iso: "2023-02-29") == nil)
        #expect(SimpleDate(iso: "2024-2-29") == nil)
        #expect(SimpleDate(iso: "29/02/2024") == nil)
    }

    @Test("encodes as an ISO string")
    func codable() throws {
        let d = try #require(SimpleDate(year: 2025, month: 3, day: 15))
        let data = try JSONEncoder().encode([d])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-03-15"]"#)
        #expect(try JSONDecoder().decode([SimpleDate].self, from: data) == [d])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SimpleDate].self, from: Data(#"["2025-02-30"]"#.utf8))
        }
    }

    @Test("orders by year, month, day; ages count whole years")
    func ordering() throws {
        let a = try #require(SimpleDate(year: 2024, month: 12, day: 31))
        let b = try #require(SimpleDate(year: 2025, month: 1, day: 1))
        #expect(a < b)
        let leapBirth = try #require(SimpleDate(year: 2008, month: 2, day: 29))
        #expect(leapBirth.fullYears(until: SimpleDate(year: 2026, month: 2, day: 28)!) == 17)
        #expect(leapBirth.fullYears(until: SimpleDate(year: 2026, month: 3, day: 1)!) == 18)
        #expect(leapBirth.addingYears(1) == SimpleDate(year: 2009, month: 2, day: 28))
    }

    @Test("today is a real date")
    func today() {
        #expect(SimpleDate.today().year >= 2025)
    }
}
