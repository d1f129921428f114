/// What a check needs to know besides the text: today's date (injected for tests) and the date's role.
public struct CheckContext: Sendable {
    public var today: SimpleDate
    public var dateRole: DateRole

    public init(today: SimpleDate = .today(), dateRole: DateRole = .any) {
        self.today = today
        self.dateRole = dateRole
    }
}
