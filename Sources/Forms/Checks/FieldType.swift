/// The kind of value a form field holds; decides how `ValueChecker` normalises and checks it.
public enum FieldType: String, Codable, Sendable, CaseIterable {
    case text, name, date, year, id, phone, email, sex, ethnicity, address, integer
}

/// What a date on a form is the date of; decides which dates are plausible.
public enum DateRole: String, Codable, Sendable {
    /// No role-specific range: any real date from 1900 up to today.
    case any
    /// A child's birth on a birth registration: within the last six years, not in the future.
    case childBirth
    /// An adult's birth (requester, parent, spouse, applicant): aged 14 to 110 today.
    case adultBirth
    /// The date a form was signed: within the last two years, not in the future.
    case signing
}
