import Foundation
import Migration
import Testing
import WorkOS
import WorkOSEmulator

/// WorkOS freezing mid-run (the emulator accepts connections and answers nothing), against the real emulator.
@Suite("Import through an outage")
struct ImportOutageTests {
    /// Each send gives up after 400 ms and a request has 3 of them (with short backoffs): about 1.5 s in all,
    /// well under the 4 s hang below.
    static let shortBudget = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))

    static func run(_ h: ImportHarness, _ run: ImportRun, breaker: CircuitBreaker.Policy?) async throws
        -> (ImportResult, ImportReport) {
        let client = try h.client(retry: shortBudget, breaker: breaker, requestTimeout: .milliseconds(400))
        do {
            let outcome = try await run.execute(client: client, stop: ImportStop(), showProgress: false)
            try await client.shutdown()
            return outcome
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("a hang longer than the retry budget mid-run: the run waits it out, every user once, nobody failed",
          .timeLimit(.minutes(2)))
    func hangIsWaitedOut() async throws {
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 25,
                                           hangFor: .seconds(4))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            let (result, report) = try await Self.run(h, h.importRun(paths), breaker: ImportHarness.fastBreaker())
            #expect(result.ending == .finished)
            #expect(report.users.created == 30)
            #expect(report.users.failed == 0 && report.memberships.failed == 0 && report.organizations.failed == 0)
            #expect(result.totals.count(.failed) == 0 && result.totals.count(.pending) == 0)
            let stats = await h.emulator.statistics()
            #expect(stats.hungRequests >= 1, "the emulator really hung mid-run")
            try await h.expectExactContents(users: 30)
        }
    }

    @Test("the same hang without the breaker fails users: the hang really outlasts the retry budget",
          .timeLimit(.minutes(2)))
    func withoutTheBreakerUsersFail() async throws {
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 25,
                                           hangFor: .seconds(4))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            let (_, report) = try await Self.run(h, h.importRun(paths), breaker: nil)
            #expect(report.users.failed + report.memberships.failed > 0)
        }
    }

    @Test("an outage longer than --max-outage stops the run as resumable, nobody failed; the rerun completes",
          .timeLimit(.minutes(2)))
    func outageLongerThanTheLimit() async throws {
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 20,
                                           hangFor: .seconds(600))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            let (result, report) = try await Self.run(h, h.importRun(paths),
                                                      breaker: ImportHarness.fastBreaker(maxOutage: .seconds(1)))
            guard case .outage(let message) = result.ending else { Issue.record("ending \(result.ending)"); return }
            #expect(message.contains("WorkOS has not answered since"))
            #expect(report.ending == "outage")
            #expect(report.summary.contains("rerun the same command to resume"))
            #expect(result.statistics.processed < 30)
            #expect(report.users.failed == 0 && report.memberships.failed == 0)
            #expect(result.totals.count(.failed) == 0)
            h.emulator.endHang()
            let (resumed, _) = try await h.run(h.importRun(paths))
            #expect(resumed.ending == .finished)
            try await h.expectExactContents(users: 30)
        }
    }
}
