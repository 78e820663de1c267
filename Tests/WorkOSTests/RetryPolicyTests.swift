import Testing
@testable import WorkOS

@Suite struct RetryPolicyTests {
    /// A deterministic generator so the bounds are checked on a known sequence.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func ceilingDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.ceiling(forRetry: 1) == .milliseconds(100))
        #expect(policy.ceiling(forRetry: 2) == .milliseconds(200))
        #expect(policy.ceiling(forRetry: 4) == .milliseconds(800))
        #expect(policy.ceiling(forRetry: 5) == .seconds(1))
        #expect(policy.ceiling(forRetry: 60) == .seconds(1))
    }

    @Test func fullJitterStaysWithinBoundsAndSpreads() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(5))
        var generator = SplitMix(state: 42)
        for retry in 1...8 {
            let delays = (0..<200).map { _ in policy.delay(forRetry: retry, using: &generator) }
            let ceiling = policy.ceiling(forRetry: retry)
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter: the waits cover the range, not one point.
            #expect(delays.min()! < ceiling / 4)
            #expect(delays.max()! > ceiling * 3 / 4)
        }
    }

    @Test func retriesOnlyWhatCanSucceedLater() {
        let policy = RetryPolicy(maxAttempts: 3)
        func answered(_ status: Int) -> WorkOSError { WorkOSError(delivery: .answered, status: status, message: "") }
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(policy.shouldRetry(answered(status), afterAttempt: 1), "status \(status)")
        }
        for status in [400, 401, 403, 404, 409, 422] {
            #expect(!policy.shouldRetry(answered(status), afterAttempt: 1), "status \(status)")
        }
        #expect(policy.shouldRetry(WorkOSError(delivery: .ambiguous, message: ""), afterAttempt: 2))
        #expect(policy.shouldRetry(WorkOSError(delivery: .notSent, message: ""), afterAttempt: 1))
        #expect(!policy.shouldRetry(answered(503), afterAttempt: 3))
    }

    @Test func retryAfterIsHonouredAndCapped() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(60))
        var error = WorkOSError(delivery: .answered, status: 429, message: "", retryAfter: .seconds(7))
        #expect(policy.delay(after: error, retry: 1) == .seconds(7))
        error.retryAfter = .seconds(600)
        #expect(policy.delay(after: error, retry: 1) == .seconds(60))
    }
}
