import Synchronization

/// The emulator's injected faults drawn from one seeded generator (`--seed`): the same seed and the same
/// order of requests give the same faults, so a rehearsal or a test that failed can be run again as it was.
final class FaultDice: Sendable {
    private let generator: Mutex<SplitMix64>

    init(seed: UInt64) { generator = Mutex(SplitMix64(state: seed)) }

    /// True with probability `rate` (0…1); a rate of 0 draws nothing, so it leaves the sequence alone.
    func roll(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        let draw = generator.withLock { Double($0.next() >> 11) * 0x1p-53 }
        return draw < rate
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and every seed gives a full-period sequence.
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// When the emulator hangs: it accepts connections and reads requests but answers none, as a frozen WorkOS
/// does. A hang starts now (`hang(for:)`), at a time after the start (`hangAfter`), or once a number of
/// writes has been applied (`hangAfterWrites`); requests held by it are closed unanswered (and unapplied)
/// when it ends.
final class HangSwitch: Sendable {
    private struct State {
        var until: ContinuousClock.Instant?
        var from: ContinuousClock.Instant?
        var afterWrites: Int?
        var writes = 0
        /// The length of the hang `afterWrites` starts (the configuration's `hangFor` unless set at run time).
        var pendingDuration: Duration?
    }

    private let clock = ContinuousClock()
    private let duration: Duration
    private let state: Mutex<State>

    init(configuration: EmulatorConfiguration) {
        duration = configuration.hangFor
        var initial = State()
        if let after = configuration.hangAfter {
            let from = ContinuousClock.now + after
            initial.from = from
            initial.until = from + configuration.hangFor
        }
        initial.afterWrites = configuration.hangAfterWrites
        state = Mutex(initial)
    }

    /// Hangs from now for `duration` (a longer hang already set is cut to this one).
    func hang(for duration: Duration) {
        let now = clock.now
        state.withLock { $0.from = now; $0.until = now + duration }
    }

    /// Hangs for `duration` once `writes` more writes have been applied from now.
    func hang(afterWrites writes: Int, for duration: Duration) {
        state.withLock { s in
            s.afterWrites = s.writes + max(1, writes)
            s.pendingDuration = duration
        }
    }

    /// Ends a hang now; held requests are closed unanswered.
    func end() {
        state.withLock { $0.until = nil; $0.from = nil; $0.afterWrites = nil }
    }

    /// True while hanging.
    var isHanging: Bool {
        let now = clock.now
        return state.withLock { s in
            guard let from = s.from, let until = s.until else { return false }
            return from <= now && now < until
        }
    }

    /// Counts an applied write; the one that reaches `hangAfterWrites` starts the hang.
    func noteAppliedWrite() {
        let now = clock.now
        state.withLock { s in
            s.writes += 1
            guard let limit = s.afterWrites else { return }
            if s.writes >= limit {
                s.afterWrites = nil
                s.from = now
                s.until = now + (s.pendingDuration ?? duration)
                s.pendingDuration = nil
            }
        }
    }
}
