import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight
import WorkOS
import WorkOSEmulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole journey on bundled sample data, against a local Descope and a local WorkOS.",
        discussion: """
        Takes the bundled Descope-style export (TestVectors/demo: a support CSV with hashes in many spellings, \
        Search Users JSON, tenants, a role map), pulls the users and tenants with `pull` from a Descope \
        emulator serving them, prints the pre-flight of the pulled files, starts the emulator in this process on \
        a free loopback port, imports into it with a fresh state file, logs every sample user in with their OLD \
        password, and ends with a reconcile: WorkOS read back and compared with the export. Users whose hash \
        WorkOS cannot take must come out as needing a reset (and on the reset list), the user with no email \
        must never be sent, and the reconcile must find no difference.

        Exit 0 only if every one of those expectations held.
        """)

    @Option(help: ArgumentHelp("The demo data directory (default: TestVectors/demo, found from the working "
                               + "directory or the executable).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Keep the state file, errors and report here instead of a temporary directory.",
                               valueName: "dir"))
    var keep: String?

    func run() async throws {
        guard let dir = data ?? DemoData.locate() else {
            Self.say("hashport demo: cannot find TestVectors/demo (looked in the working directory and above the "
                     + "executable); pass --data DIR")
            throw ExitStatus.usage
        }
        let files = DemoData(directory: dir)
        let expected: [DemoData.Expectation]
        do { expected = try files.expectations() } catch {
            Self.say("hashport demo: \(error)")
            throw ExitStatus.usage
        }
        let work = try keep ?? DemoData.temporaryDirectory()
        print("hashport demo — Descope → WorkOS on bundled data (\(dir))\n")

        // 0. Pull the users and tenants from a local Descope; the support CSV is bundled (Descope's support sends it).
        let pulled: DemoPull.Pulled
        do { pulled = try await DemoPull.run(files, into: work) } catch {
            Self.say("hashport demo: the pull failed: \(error)")
            throw ExitStatus.somethingFailed
        }

        // 1. Pre-flight.
        let run = ImportRun(
            inputs: [files.hashesCSV, pulled.users], tenantsPath: pulled.tenants, roleMapPath: files.roleMap,
            statePath: work + "/state.sqlite", errorsPath: work + "/errors.csv", reportPath: work + "/report.json",
            canariesPath: files.canaries, resetsPath: work + "/resets.csv", clientId: "client_hashport_demo",
            options: ImportOptions(concurrency: 8))
        var preflight = PreflightReport()
        preflight.inputs = run.inputs.map { ($0 as NSString).lastPathComponent }
        do {
            let input = try run.openInput()
            let users = try input.openUsers()
            while let item = users.next() {
                switch item {
                case .user(let user): preflight.add(user)
                case .unreadable(let problem): preflight.add(problem)
                }
            }
        } catch {
            Self.say("hashport demo: the bundled data cannot be read: \(error)")
            throw ExitStatus.usage
        }
        print("1. Pre-flight (what `hashport inspect` says)")
        print(preflight.summary().split(separator: "\n", omittingEmptySubsequences: false)
            .map { "   " + $0 }.joined(separator: "\n"))

        // 2. The emulator, in process.
        let apiKey = "sk_test_demo_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let emulator = try EmulatorServer(configuration: EmulatorConfiguration(apiKey: apiKey, rateLimit: 500))
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        print("\n2. WorkOS emulator listening on http://127.0.0.1:\(port) (in this process, 500 writes / 10 s)")

        // 3. The import.
        print("\n3. Import (state file \(work)/state.sqlite)")
        let client = WorkOSClient(apiKey: try APIKey(apiKey), configuration: WorkOSClientConfiguration(
            baseURL: "http://127.0.0.1:\(port)", writesPerSecond: 45))
        let outcome: (ImportResult, ImportReport)
        do {
            outcome = try await run.execute(client: client, stop: ImportStop(), showProgress: false)
        } catch {
            try? await client.shutdown(); try? await emulator.shutdown()
            Self.say("hashport demo: the import failed: \(error)")
            throw ExitStatus.somethingFailed
        }
        let (result, report) = outcome
        print(report.summary.split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
        let snapshot = try await emulator.snapshot()

        // 5. WorkOS read back (what `hashport reconcile` says), before the emulator goes.
        let reconciled: ReconcileReport?
        do {
            let journal = try ImportJournal(path: run.statePath)
            reconciled = try await Reconciler(client: client, journal: journal).run(input: try run.openInput())
        } catch {
            Self.say("hashport demo: the reconcile failed: \(error)")
            reconciled = nil
        }
        try? await client.shutdown()
        try? await emulator.shutdown()

        // 4. Every expectation, checked.
        print("\n4. Old passwords in WorkOS")
        var failures: [String] = []
        if result.ending != .finished { failures.append("the import did not finish (\(result.ending))") }
        let canaries = Dictionary(report.canaries.map { ($0.account.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        for e in expected {
            let stored = e.email.isEmpty ? nil : snapshot.user(email: e.email)
            let count = e.email.isEmpty ? 0 : snapshot.users.filter { $0.user.email.lowercased() == e.email.lowercased() }.count
            switch e.login {
            case .password:
                let c = canaries[e.email.lowercased()]
                let ok = c?.result == "passed" && count == 1
                print("   \(ok ? "✓" : "✗") \(e.email.padding(toLength: 24, withPad: " ", startingAt: 0)) logs in with the old password\(ok ? "" : " — \(c?.message ?? "no canary result")")")
                if !ok { failures.append("\(e.email) did not log in with the old password") }
            case .reset:
                let c = canaries[e.email.lowercased()]
                let ok = count == 1 && stored?.passwordHash == nil && (c == nil || c?.result == "needs_reset")
                print("   \(ok ? "✓" : "✗") \(e.email.padding(toLength: 24, withPad: " ", startingAt: 0)) imported without a password — needs a reset (\(e.reason))")
                if !ok { failures.append("\(e.email) should be in WorkOS once, without a password") }
            case .rejected:
                let sent = snapshot.users.contains { $0.user.externalId == e.userId }
                print("   \(sent ? "✗" : "✓") \(e.userId) not sent (\(e.reason))")
                if sent { failures.append("\(e.userId) should never have been sent") }
            }
        }
        let memberships = expected.filter { $0.login != .rejected }.reduce(0) { $0 + $1.tenants }
        if snapshot.memberships.count != memberships {
            failures.append("WorkOS holds \(snapshot.memberships.count) memberships, expected \(memberships)")
        }
        if snapshot.organizations.count != files.tenantCount {
            failures.append("WorkOS holds \(snapshot.organizations.count) organizations, expected \(files.tenantCount)")
        }
        let resets = expected.filter { $0.login == .reset }.count
        if report.resets != resets {
            failures.append("the reset list names \(report.resets ?? 0) users, expected \(resets)")
        }

        print("\n5. Reconcile (what `hashport reconcile` says: WorkOS read back and compared with the export)")
        if let reconciled {
            print(reconciled.summary.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "   " + $0 }.joined(separator: "\n"))
            if !reconciled.matches {
                failures.append("the reconcile found \(reconciled.differences.count) difference(s)")
            }
        } else {
            failures.append("the reconcile did not run")
        }

        print("\nSummary: \(expected.filter { $0.login == .password }.count) users log in with their old password, "
              + "\(expected.filter { $0.login == .reset }.count) need a reset, "
              + "\(expected.filter { $0.login == .rejected }.count) rejected; "
              + "\(snapshot.organizations.count) organizations, \(snapshot.memberships.count) memberships.")
        if failures.isEmpty {
            print("Demo passed: every sample user is where it should be.")
            if keep == nil { try? FileManager.default.removeItem(atPath: work) }
            throw ExitStatus.success
        }
        for f in failures { Self.say("demo: \(f)") }
        Self.say("Demo FAILED (\(failures.count) expectation\(failures.count == 1 ? "" : "s")); files kept in \(work)")
        throw ExitStatus.somethingFailed
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The bundled demo export and what the demo expects of each user (TestVectors/demo/expected.json).
struct DemoData {
    var directory: String
    var hashesCSV: String { directory + "/descope-hashes.csv" }
    var searchUsers: String { directory + "/search-users.json" }
    var tenants: String { directory + "/tenants.json" }
    var roleMap: String { directory + "/role-map.json" }
    var canaries: String { directory + "/canaries.csv" }

    struct Expectation: Decodable {
        enum Login: String, Decodable { case password, reset, rejected }
        var userId: String
        var email: String
        var login: Login
        var reason: String
        var tenants: Int
        enum CodingKeys: String, CodingKey { case userId = "user_id", email, login, reason, tenants }
    }

    func expectations() throws -> [Expectation] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        return try JSONDecoder().decode([Expectation].self, from: data)
    }

    var tenantCount: Int {
        guard let data = FileManager.default.contents(atPath: tenants),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object["tenants"] as? [Any] else { return 0 }
        return list.count
    }

    /// TestVectors/demo under the working directory, else above the executable (`.build/<config>/hashport`).
    static func locate() -> String? {
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath]
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (exe as NSString).deletingLastPathComponent
            for _ in 0..<6 {
                candidates.append(dir)
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        for base in candidates {
            let dir = base + "/TestVectors/demo"
            if fm.fileExists(atPath: dir + "/expected.json") { return dir }
        }
        return nil
    }

    static func temporaryDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let dir = base + "/hashport-demo-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return dir
    }
}
