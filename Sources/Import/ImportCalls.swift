import Mapping
import Preflight
import WorkOS

/// Runs one WorkOS call for the pipeline and counts what it cost (sends, retries, writes, 429s).
struct ImportCalls: Sendable {
    let statistics: ImportStatistics

    func run<Value: Sendable>(write: Bool, _ call: () async throws -> WorkOSResponse<Value>) async throws
        -> WorkOSResponse<Value> {
        do {
            let response = try await call()
            count(attempts: response.attempts, write: write)
            return response
        } catch let error as WorkOSError {
            count(attempts: max(error.attempts, error.delivery == .notSent ? 0 : 1), write: write)
            throw error
        }
    }

    private func count(attempts: Int, write: Bool) {
        statistics.update {
            $0.requests += attempts
            if write { $0.writes += attempts }
        }
    }
}
