import Foundation

/// WorkOS-style object ids: a prefix and 26 Crockford base32 characters (48-bit time, 80 random bits).
enum ObjectID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".unicodeScalars)

    static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(Date().timeIntervalSince1970 * 1000) & 0xFFFF_FFFF_FFFF
        var out = prefix + "_"
        out.unicodeScalars.reserveCapacity(prefix.count + 27)
        // 10 characters of time (50 bits, the top 2 always zero) then 16 of randomness.
        for shift in stride(from: 45, through: 0, by: -5) {
            out.unicodeScalars.append(alphabet[Int((millis >> UInt64(shift)) & 31)])
        }
        for _ in 0..<16 { out.unicodeScalars.append(alphabet[Int(generator.next() & 31)]) }
        return out
    }

    static func requestID() -> String { "req_" + make("x").dropFirst(2) }
}

/// Timestamps as WorkOS writes them: `2026-11-29T00:40:00.123Z`.
enum Timestamp {
    static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
