/// Why a checked value is doubtful. The raw values are stable codes (stored in drafts and shown to reviewers);
/// add new cases, never rename old ones.
public enum CheckIssue: String, Sendable, Codable, CaseIterable {
    // Any type
    /// Nothing was read (or only a placeholder such as "không", "-").
    case empty
    /// The text does not have the shape of this type at all, or holds several candidate values.
    case badFormat
    /// Letters the OCR often reads instead of digits (O, l, I, |, S, B, Z) were turned into digits.
    case ocrCharsRepaired
    /// Several different values were found where one was expected.
    case ambiguous

    // Dates and years
    case notACalendarDate
    /// A real date, but outside the range that fits its role (a child's birth, an adult's, a signature).
    case implausibleDate
    case yearOutOfRange
    /// The date in digits and the date written in words ("ghi bằng chữ") differ.
    case wordsDateDisagrees

    // Names
    /// The first word is not a common Vietnamese family name.
    case unknownFamilyName
    /// A word is a well-formed Vietnamese syllable that is rarely used in names.
    case unknownNameSyllable
    /// A word is not a Vietnamese syllable, or is a known one with different or missing diacritics
    /// ("NGUYEN", "HUONG"): the OCR probably lost a tone mark.
    case unusualNameSyllable
    /// Fewer than two or more than six words.
    case nameWordCount
    /// Digits or symbols inside the name.
    case nonLetterInName

    // Identity numbers
    case badIdLength
    /// Digits 1–3 of a 12-digit number are not a province code.
    case badProvinceCode
    /// Digit 4 of a 12-digit number is not 0–3 (born 1900–2099), or gives a birth year in the future.
    case badCenturyDigit
    /// Digit 4 of the number disagrees with the holder's sex.
    case idCenturySexMismatch
    /// Digits 4–6 of the number disagree with the holder's birth year.
    case idBirthYearMismatch

    // Phones and e-mail
    case badPhonePrefix
    case badPhoneLength
    case badEmail

    // Vocabularies
    case unknownEthnicity
    /// Matched a vocabulary entry only approximately (spelling or diacritics differ).
    case fuzzyVocabularyMatch

    // Addresses
    /// No commune/ward and province found at the end of the address.
    case unknownAdminUnit
    /// The address names units from before the 1 July 2025 reorganisation.
    case legacyAdminUnit

    // Readings
    /// Two independent readings of the field (another crop, segmentation or alphabet) gave different values.
    case readingsDisagree
    /// Only one reading gave a value: nothing confirms it digit for digit.
    case unconfirmedReading
    /// A table row the page's reading left out, read again from its cells: it may be incomplete.
    case rowNotRead

    // Text
    /// A syllable of a place or street name lost its marks or has wrong ones ("Phan Dinh Phung", "Kiéu"), and no
    /// known name settles how it is spelled.
    case doubtfulSyllable
    /// Text printed on the form ("Ủy ban nhân dân", "Thôn", "Số nhà") was read too garbled to put right for certain.
    case garbledFixedPhrase
    /// The value held words of a neighbouring label, or a stray fragment, that were cut off.
    case labelInValue

    // Across fields
    /// The form's dates are out of order: the signing before another date of the form or after today, a birth
    /// after the signing.
    case datesOutOfOrder
}

extension CheckIssue {
    /// A short explanation for the reviewer, in Vietnamese. Never contains the value itself.
    public var message: String {
        switch self {
        case .empty: "Không đọc được giá trị"
        case .badFormat: "Giá trị không đúng định dạng"
        case .ocrCharsRepaired: "Đã sửa ký tự nhận dạng nhầm thành chữ số, cần đối chiếu bản giấy"
        case .ambiguous: "Có nhiều giá trị khác nhau, cần chọn đúng giá trị"
        case .notACalendarDate: "Ngày không có thật trên lịch"
        case .implausibleDate: "Ngày không hợp lý với loại ngày này"
        case .yearOutOfRange: "Năm nằm ngoài khoảng hợp lệ"
        case .wordsDateDisagrees: "Ngày ghi bằng số và ngày ghi bằng chữ không khớp"
        case .unknownFamilyName: "Họ không có trong danh sách họ phổ biến"
        case .unknownNameSyllable: "Tên có tiếng ít gặp"
        case .unusualNameSyllable: "Tên có tiếng bất thường hoặc thiếu dấu"
        case .nameWordCount: "Số tiếng trong họ tên bất thường"
        case .nonLetterInName: "Họ tên chứa chữ số hoặc ký hiệu"
        case .badIdLength: "Số định danh không đủ 12 (hoặc 9) chữ số"
        case .badProvinceCode: "Ba chữ số đầu của số định danh không phải mã tỉnh"
        case .badCenturyDigit: "Chữ số thứ tư của số định danh không hợp lệ"
        case .idCenturySexMismatch: "Số định danh không khớp với giới tính"
        case .idBirthYearMismatch: "Số định danh không khớp với năm sinh"
        case .badPhonePrefix: "Đầu số điện thoại không hợp lệ"
        case .badPhoneLength: "Số điện thoại sai độ dài"
        case .badEmail: "Địa chỉ email không hợp lệ"
        case .unknownEthnicity: "Dân tộc không có trong danh mục 54 dân tộc"
        case .fuzzyVocabularyMatch: "Chỉ khớp gần đúng với danh mục, cần kiểm tra chính tả"
        case .unknownAdminUnit: "Không tìm thấy xã/phường và tỉnh/thành phố trong danh mục"
        case .legacyAdminUnit: "Địa chỉ dùng đơn vị hành chính trước ngày 01/7/2025"
        case .readingsDisagree: "Hai lần đọc cho kết quả khác nhau, cần đối chiếu bản giấy"
        case .unconfirmedReading: "Chỉ một lần đọc ra giá trị, chưa được xác nhận, cần đối chiếu bản giấy"
        case .rowNotRead: "Dòng này của bảng bị bỏ sót khi đọc trang, cần nhập hoặc kiểm tra theo bản giấy"
        case .doubtfulSyllable: "Có tiếng thiếu dấu hoặc sai dấu trong tên địa danh, cần đối chiếu bản giấy"
        case .garbledFixedPhrase: "Cụm từ in sẵn trên mẫu bị đọc sai, cần đối chiếu bản giấy"
        case .labelInValue: "Giá trị lẫn chữ của nhãn bên cạnh, đã cắt bỏ, cần kiểm tra"
        case .datesOutOfOrder: "Các ngày trên tờ khai không hợp lý với nhau (ngày ký, ngày sinh)"
        }
    }
}
