import Mapping
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Fault injection for the crash-point sweep test: with `HASHPORT_TEST_KILL_AFTER_COMMITS=k` in the environment the
/// process kills itself (SIGKILL) right after the journal's k-th commit — a crash at an exact point of the protocol,
/// such as between a user's intent and its result. Nothing sets it outside the tests.
final class JournalCrashPoint: TransactionObserver, Sendable {
    static let variable = "HASHPORT_TEST_KILL_AFTER_COMMITS"
    private let remaining: Atomic<Int>

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[Self.variable], let commits = Int(text), commits > 0 else { return nil }
        remaining = Atomic(commits)
    }

    // Every change is observed so that every commit that wrote something is counted.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseDidCommit(_ db: Database) {
        if remaining.subtract(1, ordering: .relaxed).newValue == 0 { kill(getpid(), SIGKILL) }
    }
}
