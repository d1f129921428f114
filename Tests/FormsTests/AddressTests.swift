import Foundation
import Testing

@testable import Forms

@Suite("Addresses and admin units")
struct AddressTests {
    @Test("the bundled tables load fast; the legacy table on first use")
    func loads() throws {
        let currentCSV = try AdminUnits.resource("units-2026")
        let legacyCSV = try AdminUnits.resource("units-legacy")
        let clock = ContinuousClock()
        var units: AdminUnits?
        let elapsed = clock.measure { units = AdminUnits(currentCSV: currentCSV, legacyCSV: legacyCSV) }
        let loaded = try #require(units)
        #expect(elapsed < .milliseconds(100), "loading took \(elapsed)")
        #expect(loaded.loadError == nil)
        #expect(loaded.currentWardCount == 3321)
        #expect(loaded.current.provinces.count == 34)

        // 10,040 rows, but 5 island districts have no wards.
        let legacyElapsed = clock.measure { #expect(loaded.legacyWardCount == 10035) }
        #expect(loaded.legacy.provinces.count == 63)
        #expect(legacyElapsed < .milliseconds(400), "loading the legacy table took \(legacyElapsed)")
        #expect(AdminUnits.shared.loadError == nil)
    }

    @Test(
        "current addresses",
        arguments: [
            (
                "Số 12, ngõ 34, phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội", "Phường Ba Đình", "Thành phố Hà Nội",
                "Số 12, ngõ 34, phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội"
            ),
            (
                "Số 5, P. Ba Đình, TP. Hà Nội", "Phường Ba Đình", "Thành phố Hà Nội",
                "Số 5, Phường Ba Đình, Thành phố Hà Nội"
            ),
            (
                "so 5 phuong ba dinh ha noi", "Phường Ba Đình", "Thành phố Hà Nội",
                "so 5, Phường Ba Đình, Thành phố Hà Nội"
            ),
            ("Thôn Đông, xã Bắc Sơn, Lạng Sơn", "Xã Bắc Sơn", "Tỉnh Lạng Sơn", "Thôn Đông, Xã Bắc Sơn, Tỉnh Lạng Sơn"),
            ("Ấp 3, Xã Ea H'Leo, Tỉnh Đắk Lắk", "Xã Ea H'Leo", "Tỉnh Đắk Lắk", "Ấp 3, Xã Ea H'Leo, Tỉnh Đắk Lắk"),
            (
                "Tổ 5, Phường Sài Gòn, TP.HCM", "Phường Sài Gòn", "Thành phố Hồ Chí Minh",
                "Tổ 5, Phường Sài Gòn, Thành phố Hồ Chí Minh"
            ),
            (
                "Khu phố 2, Phường Bến Thành, Thành phố Hồ Chí Minh, Việt Nam", "Phường Bến Thành",
                "Thành phố Hồ Chí Minh",
                "Khu phố 2, Phường Bến Thành, Thành phố Hồ Chí Minh, Việt Nam"
            ),
            (
                "Số 3, Phường Yên Hòa, TP Hà Nội", "Phường Yên Hoà", "Thành phố Hà Nội",
                "Số 3, Phường Yên Hoà, Thành phố Hà Nội"
            ),
            (
                "Phường Nha Trang, Tỉnh Khánh Hòa", "Phường Nha Trang", "Tỉnh Khánh Hoà",
                "Phường Nha Trang, Tỉnh Khánh Hoà"
            ),
        ])
    func current(address: String, ward: String, province: String, corrected: String) throws {
        let match = try #require(AdminUnits.shared.match(address: address))
        #expect(match.ward == ward)
        #expect(match.province == province)
        #expect(!match.isLegacy)
        #expect(match.district == nil)
        #expect(match.score == 1)
        #expect(match.corrected == corrected)
    }

    @Test(
        "legacy (pre-2025) addresses",
        arguments: [
            (
                "Số 3, Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội", "Phường Trúc Bạch", "Quận Ba Đình",
                "Thành phố Hà Nội"
            ),
            ("Thôn Yên Khê, xã Hưng Đạo, huyện Tứ Kỳ, tỉnh Hải Dương", "Xã Hưng Đạo", "Huyện Tứ Kỳ", "Tỉnh Hải Dương"),
            ("12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM", "Phường Bến Nghé", "Quận 1", "Thành phố Hồ Chí Minh"),
            (
                "Ấp 2, Xã Tân Thạnh Đông, H. Củ Chi, TP. Hồ Chí Minh", "Xã Tân Thạnh Đông", "Huyện Củ Chi",
                "Thành phố Hồ Chí Minh"
            ),
            ("Phường 5, Quận 3, Thành phố Hồ Chí Minh", "Phường 5", "Quận 3", "Thành phố Hồ Chí Minh"),
            ("Số 8, P.12, Q. Gò Vấp, TP Hồ Chí Minh", "Phường 12", "Quận Gò Vấp", "Thành phố Hồ Chí Minh"),
            ("Xã Hoà Phú, Huyện Hoà Vang, Đà Nẵng", "Xã Hòa Phú", "Huyện Hòa Vang", "Thành phố Đà Nẵng"),
            (
                "Tổ 1, Phường Phú Lợi, Thành phố Thủ Dầu Một, Tỉnh Bình Dương", "Phường Phú Lợi",
                "Thành phố Thủ Dầu Một",
                "Tỉnh Bình Dương"
            ),
        ])
    func legacy(address: String, ward: String, district: String, province: String) throws {
        let match = try #require(AdminUnits.shared.match(address: address))
        #expect(match.ward == ward)
        #expect(match.district == district)
        #expect(match.province == province)
        #expect(match.isLegacy)
        #expect(match.score == 1)
        #expect(match.corrected.hasSuffix("\(ward), \(district), \(province)"))
    }

    @Test("OCR-damaged names are matched approximately and corrected")
    func damaged() throws {
        let match = try #require(AdminUnits.shared.match(address: "Số 7, Phường Giảnq Võ, Thành phố Hà Nộii"))
        #expect(match.ward == "Phường Giảng Võ")
        #expect(match.province == "Thành phố Hà Nội")
        #expect(match.score < 1 && match.score > 0.8)
        #expect(match.corrected == "Số 7, Phường Giảng Võ, Thành phố Hà Nội")

        let lostMarks = try #require(AdminUnits.shared.match(address: "Phuong Ba Dinh, Thanh pho Ha Noi"))
        #expect(lostMarks.corrected == "Phường Ba Đình, Thành phố Hà Nội")
        #expect(lostMarks.score == 1)
    }

    @Test(
        "nothing that is not an address at a known unit",
        arguments: [
            "Nguyễn Văn An", "Số 12, đường Lê Lợi", "Phường Không Có, Thành phố Hà Nội",
            "Xã Ba Đình, Tỉnh Hà Giangg Xyz",
            "Hà Nội", "", "Ba Đình, Quận Ba Đình", "asdf qwer, zxcv",
        ])
    func nonsense(address: String) {
        #expect(AdminUnits.shared.match(address: address) == nil)
    }

    @Test(
        "a name without its type word must stand alone between commas",
        arguments: [
            // "Từ Liêm" is also a current ward, but here it is the end of the former district "Nam Từ Liêm".
            ("Phường Xuân Phương, Quận Nam Từ Liêm, Thành phố Hà Nội", "Phường Xuân Phương", "Quận Nam Từ Liêm"),
            // "Ba Đình" alone reads as the current ward, but the address explains more as a legacy one.
            ("Phường Trúc Bạch, Ba Đình, Hà Nội", "Phường Trúc Bạch", "Quận Ba Đình"),
        ])
    func standAlone(address: String, ward: String, district: String) throws {
        let match = try #require(AdminUnits.shared.match(address: address))
        #expect(match.ward == ward)
        #expect(match.district == district)
        #expect(match.isLegacy)
    }

    @Test("a misread type word still anchors the unit, with a lower score")
    func damagedTypeWord() throws {
        let match = try #require(AdminUnits.shared.match(address: "Phưxng Ba Đình, Hà Nội"))
        #expect(match.ward == "Phường Ba Đình")
        #expect(match.score < 1)
        #expect(match.corrected == "Phường Ba Đình, Thành phố Hà Nội")
    }

    @Test("names that fold alike are told apart by their diacritics")
    func diacriticsDecide() throws {
        // Tây Ninh has both "Xã Tân Thành" and "Xã Tân Thạnh".
        let a = try #require(AdminUnits.shared.match(address: "Xã Tân Thạnh, Tỉnh Tây Ninh"))
        #expect(a.ward == "Xã Tân Thạnh")
        #expect(a.score == 1)
        let b = try #require(AdminUnits.shared.match(address: "Xã Tân Thành, Tỉnh Tây Ninh"))
        #expect(b.ward == "Xã Tân Thành")
        // Without diacritics it could be either: matched, but the score says so.
        let c = try #require(AdminUnits.shared.match(address: "Xa Tan Thanh, Tinh Tay Ninh"))
        #expect(c.score < 1)
        #expect(ValueChecker.check("Xa Tan Thanh, Tinh Tay Ninh", as: .address).plausibility <= 0.7)
    }

    @Test("a type word of another level rules a unit out")
    func typeConflict() {
        // "Quận Ba Đình" is a former district, not the current "Phường Ba Đình".
        #expect(AdminUnits.shared.match(address: "Quận Ba Đình, Thành phố Hà Nội") == nil)
    }

    @Test("address values: current, legacy, unknown")
    func addressValues() {
        let current = ValueChecker.check("Số 12, P. Ba Đình, TP. Hà Nội", as: .address)
        #expect(current.value == "Số 12, Phường Ba Đình, Thành phố Hà Nội")
        #expect(current.issues.isEmpty)
        #expect(current.plausibility >= 0.9)

        let legacy = ValueChecker.check("Phường Trúc Bạch, Quận Ba Đình, Hà Nội", as: .address)
        #expect(legacy.value == "Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội")
        #expect(legacy.issues == [.legacyAdminUnit])
        #expect(legacy.plausibility >= 0.8 && legacy.plausibility < 0.9)

        let unknown = ValueChecker.check("Số 12, đường Lê Lợi ........", as: .address)
        #expect(unknown.value == "Số 12, đường Lê Lợi")
        #expect(unknown.issues == [.unknownAdminUnit])
        #expect(unknown.plausibility == 0.4)

        let fuzzy = ValueChecker.check("Phường Giảnq Võ, Hà Nội", as: .address)
        #expect(fuzzy.value == "Phường Giảng Võ, Thành phố Hà Nội")
        #expect(fuzzy.issues == [.fuzzyVocabularyMatch])
        #expect(fuzzy.plausibility < 0.85)
    }

    @Test("matching is fast")
    func speed() {
        let units = AdminUnits.shared
        _ = units.match(address: "warm up")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20 {
                _ = units.match(address: "Số 12, ngõ 34, phố Kim Mã, Phường Giảnq Võ, Thành phố Hà Nộii")
                _ = units.match(address: "Thôn Yên Khê, xã Hưng Đạo, huyện Tứ Kỳ, tỉnh Hải Dương")
            }
        }
        #expect(elapsed < .milliseconds(800), "40 matches took \(elapsed)")  // debug build; ~20× faster in release
    }
}
