import Testing

@testable import Forms

/// Syllables of places that lost their marks or got wrong ones, fixed phrases of the form read garbled, labels run
/// into values, and dates out of the form's order: real strings as OCR gives them.
@Suite struct TextDoubtTests {
    @Test(arguments: [
        ("Số 12, Đường Hoàng Van Thụ, Phường Hà Đông", "Số 12, Đường Hoàng Văn Thụ, Phường Hà Đông"),
        ("Số 3, Đường Phan Dinh Phung, Phường Ba Đình", "Số 3, Đường Phan Đình Phùng, Phường Ba Đình"),
        ("Thôn Bạch Dang, Xã Tân Phú, Tỉnh Đồng Nai", "Thôn Bạch Đằng, Xã Tân Phú, Tỉnh Đồng Nai"),
        ("Ủy ban nhân dân xã Dak Mar, Tỉnh Quảng Ngãi", "Ủy ban nhân dân xã Đăk Mar, Tỉnh Quảng Ngãi"),
        ("Xã Kiéu Phú, Thành phố Hà Nội", "Xã Kiều Phú, Thành phố Hà Nội"),  // "Kiéu" is no syllable
        ("Số 201, Đường Ba Triéu, Phường Đông Mai", "Số 201, Đường Bà Triệu, Phường Đông Mai"),
        ("Số 200, Đường Lạc Long Quan, Phường Nam Gia Nghĩa", "Số 200, Đường Lạc Long Quân, Phường Nam Gia Nghĩa"),
    ])
    func oneNameFitsTheUnmarkedSyllable(printed: String, respelled: String) {
        let r = TextRepair.respellSyllables(printed)
        #expect(r.text == respelled)
        #expect(r.doubts == 0 && r.respelled >= 1)
    }

    @Test(arguments: [
        "Số 12, Đường Hai Bà Trưng, Phường Tân Định",  // "Hai" is how the name is spelled
        "Thôn Tân Thành, Xã Phong Nha, Tỉnh Quảng Trị",
        "Số 74, Hẻm 249 Trường Chinh, Phường Tam Phước, Thành phố Đồng Nai",
        "Ủy ban nhân dân xã Ia Grai, Tỉnh Gia Lai",
        "UBND xã Hoà Khánh, Tỉnh Tây Ninh",
        "Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của bản thân",
    ])
    func rightTextIsLeftAlone(printed: String) {
        let r = TextRepair.respellSyllables(printed)
        #expect(r.text == printed)
        #expect(r.doubts == 0 && r.respelled == 0)
    }

    @Test(arguments: [
        "Thôn Đóng, Xã Bằng Hành, Tỉnh Tuyên Quang",  // no name of places is spelled "Đóng"
        "Số 5, Đường Tran Thành Khoa, Phường Tân Định",  // no known street settles "Tran"
        "Bệnh viện Sdn Nhi Thanh Hoá",  // no vowel
    ])
    func aDoubtNoNameSettlesIsCounted(printed: String) {
        #expect(TextRepair.respellSyllables(printed).doubts == 1)
    }

    @Test(arguments: [
        ("Thén 7, Xã Tân Phú, Tỉnh Đồng Nai", "Thôn 7, Xã Tân Phú, Tỉnh Đồng Nai"),
        ("Ngé 31, Phố Huế, Phường Hai Bà Trưng", "Ngõ 31, Phố Huế, Phường Hai Bà Trưng"),
        ("Số nhờ 12, Phường Ba Đình", "Số nhà 12, Phường Ba Đình"),
        ("Phòng 301, Phường Ba Đình", "Phòng 301, Phường Ba Đình"),
        ("Xã Quảng Phong Huyện Hải Hà, Tỉnh Quảng Ninh", "Xã Quảng Phong, Huyện Hải Hà, Tỉnh Quảng Ninh"),
        ("Bệnh viện Đa khoa Thành phố Cần Thơ", "Bệnh viện Đa khoa Thành phố Cần Thơ"),
        ("Căn hộ 1002, Tòa nha D1, Phường Phượng Sơn", "Căn hộ 1002, Tòa nhà D1, Phường Phượng Sơn"),
        ("Căn hộ 1002, Toà nhà D1, Phường Phượng Sơn", "Căn hộ 1002, Toà nhà D1, Phường Phượng Sơn"),
        ("Đăng ký thường trú tại chỗ ở hợp pháp do thuê, muon, ở nhờ tại Số 108",
         "Đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ tại Số 108"),
        ("S6 201, Đường Bà Triệu", "Số 201, Đường Bà Triệu"),
        ("Số 230, Ng6 209, Đường Ngô Quyền", "Số 230, Ngõ 209, Đường Ngô Quyền"),
        ("Số nhà 233, Tổ dân phố - 19, Phường Vĩnh Hội", "Số nhà 233, Tổ dân phố 19, Phường Vĩnh Hội"),
        ("Căn hộ 2004, Tòa nhà D3; Phường Bình Lợi Trung", "Căn hộ 2004, Tòa nhà D3, Phường Bình Lợi Trung"),
    ])
    func typeWordsBeforeANumber(printed: String, repaired: String) {
        #expect(TextRepair.repairs(printed) == TextRepair.Repair(text: repaired, garbled: 0))
    }

