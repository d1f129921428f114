@testable import Forms

/// A fixed "today" so that date plausibility does not depend on when the tests run.
let fixedToday = SimpleDate(year: 2026, month: 11, day: 15)!

func context(_ role: DateRole = .any) -> CheckContext {
    CheckContext(today: fixedToday, dateRole: role)
}
