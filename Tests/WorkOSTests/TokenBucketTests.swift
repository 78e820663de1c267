import Testing
@testable import WorkOS

@Suite struct TokenBucketTests {
    private func elapsed(_ body: () async throws -> Void) async rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        return clock.now - start
    }

    @Test func burstGoesAtOnceThenRateApplies() async throws {
        let bucket = TokenBucket(rate: 50, burst: 3)
        // 3 tokens free, then 5 more at 20 ms each: at least ~100 ms in all.
        let time = try await elapsed { for _ in 0..<8 { try await bucket.acquire() } }
        #expect(time >= .milliseconds(90))
    }

    @Test func pauseHoldsEveryWaiter() async throws {
        let bucket = TokenBucket(rate: 1_000, burst: 10)
        await bucket.pause(for: .milliseconds(300))
        let time = try await elapsed {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 { group.addTask { try await bucket.acquire() } }
                try await group.waitForAll()
            }
        }
        #expect(time >= .milliseconds(280))
        let pauses = await bucket.pauses
        #expect(pauses == 1)
    }

    @Test func pauseDuringWaitIsHonoured() async throws {
        // At 1 token/s the waiter sleeps about 1 s for its token; a 2 s pause that arrives meanwhile must hold it.
        let clock = ContinuousClock()
        let bucket = TokenBucket(rate: 1, burst: 1)
        try await bucket.acquire()  // the free token
        let waiter = Task { () throws -> ContinuousClock.Instant in
            try await bucket.acquire()
            return clock.now
        }
        try await Task.sleep(for: .milliseconds(50))
        let pausedAt = clock.now
        await bucket.pause(for: .seconds(2))  // a 429 arrives while the waiter sleeps
        let acquiredAt = try await waiter.value
        // Measured from the pause itself, so a slow, loaded machine cannot make it pass or fail by accident.
        if acquiredAt > pausedAt {
            #expect(acquiredAt - pausedAt >= .milliseconds(1_950))
        } else {
            // The machine stalled for over a second before the pause was sent: the token was already due.
            #expect(acquiredAt <= pausedAt)
        }
    }

    @Test func headroomPacesBelowTheRate() async throws {
        // 100/s with half kept free is 50/s: 1 free token, then 10 more at 20 ms each (10 ms without headroom).
        let bucket = TokenBucket(rate: 100, burst: 1, headroom: 0.5)
        let time = try await elapsed { for _ in 0..<11 { try await bucket.acquire() } }
        #expect(time >= .milliseconds(190))
    }

    @Test func noBurstRightAfterAPause() async throws {
        // Idle with burst 5, 5 tokens would go at once; after a 100 ms pause they go 20 ms apart instead.
        let bucket = TokenBucket(rate: 50, burst: 5)
        try await Task.sleep(for: .milliseconds(200))
        await bucket.pause(for: .milliseconds(100))
        let time = try await elapsed { for _ in 0..<5 { try await bucket.acquire() } }
        #expect(time >= .milliseconds(170))
    }

    @Test func longerPauseWinsOverShorter() async throws {
        let clock = ContinuousClock()
        let bucket = TokenBucket(rate: 100)
        let before = clock.now
        await bucket.pause(for: .milliseconds(500))
        await bucket.pause(for: .milliseconds(10))
        let remaining = await bucket.remainingPause()
        let spent = clock.now - before
        // The pause ends at least 500 ms after `before`, whatever the machine did meanwhile; had the 10 ms pause
        // won, `remaining` would be at most 10 ms and this fails unless the machine stalled for ~0.5 s.
        #expect(remaining + spent >= .milliseconds(500))
        #expect(remaining <= .milliseconds(500))
    }

    @Test func cancellationEndsTheWait() async throws {
        let bucket = TokenBucket(rate: 1)
        await bucket.pause(for: .seconds(30))
        let waiter = Task { try await bucket.acquire() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
