import DescopeExport
import Foundation
@testable import Mapping
import Testing

@Suite struct EmailDuplicatesTests {
    @Test func fingerprintIgnoresASCIICaseOnly() {
        #expect(EmailAddress.fingerprint("Ada@Example.COM") == EmailAddress.fingerprint("ada@example.com"))
        #expect(EmailAddress.fingerprint("ada@example.com") != EmailAddress.fingerprint("ada@example.co"))
        #expect(EmailAddress.fingerprint("ada@example.com") != EmailAddress.fingerprint("adb@example.com"))
    }

    @Test func fingerprintLowerCasesExactlyTheASCIILetters() {
        func print(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { EmailAddress.fingerprint($0) } }
        // Every byte value, at every position of a word and in the tail.
        for position in 0..<11 {
            for b in 0...255 {
                var bytes = Array("x@example.io".utf8)
                bytes[position] = UInt8(b)
                var lower = bytes
                if (0x41...0x5A).contains(b) { lower[position] = UInt8(b) | 0x20 }
                #expect(print(bytes) == print(lower))
                if !(0x41...0x5A).contains(b), b | 0x20 != b {
                    var other = bytes
                    other[position] = UInt8(b) | 0x20
                    #expect(print(bytes) != print(other), "byte \(b) must not fold into \(b | 0x20)")
                }
            }
        }
    }

