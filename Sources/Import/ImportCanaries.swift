import Mapping
import Preflight
import Foundation
import WorkOS

/// What a canary's login after the import showed.
public struct CanaryOutcome: Sendable, Hashable {
    public enum Result: String, Sendable, Hashable {
        /// Logged in with the old password: the hash survived the move.
        case passed
        /// WorkOS refused the old password (or the call failed): see `message`.
        case failed
        /// The user was imported without a password (a hash WorkOS refuses): a reset is needed.
        case needsReset = "needs_reset"
        /// The user is not in the journal as imported (rejected, skipped, failed, or not in the input).
        case notImported = "not_imported"
    }

    public var line: Int
    public var account: String
    public var email: String?
    public var result: Result
    public var message: String
    public var requestId: String?
}

/// Logs each canary in through `POST /user_management/authenticate` (grant_type password): the
/// end-to-end proof that the hashes survived the move.
public struct CanaryLogin: Sendable {
    public var client: WorkOSClient
    public var clientId: String
    public var journal: ImportJournal

    public init(client: WorkOSClient, clientId: String, journal: ImportJournal) {
        self.client = client; self.clientId = clientId; self.journal = journal
    }

    public func run(_ canaries: CanaryList) async throws -> [CanaryOutcome] {
        var outcomes: [CanaryOutcome] = []
        for canary in canaries.entries {
            let record: JournalUser?
            if !canary.isEmail {
                record = try await journal.user(sourceKey: "id:" + canary.account)
            } else {
                record = try await journal.user(email: canary.account)
            }
            guard let record, record.status == .created || record.status == .existing else {
                outcomes.append(CanaryOutcome(line: canary.line, account: canary.account, email: record?.email,
                                              result: .notImported,
                                              message: record.map { "user is \($0.status.rawValue) in the journal" }
                                                  ?? "user is not in the journal"))
                continue
            }
            let withoutPassword = record.outcome == "ready_without_password"
            do {
                let answer = try await client.authenticate(clientId: clientId, email: record.email,
                                                           password: canaries.password(canary))
                outcomes.append(CanaryOutcome(line: canary.line, account: canary.account, email: record.email,
                                              result: .passed, message: "logged in as \(answer.value.user.id)",
                                              requestId: answer.requestId))
            } catch let error as WorkOSError where !error.isAPIKeyRejected {
                outcomes.append(CanaryOutcome(
                    line: canary.line, account: canary.account, email: record.email,
                    result: withoutPassword ? .needsReset : .failed,
                    message: withoutPassword ? "imported without a password: send a reset" : error.description,
                    requestId: error.requestId))
            }
        }
        return outcomes
    }
}
