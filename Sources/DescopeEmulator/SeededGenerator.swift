import Synchronization

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so a fault run can be
/// repeated exactly (`Double.random` would differ every run).
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One seeded generator shared by every request.
final class FaultDice: Sendable {
    private let generator: Mutex<SplitMix64>
    init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

    /// A uniform value in [0, 1).
    func roll() -> Double {
        generator.withLock { Double($0.next() >> 11) * 0x1.0p-53 }
    }
}
