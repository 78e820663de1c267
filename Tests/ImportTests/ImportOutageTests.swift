import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

/// WorkOS freezing mid-run (the emulator accepts connections and answers nothing), against the real emulator.
@Suite("Import through an outage")
struct ImportOutageTests {
    /// Each send gives up after 1.5 s and a request has 3 of them (with short backoffs): about 4.8 s in all, well
    /// under the hangs below. (400 ms sends failed requests that were not in the hang under ThreadSanitizer.)
    static let shortBudget = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))

    static func run(_ h: ImportHarness, _ run: ImportRun, breaker: CircuitBreaker.Policy?) async throws
        -> (ImportResult, ImportReport) {
        let client = try h.client(retry: shortBudget, breaker: breaker, requestTimeout: .milliseconds(1_500))
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
          .timeLimit(.minutes(10)))
    func hangIsWaitedOut() async throws {
        // The emulator stops answering after 25 writes and stays silent until the breaker has seen three probes
        // fail and 10 s have passed — by then every request in flight has used up its 4.8 s budget twice — then
        // the test ends the hang.
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 25,
                                           hangFor: .seconds(600))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            let client = try h.client(retry: Self.shortBudget, breaker: ImportHarness.fastBreaker(),
                                      requestTimeout: .milliseconds(1_500))
            let run = h.importRun(paths)
            let started = ContinuousClock.now
            let running = Task { try await run.execute(client: client, stop: ImportStop(), showProgress: false) }
            while (client.breaker?.outage?.probes ?? 0) < 3 || ContinuousClock.now - started < .seconds(10) {
                try await Task.sleep(for: .milliseconds(10))
            }
            h.emulator.endHang()
            let (result, report) = try await running.value
            try await client.shutdown()
            #expect(result.ending == .finished)
            #expect(report.users.created == 30)
            #expect(report.users.failed == 0 && report.memberships.failed == 0 && report.organizations.failed == 0)
            #expect(result.totals.count(.failed) == 0 && result.totals.count(.pending) == 0)
            let stats = await h.emulator.statistics()
            #expect(stats.hungRequests >= 4, "the emulator really hung mid-run (requests and probes held)")
            try await h.expectExactContents(users: 30)
        }
    }

    @Test("the same hang without the breaker fails users: the hang really outlasts the retry budget",
          .timeLimit(.minutes(10)))
    func withoutTheBreakerUsersFail() async throws {
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 25,
                                           hangFor: .seconds(600))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            let (_, report) = try await Self.run(h, h.importRun(paths), breaker: nil)
            h.emulator.endHang()
            #expect(report.users.failed + report.memberships.failed > 0)
        }
    }

    @Test("an outage longer than --max-outage stops the run as resumable, nobody failed; the rerun completes",
          .timeLimit(.minutes(10)))
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
