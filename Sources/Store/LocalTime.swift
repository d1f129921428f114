import Foundation

/// Dates as people at the desk read them: Vietnam's time zone (UTC+7), fixed formats.
public enum LocalTime {
    public static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// `date` in `format` (a `DateFormatter` pattern such as "HH:mm dd/MM/yyyy" or "yyMMdd").
    public static func string(_ date: Date, _ format: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = format
        return f.string(from: date)
    }
}
