import Foundation

/// Reads a `Retry-After` header: delay-seconds (`"3"`) or an HTTP date (`"Sun, 06 Nov 1994 08:49:37 GMT"`).
public enum RetryAfter {
    /// The wait it asks for, at most `cap`, never negative; nil when the header is absent or unreadable.
    public static func parse(_ value: String?, now: Double, cap: Duration = .seconds(60)) -> Duration? {
        guard let raw = value?.trimmingWhitespace(), !raw.isEmpty else { return nil }
        if raw.allSatisfy(\.isASCIIDigit) {
            // A huge number is simply "longer than the cap".
            guard raw.count <= 9, let seconds = Int(raw) else { return cap }
            return min(.seconds(seconds), cap)
        }
        guard let date = parseIMFFixdate(raw) else { return nil }
        let wait = Double(date) - now
        if wait <= 0 { return .zero }
        return min(.seconds(wait), cap)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since 1970 for `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's preferred form).
    static func parseIMFFixdate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int64(parts[1]), (1...31).contains(day),
              let monthIndex = months.firstIndex(of: String(parts[2])),
              parts[3].count == 4, let year = Int64(parts[3]), year >= 1970 else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let h = Int64(clock[0]), let m = Int64(clock[1]), let s = Int64(clock[2]),
              (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
        // Foundation's calendar does the date arithmetic (this runs only on a 429).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: Int(year), month: monthIndex + 1, day: Int(day),
                                        hour: Int(h), minute: Int(m), second: Int(s))
        guard let date = calendar.date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded())
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
