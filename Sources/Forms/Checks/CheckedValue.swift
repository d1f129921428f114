/// A field value after normalisation and checks.
public struct CheckedValue: Sendable, Equatable {
    /// The value in its normal form (README, "The draft contract"): dates `YYYY-MM-DD`, digits only for ids and phones, `Nam`/`Nữ`,
    /// lower-case e-mail, names NFC in the printed case. `nil` when nothing usable was read.
    public var value: String?
    /// 0…1, how strongly the checks support that `value` is a correct reading.
    /// About 0.95–1 when every check passes with corroboration, 0.6–0.85 when the value is well formed but
    /// nothing corroborates it, 0.3 or less when a check failed, 0 when `value` is nil.
    public var plausibility: Double
    /// Why the plausibility is lowered, in the order found; empty when nothing is wrong.
    public var issues: [CheckIssue]

    public init(value: String?, plausibility: Double, issues: [CheckIssue] = []) {
        self.value = value
        self.plausibility = value == nil ? 0 : min(1, max(0, plausibility))
        self.issues = issues
    }

    static func empty() -> CheckedValue { CheckedValue(value: nil, plausibility: 0, issues: [.empty]) }
}
