import Foundation

/// `--since T`: ISO 8601 (`2026-03-01T09:30:00Z`, with fractions or an offset, or a date alone for
/// midnight UTC) or Unix seconds (`1772357400`, fractions allowed) → epoch milliseconds, Descope's filter unit.
public enum PullSince {
    public static func milliseconds(_ text: String) throws(PullSinceError) -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw .unreadable(text) }
        if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            guard let seconds = Double(t), seconds.isFinite else { throw .unreadable(text) }
            // 13 digits are milliseconds, not seconds: year 33658 is no cutover date.
            guard seconds < 100_000_000_000 else { throw .looksLikeMilliseconds(text) }
            return Int64((seconds * 1000).rounded(.down))
        }
        // The date-only format would also read the date part of a longer text: only for a date alone.
        for options in formats where options != [.withFullDate] || t.count == 10 {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: t) {
                let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
                guard ms >= 0 else { throw .beforeEpoch(text) }
                return Int64(ms)
            }
        }
        if t.contains("T") && !t.hasSuffix("Z") && !t.dropFirst(10).contains(where: { $0 == "+" || $0 == "-" }) {
            throw .noTimeZone(text)
        }
        throw .unreadable(text)
    }

    private static let formats: [ISO8601DateFormatter.Options] = [
        [.withInternetDateTime, .withFractionalSeconds],
        [.withInternetDateTime],
        [.withFullDate],
    ]

    /// `2026-03-01T09:30:00.000Z`
    public static func iso8601(milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

public enum PullSinceError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(String)
    case looksLikeMilliseconds(String)
    case noTimeZone(String)
    case beforeEpoch(String)

    public var description: String {
        switch self {
        case .unreadable(let t):
            return "--since '\(t)' is neither ISO 8601 (2026-03-01T09:30:00Z) nor Unix seconds (1772357400)"
        case .looksLikeMilliseconds(let t):
            return "--since \(t) looks like milliseconds; give Unix seconds (drop the last three digits)"
        case .noTimeZone(let t):
            return "--since '\(t)' has no time zone: add Z (UTC) or an offset such as +02:00"
        case .beforeEpoch(let t): return "--since '\(t)' is before 1970"
        }
    }
}
