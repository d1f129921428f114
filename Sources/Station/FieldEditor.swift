import Forms
import Foundation

/// An operator's or officer's typed value, checked by the same rules as extraction.
public struct FieldEditor: Sendable {
    /// Field types and date roles by form id and key ("members.N.fullName" for table cells).
    private let types: [String: [String: (FieldType, DateRole?)]]
    /// Form titles by form id.
    public let titles: [String: String]

    public init(templates: [FormTemplate]) {
        var types: [String: [String: (FieldType, DateRole?)]] = [:]
        for t in templates {
            var map: [String: (FieldType, DateRole?)] = [:]
            for section in t.sections { for f in section.fields { map[f.key] = (f.type, f.dateRole) } }
            for table in t.tables ?? [] {
                for c in table.columns {
                    map["\(table.rowPrefix ?? table.id).N.\(c.field)"] = (c.type, c.dateRole)
                    for r in table.records ?? [] { map["\(r.prefix).\(c.field)"] = (c.type, c.dateRole) }
                }
            }
            types[t.id] = map
        }
        self.types = types
        titles = Dictionary(templates.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
    }

    public func type(form: String?, key: String) -> (FieldType, DateRole?) {
        guard let form, let map = types[form] else { return (.text, nil) }
        if let t = map[key] { return t }
        // Table rows: members.2.fullName → members.N.fullName.
        let parts = key.split(separator: ".")
        if parts.count == 3, Int(parts[1]) != nil, let t = map["\(parts[0]).N.\(parts[2])"] { return t }
        return (.text, nil)
    }

    public enum Outcome: Equatable, Sendable {
        case accepted(String?)
        /// Refused, with a message saying why (Vietnamese).
        case refused(String)
    }

    /// Normalises the typed value; an empty entry is an empty field. A value its type's check finds wrong is
    /// refused with the reason.
    public func check(_ typed: String, form: String?, key: String) -> Outcome {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard !text.isEmpty else { return .accepted(nil) }
        guard text.count <= 500 else { return .refused("Giá trị quá dài (tối đa 500 ký tự).") }
        let (type, role) = self.type(form: form, key: key)
        if type == .text || type == .address { return .accepted(text) }
        let checked = ValueChecker.check(text, as: type, context: CheckContext(dateRole: role ?? .any))
        // Refused: what cannot be right (no calendar date, wrong digit count, digits in a name…). Accepted: what is
        // merely unusual (a rare family name, an old date): the person has the paper in front of them.
        let hard = checked.issues.filter(Self.hardIssues.contains)
        guard let value = checked.value, hard.isEmpty else {
            let why = hard.isEmpty ? "" : " (" + hard.map(\.message).joined(separator: "; ") + ")"
            return .refused(Self.reason(type) + why)
        }
        return .accepted(value)
    }

    static let hardIssues: Set<CheckIssue> = [
        .badFormat, .ambiguous, .notACalendarDate, .yearOutOfRange, .nameWordCount, .nonLetterInName, .badIdLength,
        .badProvinceCode, .badCenturyDigit, .badPhonePrefix, .badPhoneLength, .badEmail, .unknownEthnicity,
    ]

    static func reason(_ type: FieldType) -> String {
        switch type {
        case .date: "Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 05/03/1990."
        case .year: "Năm không hợp lệ."
        case .id: "Số định danh phải có 12 chữ số (hoặc CMND 9 chữ số) với mã tỉnh và năm sinh hợp lệ."
        case .phone: "Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0)."
        case .email: "Địa chỉ email không hợp lệ."
        case .sex: "Giới tính phải là Nam hoặc Nữ."
        case .ethnicity: "Không có dân tộc này trong danh mục 54 dân tộc."
        case .name: "Họ tên chỉ gồm chữ cái và khoảng trắng, 2–6 từ."
        case .integer: "Phải là một số."
        case .text, .address: "Giá trị không hợp lệ."
        }
    }
}
