import Foundation
import Testing
import WorkOS
import WorkOSEmulator

#if canImport(Glibc)
import Glibc
#endif

/// The built `hashport import` binary as a subprocess against an emulator in this process: killed with
/// SIGKILL mid-run and resumed, interrupted with SIGINT, refused keys and inputs.
@Suite("hashport import (the binary)", .serialized)
struct ImportCommandTests {
    static let apiKey = "sk_test_import_command"
    static let tenantA = "T2cmdTenantAlpha0000000000001"
    static let tenantB = "T2cmdTenantBravo0000000000002"
    static let bcrypt = "$2b$10$ROc17YXb98cL3TiSW3wFY.yIfrbuEAVJb5mMw/6LpZylvVTUgwQJG"

    /// `.build/<config>/hashport`, beside the test bundle.
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = (exe as NSString).deletingLastPathComponent
        for _ in 0..<3 {
            if FileManager.default.isExecutableFile(atPath: dir + "/hashport") { return dir + "/hashport" }
            dir = (dir as NSString).deletingLastPathComponent
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/hashport"
    }

    struct Fixture {
        var dir: String
        var emulator: EmulatorServer
        var baseURL: String
        var csv: String { dir + "/hashes.csv" }
        var json: String { dir + "/users.json" }
        var tenants: String { dir + "/tenants.json" }
        var state: String { dir + "/state.sqlite" }

        static func tenantsOf(_ i: Int) -> [String] { i % 3 == 0 ? [tenantA, tenantB] : [i % 2 == 0 ? tenantB : tenantA] }

        func writeExport(users: Int) throws {
            var csv = "user_id,email,password_hash\n", json: [String] = []
            for i in 1...users {
                csv += "U2cmd\(i),cmd\(i)@example.com,\(bcrypt)\n"
                let t = Self.tenantsOf(i).map { #"{"tenantId":"\#($0)","roleNames":[]}"# }.joined(separator: ",")
                json.append(#"{"userId":"U2cmd\#(i)","email":"cmd\#(i)@example.com","userTenants":[\#(t)]}"#)
            }
            try csv.write(toFile: self.csv, atomically: true, encoding: .utf8)
            try ("[" + json.joined(separator: ",\n") + "]").write(toFile: self.json, atomically: true, encoding: .utf8)
            try #"{"tenants":[{"id":"\#(tenantA)","name":"A"},{"id":"\#(tenantB)","name":"B"}]}"#
                .write(toFile: tenants, atomically: true, encoding: .utf8)
        }

        func arguments(_ extra: [String] = []) -> [String] {
            ["import", csv, json, "--tenants", tenants, "--state", state, "--base-url", baseURL, "--rate", "500",
             "--concurrency", "6", "--progress-interval", "60", "--errors", dir + "/errors.csv"] + extra
        }

        /// Starts `hashport` with no terminal (stdin /dev/null); stdout and stderr go to `dir/<name>.out|err`.
        func launch(_ arguments: [String], key: String = ImportCommandTests.apiKey, name: String = "run") throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ImportCommandTests.binary)
            p.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env["WORKOS_API_KEY"] = key
            p.environment = env
            for suffix in ["out", "err"] {
                _ = FileManager.default.createFile(atPath: dir + "/\(name).\(suffix)", contents: nil)
            }
            p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
            p.standardOutput = FileHandle(forWritingAtPath: dir + "/\(name).out")
            p.standardError = FileHandle(forWritingAtPath: dir + "/\(name).err")
            try p.run()
            return p
        }

        func output(_ name: String = "run") -> (stdout: String, stderr: String) {
            ((try? String(contentsOfFile: dir + "/\(name).out", encoding: .utf8)) ?? "",
             (try? String(contentsOfFile: dir + "/\(name).err", encoding: .utf8)) ?? "")
        }

        /// Runs to the end; returns the exit status.
        func run(_ arguments: [String], key: String = ImportCommandTests.apiKey) async throws -> Int32 {
            let p = try launch(arguments, key: key)
            while p.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            return p.terminationStatus
        }