    @Test func oneStepValidationAgreesWithCheck() {
        let edges = ["a@b.c", "a@b", "@b.c", "a@.b.c", "a@-b.c", "a@b.c.", ".a@b.c", "a.@b.c", "a..b@c.d", "a@b..c",
                     "a@@b.c", "a@b@c.d", "a b@c.d", "a@b.c ", "a\u{7F}@b.c", "a(b@c.d", "a\\b@c.d", "é@b.c",
                     String(repeating: "a", count: 64) + "@b.c", String(repeating: "a", count: 65) + "@b.c",
                     "a@" + String(repeating: "b", count: 316) + ".c", "", "a@b.c-", "a-@b.c", "a@b.c@"]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("a@.-A [\u{80}".utf8)
        var random = (0..<20_000).map { _ in
            String(decoding: (0..<Int.random(in: 1...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
        }
        // Valid addresses of 3–80 bytes (both sides of the 16- and 64-byte vector paths), then one byte changed
        // to anything, so every byte value meets every check at every position.
        for _ in 0..<40_000 {
            let local = Int.random(in: 1...40, using: &generator), domain = Int.random(in: 1...38, using: &generator)
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: local) + [UInt8(ascii: "@")]
                + [UInt8](repeating: UInt8(ascii: "b"), count: domain) + Array(".io".utf8)
            if Bool.random(using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            random.append(String(decoding: bytes, as: UTF8.self))
        }
        for email in edges + random {
            var text = email
            text.withUTF8 { utf8 in
                let b = UnsafeRawBufferPointer(utf8)
                let fast = EmailAddress.fingerprintIfValid(b)
                #expect((fast != nil) == (EmailAddress.check(b) == nil), "\(email.debugDescription)")
                if let fast { #expect(fast == EmailAddress.fingerprint(b)) }
            }
        }
    }

    /// Groups found through spilled buckets equal the groups a dictionary finds (16 and 100: four entries per
    /// bucket in memory, a spill every few rows; 4,096: sixteen, a few hundred spills; 2^18: none).
    @Test(arguments: [16, 100, 4_096, 1 << 18])
    func groupsMatchANaiveCountAcrossSpills(capacity: Int) throws {
        var generator = SystemRandomNumberGenerator()
        var emails: [String] = []
        for i in 0..<5_000 {
            if i > 10, Int.random(in: 0..<20, using: &generator) == 0 {
                emails.append(emails[Int.random(in: 0..<i, using: &generator)].uppercased())
            } else {
                emails.append("user\(i)@example\(i % 13).com")
            }
        }
        let finder = DuplicateEmailFinder(capacity: capacity)
        for (i, e) in emails.enumerated() { try finder.add(email: e, at: SourceLocation(file: "u.csv", line: i + 2)) }
        let index = try finder.finish()

        var naive: [String: [Int]] = [:]
        for (i, e) in emails.enumerated() { naive[e.lowercased(), default: []].append(i + 2) }
        let expected = Set(naive.values.filter { $0.count > 1 })
        let found = Set(index.groups.values.map { $0.map(\.line) })
        #expect(found == expected)
        #expect(!expected.isEmpty)
        #expect(index.duplicateRowCount == expected.reduce(0) { $0 + $1.count })
        // Every member of a group names the others.
        for group in expected {
            let first = SourceLocation(file: "u.csv", line: group[0])
            #expect(index.otherRows(sharingEmail: emails[group[0] - 2], with: first)?.map(\.line) == Array(group.dropFirst()))
        }
    }

    /// One bucket's entries (they share the top byte) sorted by the whole fingerprint, from a separate region
    /// and in place, with long runs equal in the radix bits (small keys) and exact duplicates.
    @Test(arguments: [(1, false), (2, true), (10_000, false), (20_000, true)])
    func radixSortSortsByFingerprint(n: Int, inPlace: Bool) {
        let source = UnsafeMutablePointer<DuplicateEmailFinder.Entry>.allocate(capacity: n)
        let a = inPlace ? source : UnsafeMutablePointer<DuplicateEmailFinder.Entry>.allocate(capacity: n)
        let b = UnsafeMutablePointer<DuplicateEmailFinder.Entry>.allocate(capacity: n)
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * DuplicateEmailFinder.radixBuckets)
        defer { source.deallocate(); if !inPlace { a.deallocate() }; b.deallocate(); counts.deallocate() }
        var generator = SystemRandomNumberGenerator()
        for i in 0..<n {
            let k = UInt64.random(in: 0...UInt64.max, using: &generator) >> (i % 3 == 0 ? 40 : 8) | 0xA5 << 56
            source[i] = .init(fingerprint: i % 101 == 0 && i > 0 ? source[i - 1].fingerprint : k, ref: RowRef(file: 0, line: i, tag: 0))
        }
        let before = (0..<n).map { source[$0].fingerprint }.sorted()
        let lines = Set((0..<n).map { source[$0].ref.line })
        // Counters left dirty by an earlier bucket must not matter.
        counts.initialize(repeating: 7, count: 2 * DuplicateEmailFinder.radixBuckets)
        DuplicateEmailFinder.radixSort(from: source, into: a, scratch: b, counts: counts, n)
        #expect((0..<n).map { a[$0].fingerprint } == before)
        #expect(Set((0..<n).map { a[$0].ref.line }) == lines)
    }

    @Test func rowRefPacksFileTagAndLine() {
        let r = RowRef(file: 3, line: 4_000_000_000, tag: 2)
        #expect(r.file == 3)
        #expect(r.tag == 2)
        #expect(r.line == 4_000_000_000)
    }

    @Test func mapperRejectsEveryRowOfAGroupAndNamesTheOthers() throws {
        func user(_ line: Int, _ email: String, status: String? = nil) -> DescopeUser {
            var u = DescopeUser(source: SourceLocation(file: "u.csv", line: line))
            u.email = email; u.userId = "U\(line)"; u.status = status
            return u
        }
        let users = [user(2, "ada@example.com"), user(3, "bob@example.com"), user(4, "ADA@example.com"),
                     user(5, "ada@example.com", status: "disabled")]
        let plain = UserMapper()
        let finder = DuplicateEmailFinder(capacity: 16)
        let arena = ViewArena()
        for u in users {
            arena.reset()
            if let key = plain.claimedEmail(UserView(u, arena: arena)) {
                try finder.add(fingerprint: key, file: finder.fileIndex(for: u.source.file), line: u.source.line, tag: 0)
            }
        }
        let mapper = UserMapper(duplicates: try finder.finish())
        let mapped = users.map(mapper.map)
        #expect(mapped.map(\.status.name) == ["rejected", "ready_without_password", "rejected", "rejected"])
        #expect(mapped[0].status.reason == "duplicate_email")
        #expect(mapped[0].problems[0].message.contains("row 4;"))
        #expect(mapped[2].problems[0].message.contains("row 2;"))
        // The skipped disabled user claims no email, so it is not part of the group.
        #expect(mapped[3].status.reason == "disabled_user")
        #expect(!mapped[3].problems.contains { $0.code == "duplicate_email" })
    }
}

@Suite struct EmailAddressTests {
    @Test func whyInvalidIsSpecific() {
        #expect(EmailAddress.whyInvalid("") == EmailAddress.Invalidity.empty.rawValue)
        #expect(EmailAddress.whyInvalid("ada.example.com") == EmailAddress.Invalidity.noAt.rawValue)
        #expect(EmailAddress.whyInvalid("a@b@c.com") == EmailAddress.Invalidity.manyAt.rawValue)
        #expect(EmailAddress.whyInvalid("ada@localhost") == EmailAddress.Invalidity.badDomain.rawValue)
        #expect(EmailAddress.whyInvalid("ada lovelace@x.com") == EmailAddress.Invalidity.badCharacter.rawValue)
        #expect(EmailAddress.whyInvalid(String(repeating: "a", count: 65) + "@x.com") == EmailAddress.Invalidity.localTooLong.rawValue)
        #expect(EmailAddress.isValid("josé@exämple.com"))
    }
}