    @Test(arguments: [
        ("Uyban nhân dân xã Tân Phú", "Ủy ban nhân dân xã Tân Phú"),
        ("ông an xã Tân Phú", "Công an xã Tân Phú"),
        ("Công:an phường Ba Đình", "Công an phường Ba Đình"),
        ("U Ủy ban nhân dân phường Ba Đình", "Ủy ban nhân dân phường Ba Đình"),
        ("UBND xã Hoà Khánh", "UBND xã Hoà Khánh"),
        ("ỦY BAN NHÂN DÂN XÃ TÂN PHÚ", "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ"),
    ])
    func theOfficeARecipientStartsWith(printed: String, repaired: String) {
        #expect(TextRepair.repairs(printed, offices: ["Ủy ban nhân dân", "Công an"]) == TextRepair.Repair(text: repaired, garbled: 0))
    }

    @Test func theTonePlaceThePagePrintedStays() {
        #expect(TextRepair.repair("Phường Đông Sơn, Tỉnh Thanh Hóa", names: ["Phường Đông Sơn", "Tỉnh Thanh Hoá"])
                == "Phường Đông Sơn, Tỉnh Thanh Hóa")
    }

    @Test func garbledFixedPhrasesAreCounted() {
        #expect(TextRepair.repairs("Uyben nhen dan xã Tân Phú", offices: ["Ủy ban nhân dân", "Công an"]).garbled == 1)
        #expect(TextRepair.repairs("S639, Đường Bà Triệu").garbled == 1)
        #expect(TextRepair.repairs("72m Y tế xã Các Sơn, Tỉnh Thanh Hoá").garbled == 1)
        #expect(TextRepair.repairs("7020, Khu phố 1, Phường Bến Tre, Tỉnh Vĩnh Long").garbled == 1)
        #expect(TextRepair.repairs("Căn hộ 2004, Tòa nhà D3, Phường Bình Lợi Trung").garbled == 0)
    }

    @Test func labelsRunIntoAValueAreCut() {
        let labels = ["noi dung de nghi", "moi quan he voi chu ho", "quoc tich", "ngay thang nam"]
        #expect(ValueSpotter.cuttingLabels(") Nội dung đề nghị: Đăng ký thường trú", labels: labels)
                == ("Đăng ký thường trú", true))
        #expect(ValueSpotter.cuttingLabels("Phường Ba Đình, Thành phố Hà Nội Mối quan hệ với chủ hộ", labels: labels)
                == ("Phường Ba Đình, Thành phố Hà Nội", true))
        #expect(ValueSpotter.cuttingLabels("Số định danh cá nhân của chủ hộ: Ø/Z7 - 10. Nội dung đề nghị Đăng ký thường trú",
                                           labels: labels + ["so dinh danh ca nhan cua chu ho"])
                == ("Đăng ký thường trú", true))
        #expect(ValueSpotter.cuttingLabels("Xã Tân Phú, Tỉnh Đồng Nai", labels: labels) == ("Xã Tân Phú, Tỉnh Đồng Nai", false))
    }

    @Test func datesFollowTheForm() {
        let today = SimpleDate(year: 2026, month: 11, day: 15)!
        func d(_ s: String) -> SimpleDate { SimpleDate(iso: s)! }
        let fine = CrossChecks.dateOrder(
            dates: ["signedDate": d("2026-08-29"), "child.dateOfBirth": d("2026-08-29"), "requester.dateOfBirth": d("1990-01-02")],
            birthYears: ["mother.birthYear": 1992], signing: "signedDate", today: today)
        #expect(fine.isEmpty)
        let late = CrossChecks.dateOrder(
            dates: ["signedDate": d("2026-08-29"), "child.dateOfBirth": d("2026-09-02")],
            birthYears: [:], signing: "signedDate", today: today)
        #expect(late == ["child.dateOfBirth"])
        let future = CrossChecks.dateOrder(dates: ["signedDate": d("2027-01-03")], birthYears: ["father.birthYear": 2028],
                                           signing: "signedDate", today: today)
        #expect(future == ["father.birthYear", "signedDate"])
    }
}
