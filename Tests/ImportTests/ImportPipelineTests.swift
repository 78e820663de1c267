import Foundation
import Import
import Mapping
import Preflight
import Testing
import WorkOS
import WorkOSEmulator

/// `hashport import` against the real emulator over loopback, with a real SQLite journal.
@Suite("Import pipeline against the emulator")
struct ImportPipelineTests {
    @Test("a normal import puts every user, hash, organization and membership in WorkOS exactly once")
    func normalImport() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 24)
            let (result, report) = try await h.run(h.importRun(paths))
            #expect(result.ending == .finished)
            #expect(result.runStart == .fresh)
            #expect(report.users.created == 24)
            #expect(report.users.failed == 0 && report.users.existing == 0)
            #expect(report.organizations.created == 2)
            #expect(report.memberships.created == (1...24).reduce(0) { $0 + ImportHarness.expectedUser($1).tenants.count })
            #expect(!report.hasFailures)
            try await h.expectExactContents(users: 24)

            // The same command again: nothing left to do, nothing sent but the organization lookups.
            let before = await h.emulator.statistics()
            let (again, againReport) = try await h.run(h.importRun(paths))
            #expect(again.runStart == .resume)
            #expect(againReport.users.alreadyDone == 24)
            #expect(againReport.users.created == 0)
            let after = await h.emulator.statistics()
            #expect(after.writesApplied == before.writesApplied)
            try await h.expectExactContents(users: 24)
        }
    }

    @Test("users already in WorkOS are found by email, recorded as existing, and still get their memberships")
    func duplicatesPreseeded() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 12)
            let client = try h.client()
            for i in [2, 5, 9] {
                // Made by hand before the import: same email, no hash, no external id.
                _ = try await client.createUser(CreateUserRequest(email: ImportHarness.expectedUser(i).email))
            }
            try await client.shutdown()
            let (result, report) = try await h.run(h.importRun(paths))
            #expect(result.ending == .finished)
            #expect(report.users.created == 9)
            #expect(report.users.existing == 3)
            #expect(report.users.resolvedByLookup == 3)
            let snapshot = try await h.emulator.snapshot()
            #expect(snapshot.users.count == 12)
            for i in [2, 5, 9] {
                let stored = try #require(snapshot.user(email: ImportHarness.expectedUser(i).email))
                #expect(stored.passwordHash == nil, "without --update-existing the hash is left alone")
                #expect(snapshot.memberships.filter { $0.userId == stored.user.id }.count
                        == ImportHarness.expectedUser(i).tenants.count)
            }
            // --update-existing on a new state file: the existing users get their hash by PUT.
            let (_, updated) = try await h.run(h.importRun(paths, state: "update.sqlite",
                                                           options: ImportOptions(concurrency: 4, updateExisting: true)))
            #expect(updated.users.updated == 12, "all 12 exist now; each gets its hash")
            try await h.expectExactContents(users: 12)
        }
    }

    @Test("faults injected (20% 5xx, 5% dropped after the write, 50 ms): every user and membership exactly once")
    func faultsInjected() async throws {
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, latency: .milliseconds(50),
                                           failRate: 0.2, dropRate: 0.05, seed: 12)
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 30)
            var (result, report) = try await h.run(h.importRun(paths, options: ImportOptions(concurrency: 12)))
            #expect(result.ending == .finished)
            // A row may exhaust its retries under this much failure; the rerun of the same command finishes it.
            var reruns = 0
            while report.users.failed + report.memberships.failed + report.organizations.failed > 0 && reruns < 3 {
                (result, report) = try await h.run(h.importRun(paths, options: ImportOptions(concurrency: 12)))
                reruns += 1
            }
            let stats = await h.emulator.statistics()
            // Seeded: with ~100 writes at 20% + 5% some certainly occur, but a 5% drop alone may not.
            #expect(stats.injectedFailures + stats.droppedConnections > 0, "faults were really injected")
            let totals = result.totals
            #expect(totals.count(.created) + totals.count(.existing) == 30)
            try await h.expectExactContents(users: 30)
        }
    }

    @Test("a wrong API key stops the run at the first 401, having sent nothing else")
    func wrongKey() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 20)
            let (result, report) = try await h.run(h.importRun(paths), key: "sk_test_not_the_right_key")
            guard case .apiKeyRejected = result.ending else {
                Issue.record("ending \(result.ending)"); return
            }
            #expect(report.ending == "api_key_rejected")
            let stats = await h.emulator.statistics()
            #expect(stats.unauthorized >= 1)
            // Organizations go first, at most 4 at a time: the run stops there.
            #expect(stats.requests <= 4)
            #expect(report.users.created == 0)
            let snapshot = try await h.emulator.snapshot()
            #expect(snapshot.users.isEmpty && snapshot.organizations.isEmpty)
        }
    }

    @Test("a changed input is refused without --delta; with it only the new user is sent")
    func changedInputNeedsDelta() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 10)
            _ = try await h.run(h.importRun(paths))
            try h.writeExport(users: 11)  // a user signed up after the export
            await #expect(throws: ImportJournalError.self) {
                _ = try await h.run(h.importRun(paths))
            }
            let before = await h.emulator.statistics()
            let (result, report) = try await h.run(h.importRun(paths, options: ImportOptions(concurrency: 4, delta: true)))
            guard case .delta = result.runStart else { Issue.record("run \(result.runStart)"); return }
            #expect(report.users.created == 1)
            #expect(report.users.alreadyDone == 10)
            let after = await h.emulator.statistics()
            // One user and its membership(s): nothing else written.
            #expect(after.writesApplied - before.writesApplied == 1 + ImportHarness.expectedUser(11).tenants.count)
            try await h.expectExactContents(users: 11)
        }
    }

    @Test("rejected rows are never sent and are listed in the errors file")
    func rejectedRowsNeverSent() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 4)
            // Row 6: no email; row 7: the same email as user 1.
            var csv = try String(contentsOfFile: paths.csv, encoding: .utf8)
            csv += "U2harnessNoEmail,,\(ImportHarness.bcrypt)\nU2harnessDup,USER1@harness.example,\(ImportHarness.bcrypt)\n"
            try csv.write(toFile: paths.csv, atomically: true, encoding: .utf8)
            let (_, report) = try await h.run(h.importRun(paths))
            #expect(report.users.rejected == 3, "no email, and both rows of the duplicated email")
            #expect(report.hasFailures)
            let errors = try String(contentsOfFile: h.directory + "/errors.csv", encoding: .utf8)
            let lines = errors.split(separator: "\n")
            #expect(lines.first == "row,email,stage,http_status,code,sub_codes,request_id,retryable,message")
            #expect(lines.dropFirst().filter { $0.contains(",mapping,") }.count == 3)
            #expect(!errors.contains(ImportHarness.bcrypt), "no hash in the errors file")
            let attributes = try FileManager.default.attributesOfItem(atPath: h.directory + "/errors.csv")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let snapshot = try await h.emulator.snapshot()
            #expect(snapshot.users.count == 3)
            #expect(snapshot.user(email: "user1@harness.example") == nil)
        }
    }

    @Test("a dry run sends nothing and counts what would be sent")
    func dryRun() async throws {
        try await ImportHarness.with { h in
            let paths = try h.writeExport(users: 8)
            let plan = try await h.importRun(paths, options: ImportOptions(dryRun: true)).plan()
            #expect(plan.createWithPassword == 8)
            #expect(plan.organizations == 2)
            #expect(plan.memberships == (1...8).reduce(0) { $0 + ImportHarness.expectedUser($1).tenants.count })
            #expect(!FileManager.default.fileExists(atPath: h.directory + "/state.sqlite"))
            let stats = await h.emulator.statistics()
            #expect(stats.requests == 0)
        }
    }

    @Test("an interruption cancels the requests in flight, ends as interrupted, and the rerun completes",
          .timeLimit(.minutes(10)))
    func interruptedThenResumed() async throws {
        // The emulator stops answering after 12 writes, so the run is mid-way, with requests in flight, for
        // as long as the test needs: no race with a fast machine, no deadline a slow one can miss.
        let config = EmulatorConfiguration(apiKey: ImportHarness.apiKey, rateLimit: nil, hangAfterWrites: 12,
                                           hangFor: .seconds(600))
        try await ImportHarness.with(config) { h in
            let paths = try h.writeExport(users: 40)
            let stop = ImportStop()
            let run = h.importRun(paths, options: ImportOptions(concurrency: 4))
            let running = Task { try await h.run(run, stop: stop) }
            try await ImportHarness.waitUntil { await h.emulator.statistics().hungRequests >= 1 }
            stop.request(.interrupted)
            let (result, report) = try await running.value
            #expect(result.ending == .interrupted)
            #expect(report.ending == "interrupted")
            #expect(result.statistics.processed < 40)
            #expect(result.statistics.failed == 0, "a cancelled request is not a failure")
            #expect(result.totals.count(.failed) == 0)
            h.emulator.endHang()
            let (resumed, resumedReport) = try await h.run(run)
            #expect(resumed.ending == .finished)
            #expect(resumedReport.users.alreadyDone == result.statistics.processed)
            #expect(resumedReport.users.failed == 0)
            try await h.expectExactContents(users: 40)
        }
    }
}
