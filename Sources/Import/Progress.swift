import Mapping
import Preflight
import Foundation
import WorkOS

#if canImport(Glibc)
import Glibc
#endif

/// The progress line on stderr: done/total, requests per second, 429s, failures, ETA — or, during an outage,
/// what the run is waiting for. Redrawn every second in place on a terminal; a plain line every `interval`
/// otherwise (logs, CI), and at once when an outage starts or ends.
public final class ProgressReporter: Sendable {
    private let render: @Sendable (CircuitBreaker.Outage?) -> String
    private let outage: @Sendable () -> CircuitBreaker.Outage?
    private let isTerminal: Bool
    private let task: Task<Void, Never>?

    /// The import's line, from its statistics.
    public convenience init(statistics: ImportStatistics,
                            outage: @escaping @Sendable () -> CircuitBreaker.Outage? = { nil },
                            enabled: Bool = true, interval: Duration = .seconds(10),
                            isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.init(line: { Self.line(statistics.snapshot, elapsed: statistics.elapsed, outage: $0) }, outage: outage,
                  enabled: enabled, interval: interval, isTerminal: isTerminal)
    }

    /// Any long work's line (`reconcile`, `undo`): `line` gets the outage in progress, if any.
    public init(line: @escaping @Sendable (CircuitBreaker.Outage?) -> String,
                outage: @escaping @Sendable () -> CircuitBreaker.Outage? = { nil },
                enabled: Bool = true, interval: Duration = .seconds(10),
                isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.render = line
        self.outage = outage
        self.isTerminal = isTerminal
        guard enabled else { task = nil; return }
        task = Task { [isTerminal] in
            let clock = ContinuousClock()
            var lastLine = clock.now
            var wasDown = false
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                let down = outage()
                let changed = (down != nil) != wasDown
                wasDown = down != nil
                guard isTerminal || changed || clock.now - lastLine >= interval else { continue }
                lastLine = clock.now
                Self.emit(line(down), terminal: isTerminal)
            }
        }
    }

    /// Stops the line and leaves the cursor on a fresh line.
    public func finish() {
        task?.cancel()
        if task != nil && isTerminal {
            Self.emit(render(outage()), terminal: true)
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }

    static func emit(_ line: String, terminal: Bool) {
        let text = terminal ? "\r" + line + "\u{1B}[K" : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `users 1,234/20,000 (6%) · 48.7 req/s · 0 429s · 0 failed · ETA 6m25s`, or during an outage
    /// `users 1,234/20,000 (6%) · paused: WorkOS unreachable since 12:03:41 (timed out); retrying every 30 s · 0 failed`
    public static func line(_ s: ImportStatistics.Snapshot, elapsed: Double,
                            outage: CircuitBreaker.Outage? = nil) -> String {
        let done = s.processed
        let percent = s.total > 0 ? " (\(done * 100 / s.total)%)" : ""
        if let outage {
            return "users \(grouped(done))/\(grouped(s.total))\(percent) · paused: \(outage) · \(grouped(s.failed)) failed"
        }
        let rate = elapsed > 0 ? Double(s.requests) / elapsed : 0
        var eta = "—"
        if done > s.alreadyDone && s.total > done && elapsed > 0 {
            let perSecond = Double(done - s.alreadyDone) / elapsed
            eta = duration(Double(s.total - done) / perSecond)
        } else if s.total > 0 && done >= s.total {
            eta = "0s"
        }
        return "users \(grouped(done))/\(grouped(s.total))\(percent) · \(String(format: "%.1f", rate)) req/s"
            + " · \(grouped(s.rateLimited)) 429s · \(grouped(s.failed)) failed · ETA \(eta)"
    }

    /// `1h02m`, `6m25s`, `42s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h" + String(format: "%02dm", (s % 3600) / 60) }
        if s >= 60 { return "\(s / 60)m" + String(format: "%02ds", s % 60) }
        return "\(s)s"
    }

    /// `20,000`
    public static func grouped(_ n: Int) -> String { PreflightReport.grouped(n) }
}
