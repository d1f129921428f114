import Delivery
import Foundation
import Testing

/// The retry state machine, with fixed times and random draws.
@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(baseDelay: 2, maxDelay: 60, multiplier: 2, jitter: 0.5)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func backoffDoublesUpToTheCap() {
        #expect(policy.delay(afterAttempt: 1, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 2, random: 1) == 4)
        #expect(policy.delay(afterAttempt: 5, random: 1) == 32)
        #expect(policy.delay(afterAttempt: 6, random: 1) == 60)
        #expect(policy.delay(afterAttempt: 500, random: 1) == 60)
    }

    @Test func jitterDrawsWithinItsShare() {
        #expect(policy.delay(afterAttempt: 3, random: 0) == 4)
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == 6)
        #expect(policy.delay(afterAttempt: 3, random: 0.999) < 8)
        let none = RetryPolicy(baseDelay: 2, maxDelay: 60, jitter: 0)
        #expect(none.delay(afterAttempt: 3, random: 0.7) == 8)
    }

    @Test(arguments: [("network", nil as Int?), ("timeout", 408), ("rate_limited", 429), ("server_error", 500),
                      ("server_error", 502), ("server_error", 503)])
    func retryableFailuresWaitTheirBackoff(code: String, status: Int?) {
        let kind = status.map(DeliveryFailure.kind(ofStatus:)) ?? .retryable
        #expect(kind == .retryable)
        let failure = DeliveryFailure(kind, code, "x", status: status)
        #expect(policy.decide(attempt: 3, failure: failure, now: now, random: 0) == .retry(at: now.addingTimeInterval(4)))
    }

    @Test(arguments: [400, 401, 403, 404, 409, 413, 415, 422])
    func otherClientErrorsPark(status: Int) {
        let failure = DeliveryFailure(DeliveryFailure.kind(ofStatus: status), "rejected", "HTTP \(status)", status: status)
        #expect(failure.kind == .permanent)
        #expect(policy.decide(attempt: 1, failure: failure, now: now, random: 0.3) == .park)
    }

    @Test func retryAfterIsHonouredButCapped() {
        let soon = DeliveryFailure(.retryable, "rate_limited", "429", status: 429, retryAfter: 30)
        #expect(policy.decide(attempt: 1, failure: soon, now: now, random: 0) == .retry(at: now.addingTimeInterval(30)))
        let late = DeliveryFailure(.retryable, "rate_limited", "429", status: 429, retryAfter: 86400)
        #expect(policy.decide(attempt: 1, failure: late, now: now, random: 0) == .retry(at: now.addingTimeInterval(60)))
        // A Retry-After shorter than the backoff does not shorten it.
        let short = DeliveryFailure(.retryable, "server_error", "503", status: 503, retryAfter: 1)
        #expect(policy.decide(attempt: 4, failure: short, now: now, random: 0) == .retry(at: now.addingTimeInterval(8)))
    }
}