        func expectExactContents(users n: Int) async throws {
            let s = try await emulator.snapshot()
            #expect(s.users.count == n)
            #expect(Set(s.users.map(\.user.email)).count == s.users.count)
            #expect(s.organizations.count == 2)
            let orgs = Dictionary(uniqueKeysWithValues: s.organizations.compactMap { o in o.externalId.map { ($0, o.id) } })
            var expected = 0
            for i in 1...n {
                guard let u = s.user(email: "cmd\(i)@example.com") else { Issue.record("cmd\(i) missing"); continue }
                #expect(u.passwordHash == bcrypt)
                let mine = Set(s.memberships.filter { $0.userId == u.user.id }.map(\.organizationId))
                #expect(mine == Set(Self.tenantsOf(i).compactMap { orgs[$0] }), "memberships of cmd\(i)")
                expected += Self.tenantsOf(i).count
            }
            #expect(s.memberships.count == expected)
            #expect(Set(s.memberships.map { $0.userId + $0.organizationId }).count == s.memberships.count)
        }
    }

    static func withFixture(latency: Duration = .milliseconds(15), _ body: (Fixture) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/hashport-cmd-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let emulator = try EmulatorServer(configuration: EmulatorConfiguration(apiKey: apiKey, rateLimit: nil,
                                                                               latency: latency))
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        let fixture = Fixture(dir: dir, emulator: emulator, baseURL: "http://127.0.0.1:\(port)")
        do { try await body(fixture) } catch { try? await emulator.shutdown(); throw error }
        try? await emulator.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Waits, with no deadline of its own (the test's time limit is the bound), until `condition` holds.
    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        while try await !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("killed with SIGKILL twice mid-run, the same command resumes: every user once, every membership",
          .timeLimit(.minutes(10)))
    func killNineAndResume() async throws {
        try await Self.withFixture { f in
            try f.writeExport(users: 90)
            // The emulator stops answering after so many writes: the run is stuck mid-way when it is killed,
            // however fast or slow the machine (no race between "50 users seen" and the run finishing).
            for writes in [20, 70] {
                let heldBefore = await f.emulator.statistics().hungRequests
                f.emulator.hang(afterWrites: writes, for: .seconds(600))
                let p = try f.launch(f.arguments())
                try await Self.waitUntil { await f.emulator.statistics().hungRequests > heldBefore || !p.isRunning }
                #expect(p.isRunning, "still running when killed")
                kill(p.processIdentifier, SIGKILL)
                while p.isRunning { try await Task.sleep(for: .milliseconds(10)) }
                #expect(p.terminationReason == .uncaughtSignal)
                f.emulator.endHang()
            }
            #expect(try await f.emulator.snapshot().users.count < 90, "the kills happened mid-run")
            let status = try await f.run(f.arguments())
            #expect(status == 0)
            try await f.expectExactContents(users: 90)
        }
    }

    @Test("Ctrl-C mid-run cancels the requests in flight and exits 3 within 2 s; the rerun completes, no duplicate",
          .timeLimit(.minutes(10)))
    func sigintExitsThreeAtOnce() async throws {
        try await Self.withFixture { f in
            try f.writeExport(users: 60)
            // Requests held unanswered: finishing them (the old behaviour) would take as long as the hang.
            f.emulator.hang(afterWrites: 30, for: .seconds(600))
            let p = try f.launch(f.arguments())
            try await Self.waitUntil { await f.emulator.statistics().hungRequests > 0 || !p.isRunning }
            #expect(p.isRunning)
            let clock = ContinuousClock()
            let signalled = clock.now
            kill(p.processIdentifier, SIGINT)
            while p.isRunning { try await Task.sleep(for: .milliseconds(5)) }
            let took = clock.now - signalled
            #expect(took < .seconds(2), "exited \(took) after SIGINT")
            #expect(p.terminationStatus == 3)
            let (stdout, stderr) = f.output()
            #expect(stdout.contains("Import interrupted — rerun the same command to resume."))
            #expect(stdout.contains("To resume, run the same command again:\n  "))
            #expect(stdout.contains("--state \(f.state)"))
            #expect(stderr.contains("stopping: cancelling the requests in flight"))
            f.emulator.endHang()
            #expect(try await f.emulator.snapshot().users.count < 60)
            #expect(try await f.run(f.arguments()) == 0)
            try await f.expectExactContents(users: 60)
        }
    }

    @Test("a base URL nothing listens on: exit 2 within seconds, naming the cause, before anything is written")
    func unreachableExitsTwoWithTheCause() async throws {
        try await Self.withFixture(latency: .zero) { f in
            try f.writeExport(users: 5)
            let port = try Self.closedPort()
            let clock = ContinuousClock()
            let started = clock.now
            var arguments = f.arguments()
            arguments[arguments.firstIndex(of: f.baseURL)!] = "http://127.0.0.1:\(port)"
            let p = try f.launch(arguments)
            while p.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            let took = clock.now - started
            #expect(p.terminationStatus == 2)
            #expect(took < .seconds(10), "took \(took)")
            #expect(f.output().stderr.contains("hashport import: cannot reach WorkOS at http://127.0.0.1:\(port): connection refused"))
            #expect(!FileManager.default.fileExists(atPath: f.state), "nothing was started")
        }
    }

    @Test("a WorkOS that accepts connections and never answers: exit 2 in under 10 s, saying it timed out")
    func silentHostExitsTwo() async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/hashport-silent-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let emulator = try EmulatorServer(configuration: EmulatorConfiguration(apiKey: Self.apiKey, hangAfter: .zero,
                                                                               hangFor: .seconds(600)))
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        let f = Fixture(dir: dir, emulator: emulator, baseURL: "http://127.0.0.1:\(port)")
        try f.writeExport(users: 3)
        let clock = ContinuousClock()
        let started = clock.now
        let status = try await f.run(f.arguments())
        let took = clock.now - started
        emulator.endHang()
        try? await emulator.shutdown()
        #expect(status == 2)
        #expect(took < .seconds(10), "took \(took)")
        #expect(f.output().stderr.contains("hashport import: cannot reach WorkOS at \(f.baseURL): timed out"))
        #expect(!FileManager.default.fileExists(atPath: f.state))
    }

    @Test("a production key asks first: without a terminal and without --yes it refuses; --yes goes ahead")
    func productionKeyNeedsConfirmation() async throws {
        let key = "sk_live_import_command_test"
        let dir = FileManager.default.temporaryDirectory.path + "/hashport-live-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let emulator = try EmulatorServer(configuration: EmulatorConfiguration(apiKey: key, rateLimit: nil))
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        let f = Fixture(dir: dir, emulator: emulator, baseURL: "http://127.0.0.1:\(port)")
        do {
            try f.writeExport(users: 4)
            #expect(try await f.run(f.arguments(), key: key) == 2)
            #expect(f.output().stderr.contains("refusing to write to WorkOS production (an sk_live_ key) without a confirmation: rerun with --yes"))
            #expect(!f.output().stderr.contains(key))
            #expect(try await emulator.snapshot().users.isEmpty, "nothing was written")
            #expect(try await f.run(f.arguments(["--yes"]), key: key) == 0)
            try await f.expectExactContents(users: 4)
        } catch {
            try? await emulator.shutdown()
            throw error
        }
        try? await emulator.shutdown()
    }

    /// A loopback port nothing listens on (bound, then released).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("a changed input exits 2 without --delta; --delta sends the new user")
    func changedInputExitsTwo() async throws {
        try await Self.withFixture(latency: .zero) { f in
            try f.writeExport(users: 5)
            #expect(try await f.run(f.arguments()) == 0)
            try f.writeExport(users: 6)
            #expect(try await f.run(f.arguments()) == 2)
            #expect(try await f.run(f.arguments(["--delta"])) == 0)
            try await f.expectExactContents(users: 6)
        }
    }

    @Test("--api-key is refused with the way to pass a key, and the key is not repeated")
    func apiKeyOptionIsRefused() throws {
        for arguments in [["--api-key", "sk_test_secret0123"], ["--api-key=sk_test_secret0123"]] {
            let run = try HashportBinary.run(["import", "users.csv", "--state", "s.sqlite"] + arguments)
            #expect(run.status == 2)
            #expect(run.stderr.contains("WORKOS_API_KEY") && run.stderr.contains("--api-key-file"))
            #expect(!run.stderr.contains("secret0123") && !run.stdout.contains("secret0123"))
        }
    }

    @Test("a wrong key exits 2 at the first 401; a key on the command line is refused before anything runs")
    func refusedKeys() async throws {
        try await Self.withFixture(latency: .zero) { f in
            try f.writeExport(users: 5)
            #expect(try await f.run(f.arguments(), key: "sk_test_wrong") == 2)
            #expect(f.output().stderr.contains("WorkOS rejected the API key (401)"))
            #expect(!f.output().stderr.contains("sk_test_wrong"))
            #expect(try await f.emulator.snapshot().users.isEmpty)
            let stats = await f.emulator.statistics()
            #expect(stats.requests == 1, "the connection check, and nothing after it")
            #expect(!FileManager.default.fileExists(atPath: f.state), "refused before the state file was started")
            #expect(try await f.run(f.arguments(["sk_live_0123456789abcdef"])) == 2)
            #expect(try await f.run(f.arguments()) == 0)
            let state = try FileManager.default.attributesOfItem(atPath: f.state)
            #expect((state[.posixPermissions] as? Int) == 0o600)
        }
    }
}
