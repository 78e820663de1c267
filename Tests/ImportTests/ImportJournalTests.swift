import Foundation
import Import
import Mapping
import Preflight
import Testing

@Suite("Import journal (real SQLite)")
struct ImportJournalTests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.path + "/hashport-journal-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func fingerprint(_ dir: String, content: String) throws -> InputFingerprint {
        try content.write(toFile: dir + "/input.csv", atomically: true, encoding: .utf8)
        return try InputFingerprint(paths: [dir + "/input.csv"])
    }

    @Test("the state file is created 0600, in WAL mode, and a second import cannot open it")
    func createdPrivateAndLocked() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try ImportJournal(path: dir + "/state.sqlite")
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/state.sqlite")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(FileManager.default.fileExists(atPath: dir + "/state.sqlite-wal"))
        #expect(throws: ImportJournalError.self) { _ = try ImportJournal(path: dir + "/state.sqlite") }
        _ = journal
    }

    @Test("a file that is not a journal is refused with a clear error")
    func notAJournal() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try String(repeating: "not sqlite at all\n", count: 300).write(toFile: dir + "/x.sqlite", atomically: true,
                                                                        encoding: .utf8)
        do {
            _ = try ImportJournal(path: dir + "/x.sqlite")
            Issue.record("opened a text file as a journal")
        } catch let error as ImportJournalError {
            #expect(error.description.contains("is not a hashport import state file"))
        }
    }

    @Test("fresh, then resume with the same input; a changed input refused unless delta")
    func fingerprintDecidesTheRun() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Self.fingerprint(dir, content: "user_id,email\nU1,a@example.com\n")
        do {
            let journal = try ImportJournal(path: dir + "/state.sqlite")
            #expect(try journal.begin(fingerprint: first, delta: false) == .fresh)
        }
        let journal = try ImportJournal(path: dir + "/state.sqlite")
        #expect(try journal.begin(fingerprint: first, delta: false) == .resume)
        let changed = try Self.fingerprint(dir, content: "user_id,email\nU1,a@example.com\nU2,b@example.com\n")
        #expect(changed.digest != first.digest)
        do {
            _ = try journal.begin(fingerprint: changed, delta: false)
            Issue.record("a changed input was accepted without --delta")
        } catch let error as ImportJournalError {
            #expect(error.description.contains("--delta"))
        }
        // A dry run only looks.
        #expect(try journal.begin(fingerprint: changed, delta: true, record: false) == .delta(previousFingerprint: first.digest))
        #expect(try journal.begin(fingerprint: first, delta: false) == .resume)
        #expect(try journal.begin(fingerprint: changed, delta: true) == .delta(previousFingerprint: first.digest))
        #expect(try journal.begin(fingerprint: changed, delta: false) == .resume)
    }

    @Test("an intent is recorded before the send and survives reopening; results and memberships add up")
    func intentsAndResults() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state.sqlite"
        do {
            let journal = try ImportJournal(path: path)
            try await journal.recordIntent(sourceKey: "id:U1", row: 2, email: "a@example.com", contentDigest: "d1",
                                           outcome: "ready", idempotencyKey: "key-1")
        }
        // As after a kill: the intent is there, without a result.
        let journal = try ImportJournal(path: path)
        let pending = try #require(try await journal.user(sourceKey: "id:U1"))
        #expect(pending.status == .pending)
        #expect(pending.idempotencyKey == "key-1")
        #expect(pending.attempts == 1)
        #expect(!pending.isDone)

        try await journal.recordUserResult(sourceKey: "id:U1", status: .created, workosUserId: "user_1",
                                           requestId: "req-1")
        try await journal.recordMembershipIntent(sourceKey: "id:U1", tenantId: "T1", organizationId: "org_1",
                                                 roleSlugs: ["member"], idempotencyKey: "mkey")
        var user = try #require(try await journal.user(sourceKey: "id:U1"))
        #expect(user.status == .created && user.workosUserId == "user_1" && user.requestIds == ["req-1"])
        #expect(!user.isDone, "memberships not done yet")
        #expect(try await journal.memberships(sourceKey: "id:U1")["T1"]?.status == .pending)
        try await journal.recordMembershipResult(sourceKey: "id:U1", tenantId: "T1", status: .created,
                                                 membershipId: "om_1", requestId: "req-2")
        try await journal.markMembershipsDone(sourceKey: "id:U1")
        user = try #require(try await journal.user(sourceKey: "id:U1"))
        #expect(user.isDone)

        try await journal.recordNotSent(sourceKey: "row:x:9", row: 9, email: "", contentDigest: "d9",
                                        outcome: "rejected", status: .rejected, reason: "missing_email")
        try await journal.recordOrganization(tenantId: "T1", name: "Tenant", organizationId: "org_1",
                                             status: "created", requestId: "req-0")
        #expect(try await journal.organizationId(tenantId: "T1") == "org_1")
        #expect(try await journal.organizationId(tenantId: "T2") == nil)
        let totals = try await journal.totals()
        #expect(totals.count(.created) == 1 && totals.count(.rejected) == 1 && totals.count(.pending) == 0)
        #expect(totals.membershipsDone == 1 && totals.organizations == 1)
        #expect(try await journal.user(email: "A@EXAMPLE.COM")?.workosUserId == "user_1")
    }

    @Test("the content digest notices any change and is stable")
    func contentDigest() {
        func digest(_ parts: [String]) -> String {
            var d = ContentDigest()
            for p in parts { d.update(p) }
            return d.hexDigest
        }
        #expect(digest(["ab", "c"]) != digest(["a", "bc"]))
        #expect(digest(["a@example.com", "$2b$10$x"]) == digest(["a@example.com", "$2b$10$x"]))
        #expect(digest(["a@example.com", "$2b$10$x"]) != digest(["a@example.com", "$2b$10$y"]))
        #expect(digest([]).count == 32)
    }
}
