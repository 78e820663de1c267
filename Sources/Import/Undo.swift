import Mapping
import Preflight
import Foundation
import WorkOS

/// `hashport undo --state F`: deletes from WorkOS exactly what the import recorded as created by it —
/// memberships first, then users, then organizations — never a user or organization that existed before.
/// Deletes go through the client's limits (users and memberships are `/user_management` writes; organization
/// deletes have their own 50 per 60 s). Each deletion is journaled as it is answered, so an interrupted undo
/// is resumed by running it again.
public struct Undo: Sendable {
    public var client: WorkOSClient
    public var journal: ImportJournal
    public var stop: ImportStop
    /// Deletes in flight at once.
    public var concurrency: Int

    public init(client: WorkOSClient, journal: ImportJournal, stop: ImportStop = ImportStop(), concurrency: Int = 8) {
        self.client = client; self.journal = journal; self.stop = stop; self.concurrency = max(1, concurrency)
    }

    /// How the undo ended.
    public enum Ending: Sendable, Equatable {
        case finished
        case interrupted
        case outage(message: String)
        case apiKeyRejected(message: String)
    }

    public struct Failure: Sendable, Hashable {
        public var item: UndoItem
        public var message: String
        public var requestId: String?
    }

    public struct Result: Sendable {
        public var ending: Ending
        public var deleted: [UndoItem.Kind: Int] = [:]
        /// Already gone from WorkOS (404): recorded as undone.
        public var gone = 0
        public var failures: [Failure] = []
        /// What the state file still holds to undo (the failures, and anything an interruption left).
        public var remaining = UndoCounts()
    }

    /// What a run would delete now.
    public func preview() async throws -> UndoCounts {
        try await journal.undoCounts(pass: try await journal.nextUndoPass())
    }

    /// Deletes everything still to undo; `progress` is called after each deletion with the counts so far.
    public func run(progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Result {
        let pass = try await journal.nextUndoPass()
        let tally = Tally()
        var ending = Ending.finished
        do {
            try await stop.cancelling { [self] in
                for kind in [UndoItem.Kind.membership, .user, .organization] {
                    try await delete(kind, pass: pass, tally: tally, progress: progress)
                }
            }
            if stop.isInterrupted { ending = .interrupted }
        } catch let outage as WorkOSOutage {
            ending = .outage(message: outage.description)
        } catch let error as WorkOSError where error.isAPIKeyRejected {
            ending = .apiKeyRejected(message: error.message)
        } catch is CancellationError {
            ending = .interrupted
        }
        var result = await tally.result(ending: ending)
        result.remaining = try await journal.undoCounts(pass: pass + 1)
        return result
    }

    private func delete(_ kind: UndoItem.Kind, pass: Int, tally: Tally,
                        progress: @escaping @Sendable (Int) -> Void) async throws {
        while true {
            try Task.checkCancellation()
            let batch = try await journal.undoCandidates(kind, pass: pass, limit: 200)
            if batch.isEmpty { return }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for item in batch {
                    if inFlight >= concurrency { _ = try await group.next(); inFlight -= 1 }
                    group.addTask {
                        try await self.delete(item, pass: pass, tally: tally)
                        progress(await tally.done)
                    }
                    inFlight += 1
                }
                try await group.waitForAll()
            }
        }
    }

    private func delete(_ item: UndoItem, pass: Int, tally: Tally) async throws {
        do {
            let answer: WorkOSResponse<Bool>
            switch item.kind {
            case .membership: answer = try await client.deleteMembership(id: item.workosId)
            case .user: answer = try await client.deleteUser(id: item.workosId)
            case .organization: answer = try await client.deleteOrganization(id: item.workosId)
            }
            try await journal.recordUndone(item, pass: pass, gone: !answer.value, requestId: answer.requestId)
            await tally.deleted(item.kind, gone: !answer.value)
        } catch let error as WorkOSError where !error.isAPIKeyRejected {
            try await journal.recordUndoFailure(item, pass: pass, requestId: error.requestId, error: error.description)
            await tally.failed(Failure(item: item, message: error.description, requestId: error.requestId))
        }
    }

    private actor Tally {
        var deleted: [UndoItem.Kind: Int] = [:]
        var gone = 0
        var failures: [Failure] = []
        var done: Int { deleted.values.reduce(0, +) + gone + failures.count }

        func deleted(_ kind: UndoItem.Kind, gone wasGone: Bool) {
            if wasGone { gone += 1 } else { deleted[kind, default: 0] += 1 }
        }

        func failed(_ failure: Failure) { failures.append(failure) }

        func result(ending: Ending) -> Result {
            Result(ending: ending, deleted: deleted, gone: gone,
                   failures: failures.sorted { ($0.item.row ?? 0, $0.item.workosId) < ($1.item.row ?? 0, $1.item.workosId) })
        }
    }
}

extension UndoCounts {
    /// The preview `hashport undo` shows before it asks.
    public func preview(baseURL: String, statePath: String) -> String {
        let g = ProgressReporter.grouped
        var lines = ["hashport undo will DELETE from WorkOS at \(baseURL) what the import with \(statePath) created:",
                     "  memberships    \(g(memberships))",
                     "  users          \(g(users))",
                     "  organizations  \(g(organizations)) (with any membership still in them)"]
        lines.append("Users and organizations that existed before the import are left alone.")
        if undoneBefore > 0 { lines.append("Already undone by an earlier run: \(g(undoneBefore)).") }
        if unsettled > 0 {
            lines.append("\(g(unsettled)) create(s) were sent but never answered (the import was interrupted): undo leaves "
                         + "them; rerun the import with this state file to settle them, then undo again.")
        }
        return lines.joined(separator: "\n")
    }
}
