import DescopeAPI
import DescopeEmulator
import Foundation
import Testing

/// `UserPull` against the emulator over loopback: every user exactly once whatever happens on the way.
@Suite struct PullTests {
    private func pull(_ client: DescopeClient, _ directory: String, since: Int64? = nil, inFlight: Int = 4,
                      restart: Bool = false) -> UserPull {
        UserPull(client: client, options: PullOptions(directory: directory, since: since, pagesInFlight: inFlight,
                                                      restart: restart))
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func fullPullWithFaultsAndSignUpsMidPullHasEveryUserOnce() async throws {
        let seeded = try store(sampleUsers(2_000))
        let faults = DescopeEmulatorConfiguration(latency: .milliseconds(20), rateLimitedRate: 0.08, retryAfterSeconds: 1,
                                                  failRate: 0.15, seed: 7)
        try await withDescopeEmulator(seeded, faults) { emulator, client in
            let directory = try temporaryDirectory()
            let running = Task { try await pull(client, directory).run() }
            // Sign-ups while the pull is on its early pages, then again halfway.
            var servedAtSignUps: [Int] = []
            for (mark, count) in [(3, 150), (10, 40)] {
                while emulator.statistics.searchPagesServed < mark { try await Task.sleep(for: .milliseconds(1)) }
                servedAtSignUps.append(emulator.statistics.searchPagesServed)
                // Ids that sort among the seeded ones: a pull in userId order would see pages shift.
                try seeded.addUsers((0..<count).map {
                    ["userId": "U\(String(format: "%06d", $0 * 13 + mark))late", "email": "late\(mark)-\($0)@example.com",
                     "status": "invited"]
                })
            }
            let outcome = try await running.value
            #expect(outcome.ending == .finished)
            // The sign-ups came while pages were still to be read (2,190 users are 22 pages).
            #expect(servedAtSignUps.allSatisfy { $0 < 22 }, "\(servedAtSignUps)")
            expectExactlyOnce(try pulledIds(directory), seeded.userIds)
            let s = emulator.statistics
            #expect(s.rateLimited > 0 && s.injectedFailures > 0, "the faults were injected: \(s)")
            // The client saw them all, but for the answers to pages it no longer needed (asked ahead of the end).
            let traffic = outcome.summary.traffic
            #expect(traffic.rateLimited <= s.rateLimited && traffic.rateLimited >= s.rateLimited - 3)
            #expect(traffic.retried <= s.injectedFailures && traffic.retried >= s.injectedFailures - 3)
            #expect(outcome.summary.users == 2_190)
            #expect(outcome.summary.byStatus["invited"] == 500 + 190)
            #expect(outcome.summary.testUsers == 200)
            #expect(outcome.summary.tenants == 2 && outcome.summary.roles == 3)
            #expect(outcome.summary.totalReported == 2_190)
            // Private files in a private directory.
            #expect(try mode(directory) == 0o700)
            for name in ["users.ndjson", "tenants.json", "roles.json", ".hashport-pull.json"] {
                #expect(try mode(directory + "/" + name) == 0o600, "\(name)")
            }
        }
    }

    /// Each line is the object the emulator answered, byte for byte; tenants.json and roles.json too.
    @Test func linesAreTheObjectsAsSent() async throws {
        let seeded = try store(sampleUsers(150), pretty: true)
        try await withDescopeEmulator(seeded) { _, client in
            let directory = try temporaryDirectory()
            _ = try await pull(client, directory).run()
            var sent: [String] = []
            for page in 0..<2 {
                let answer = try await client.searchUsers(.pullPage(page))
                sent += answer.users.map { String(decoding: answer.body[$0.range], as: UTF8.self) }
            }
            #expect(try pulledLines(directory) == sent)
            #expect(FileManager.default.contents(atPath: directory + "/tenants.json").map(Array.init)
                    == (try await client.loadAllTenants()))
            #expect(FileManager.default.contents(atPath: directory + "/roles.json").map(Array.init)
                    == (try await client.loadAllRoles()))
        }
    }

    @Test func aRateLimitedPullWaitsRetryAfterEachTime() async throws {
        let seeded = try store(sampleUsers(300))
        try await withDescopeEmulator(seeded, .init(rateLimitedRate: 0.3, retryAfterSeconds: 1, seed: 3)) { emulator, client in
            let directory = try temporaryDirectory()
            let started = ContinuousClock.now
            let outcome = try await pull(client, directory, inFlight: 1).run()
            let elapsed = (ContinuousClock.now - started) / .seconds(1)
            let limited = emulator.statistics.rateLimited
            #expect(limited >= 1, "seed 3 gives 429s on these requests")
            // One request at a time: each 429 cost its whole second.
            #expect(elapsed >= Double(limited) * 0.95, "\(elapsed) s for \(limited) 429s")
            #expect(outcome.summary.traffic.rateLimited == limited)
            expectExactlyOnce(try pulledIds(directory), seeded.userIds)
        }
    }

    @Test func sinceGivesExactlyTheUsersCreatedOrModifiedSince() async throws {
        let users = sampleUsers(400)   // created 1_700_000_000 + 60·i
        let seeded = try store(users)
        let since: Int64 = (1_700_000_000 + 60 * 250) * 1000   // user 250's creation, to the millisecond
        let touched = [3, 9, 17, 100, 249, 300].map { users[$0]["userId"] as! String }
        seeded.touch(userIds: touched)
        try await withDescopeEmulator(seeded) { _, client in
            let directory = try temporaryDirectory()
            let outcome = try await pull(client, directory, since: since).run()
            #expect(outcome.ending == .finished)
            let createdSince = users[250...].map { $0["userId"] as! String }
            expectExactlyOnce(try pulledIds(directory), Array(Set(createdSince + touched)))
            // Users created since T were also modified since T: the second search gives them again, written once.
            #expect(outcome.summary.duplicatesSkipped == 150)
            #expect(outcome.summary.users == 155)
            #expect(outcome.summary.render(ending: .finished).contains("created or modified since 2023-11-15T"))
        }
    }

    @Test func stoppedPullResumesAndCutsAHalfWrittenPage() async throws {
        let seeded = try store(sampleUsers(1_000))
        try await withDescopeEmulator(seeded) { emulator, client in
            let directory = try temporaryDirectory()
            let first = pull(client, directory)
            let stopped = try await first.run(shouldStop: { first.progress.snapshot.pages >= 3 })
            #expect(stopped.ending == .interrupted)
            #expect(try pulledIds(directory).count == 300)
            // As if killed while writing page 4: one whole line and half of another past the committed end.
            let handle = try #require(FileHandle(forWritingAtPath: directory + "/users.ndjson"))
            handle.seekToEndOfFile()
            handle.write(Data(Array(#"{"userId":"U000300x6","email":"x"}"#.utf8) + [0x0A] + Array(#"{"userId":"U0003"#.utf8)))
            try handle.close()
            let resumed = try await pull(client, directory).run()
            #expect(resumed.ending == .finished)
            #expect(resumed.summary.resumedWith == 300)
            expectExactlyOnce(try pulledIds(directory), seeded.userIds)
            // Finished: a rerun sends nothing.
            let requests = emulator.statistics.requests
            let again = try await pull(client, directory).run()
            #expect(again.ending == .alreadyFinished)
            #expect(again.summary.users == 1_000 && again.summary.tenants == 2)
            #expect(emulator.statistics.requests == requests)
        }
    }

    @Test func aDamagedUsersFileIsCutAndPagedAgainWithoutDuplicates() async throws {
        let seeded = try store(sampleUsers(500))
        try await withDescopeEmulator(seeded) { _, client in
            let directory = try temporaryDirectory()
            _ = try await pull(client, directory).run()
            // A machine crash can leave the file shorter than the state says, ending mid-line.
            let path = directory + "/users.ndjson"
            let bytes = try #require(FileManager.default.contents(atPath: path))
            try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: path))
            let repaired = try await pull(client, directory).run()
            #expect(repaired.ending == .finished)
            #expect(repaired.summary.repaired != nil)
            expectExactlyOnce(try pulledIds(directory), seeded.userIds)
        }
    }

    @Test func descopeDownMidPullKeepsWhatWasPulledAndALaterRunFinishes() async throws {
        let seeded = try store(sampleUsers(600))
        let directory = try temporaryDirectory()
        try await withDescopeEmulator(seeded) { _, client in
            let first = pull(client, directory)
            _ = try await first.run(shouldStop: { first.progress.snapshot.pages >= 2 })
        }
        try await withDescopeEmulator(seeded, .init(failRate: 1)) { emulator, client in
            await #expect {
                _ = try await pull(client, directory).run()
            } throws: { error in
                guard case .descope(let e) = error as? PullError else { return false }
                return e.kind == .unavailable && e.status.map { $0 >= 500 } == true && !(error as! PullError).isUsage
            }
            #expect(emulator.statistics.injectedFailures == 10, "the first page, sent maxAttempts times")
        }
        #expect(try pulledIds(directory).count == 200)
        try await withDescopeEmulator(seeded) { _, client in
            let outcome = try await pull(client, directory).run()
            #expect(outcome.ending == .finished)
        }
        expectExactlyOnce(try pulledIds(directory), seeded.userIds)
    }

    @Test func aWrongKeyStopsAtOnceWithoutRetrying() async throws {
        let seeded = try store(sampleUsers(10))
        try await withDescopeEmulator(seeded, key: "K2-the-wrong-key") { emulator, client in
            let directory = try temporaryDirectory()
            let started = ContinuousClock.now
            do {
                _ = try await pull(client, directory).run()
                Issue.record("a wrong key must stop the pull")
            } catch let error as PullError {
                guard case .descope(let e) = error else { Issue.record("\(error)"); return }
                #expect(e.kind == .keyRejected && e.status == 401 && error.isUsage)
                #expect(!error.description.contains("K2-the-wrong-key"))
                #expect(error.description.hasPrefix("Descope refused the management key"))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(emulator.statistics.unauthorized == 1)
            #expect(try pulledLines(directory).isEmpty)
        }
    }

    @Test func refusesADirectoryOfAnotherPullOrOtherFiles() async throws {
        let seeded = try store(sampleUsers(120))
        try await withDescopeEmulator(seeded) { _, client in
            let directory = try temporaryDirectory()
            let first = pull(client, directory)
            _ = try await first.run(shouldStop: { first.progress.snapshot.pages >= 1 })
            await #expect(throws: PullError.self) { _ = try await pull(client, directory, since: 5_000).run() }
            let other = try DescopeClient(credentials: ManagementCredentials(projectId: "P2other", managementKey: "k"))
            await #expect(throws: PullError.self) { _ = try await pull(other, directory).run() }
            try await other.shutdown()
            // --restart discards it and pulls again.
            let again = try await pull(client, directory, since: 5_000, restart: true).run()
            #expect(again.ending == .finished)
            expectExactlyOnce(try pulledIds(directory), seeded.userIds)

            let foreign = try temporaryDirectory()
            try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: foreign + "/tenants.json"))
            await #expect {
                _ = try await pull(client, foreign).run()
            } throws: { error in
                guard case .notEmpty(_, let files) = error as? PullError else { return false }
                return files == ["tenants.json"]
            }
        }
    }
}
