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
        let days = daysFromCivil(year: year, month: Int64(monthIndex + 1), day: day)
        return days * 86_400 + h * 3_600 + m * 60 + s
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
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
