import Foundation

/// When to try a failed delivery again: exponential backoff with jitter, the case system's `Retry-After` honoured,
/// permanent failures parked. A pure function of its inputs, so it is tested with fixed times and random draws.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay after the first failed attempt.
    public var baseDelay: TimeInterval
    /// The longest wait between attempts.
    public var maxDelay: TimeInterval
    public var multiplier: Double
    /// The share of each delay that is random (0 = none, 1 = "full jitter"), so that desks coming back from one
    /// outage do not all call at once.
    public var jitter: Double

    public init(baseDelay: TimeInterval = 2, maxDelay: TimeInterval = 600, multiplier: Double = 2, jitter: Double = 0.5) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.jitter = min(1, max(0, jitter))
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Date)
        case park
    }

    /// `attempt` is the number of attempts made so far (1 after the first); `random` is a draw in 0..<1.
    public func decide(attempt: Int, failure: DeliveryFailure, now: Date, random: Double) -> Decision {
        guard shouldRetry(failure) else { return .park }
        var wait = delay(afterAttempt: attempt, random: random)
        if let retryAfter = failure.retryAfter { wait = max(wait, min(retryAfter, maxDelay)) }
        return .retry(at: now.addingTimeInterval(wait))
    }

    public func shouldRetry(_ failure: DeliveryFailure) -> Bool { failure.kind == .retryable }

    /// The backoff after `attempt` attempts: base × multiplier^(attempt-1), capped, the jittered share drawn.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let full = min(maxDelay, baseDelay * pow(multiplier, min(exponent, 62)))
        return full * (1 - jitter) + full * jitter * min(max(random, 0), 1)
    }
}
