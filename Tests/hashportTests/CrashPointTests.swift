import Foundation
import Import
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The journal's promise under every kind of sudden stop: a SIGKILL after any commit (including between a user's
/// intent and its result), and a journal that cannot be written (the file-size limit standing in for a full disk).
@Suite("crash points and a full disk (the binary)", .serialized)
struct CrashPointTests {
    typealias Fixture = ImportCommandTests.Fixture

    /// Starts `hashport` through `sh` (for `ulimit`), with `environment` added; output to `dir/<name>.out|err`.
    static func launch(_ f: Fixture, _ arguments: [String], environment: [String: String] = [:], shell: String = "",
                       name: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", shell + "exec \"$0\" \"$@\"", ImportCommandTests.binary] + arguments
        var env = ProcessInfo.processInfo.environment
        env["WORKOS_API_KEY"] = ImportCommandTests.apiKey
        env.merge(environment) { $1 }
        p.environment = env
        for suffix in ["out", "err"] { _ = FileManager.default.createFile(atPath: f.dir + "/\(name).\(suffix)", contents: nil) }
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = FileHandle(forWritingAtPath: f.dir + "/\(name).out")
        p.standardError = FileHandle(forWritingAtPath: f.dir + "/\(name).err")
        try p.run()
        return p
    }

    static func finish(_ p: Process) async throws {
        while p.isRunning { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("SIGKILL after the k-th journal commit at 20 points spread over the run, rerun after each: every user once, every membership",
          .timeLimit(.minutes(10)))
    func crashPointSweep() async throws {
        try await ImportCommandTests.withFixture(latency: .milliseconds(2)) { f in
            try f.writeExport(users: 30)
            var kills = 0, pendingUsers = 0, pendingMemberships = 0, committed: [Int] = []
            for i in 0..<20 {
                let k = 4 + (i * 5) % 9   // 4…12 commits into each run, so the 20 kills walk through the whole import
                let p = try Self.launch(f, f.arguments(), environment: ["HASHPORT_TEST_KILL_AFTER_COMMITS": "\(k)"],
                                        name: "kill\(i)")
                try await Self.finish(p)
                guard p.terminationReason == .uncaughtSignal else {
                    // The import ended before its k-th commit: nothing left to interrupt.
                    #expect(p.terminationStatus == 0, "run \(i): \(f.output("kill\(i)").stderr)")
                    break
                }
                #expect(p.terminationStatus == SIGKILL)
                kills += 1
                let totals = try await ImportJournal(path: f.state).totals()
                if totals.count(.pending) > 0 { pendingUsers += 1 }
                if totals.memberships[.pending, default: 0] > 0 { pendingMemberships += 1 }
                committed.append(totals.count(.created))
            }
            #expect(kills == 20, "every one of the 20 runs was killed mid-import (\(kills))")
            #expect(pendingUsers > 0, "some kill fell between a user's intent and its result")
            #expect(pendingMemberships > 0, "some kill fell between a membership's intent and its result")
            #expect(committed.last ?? 0 >= 15, "the kills reached the second half of the import: \(committed)")
            let status = try await f.run(f.arguments())
            #expect(status == 0, "\(f.output().stderr)")
            try await f.expectExactContents(users: 30)
        }
    }

    @Test("a journal that cannot be written stops the run with a sentence (exit 3); with space back the rerun completes",
          .timeLimit(.minutes(10)))
    func journalCannotBeWritten() async throws {
        try await ImportCommandTests.withFixture(latency: .milliseconds(2)) { f in
            try f.writeExport(users: 60)
            // Files may grow to 1.5 MB (3000 blocks of 512 bytes): the journal's write-ahead log reaches it some users in. SIGXFSZ is
            // ignored so that the write fails with EFBIG, as a full disk fails it with ENOSPC.
            let p = try Self.launch(f, f.arguments(), shell: "trap '' XFSZ; ulimit -f 3000; ", name: "full")
            try await Self.finish(p)
            let (stdout, stderr) = f.output("full")
            #expect(p.terminationReason == .exit && p.terminationStatus == 3, "\(stdout)\n\(stderr)")
            #expect(stderr.contains("cannot be written") && stderr.contains(f.state), "\(stderr)")
            #expect(stdout.contains("run the same command again"), "\(stdout)")
            let written = try await f.emulator.snapshot().users.count
            #expect(written > 0 && written < 60, "the journal filled up mid-run (\(written) users in WorkOS)")

            let status = try await f.run(f.arguments())
            #expect(status == 0, "\(f.output().stderr)")
            try await f.expectExactContents(users: 60)
        }
    }
}
