import Foundation
import Testing

/// `hashport verify --password-stdin HASH` as a subprocess: exit codes of DESIGN §3, and nothing secret printed.
@Suite("hashport verify")
struct VerifyCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The hashport executable beside this test bundle (same build directory, whatever the scratch path).
    static var executable: URL {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = own.deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("hashport").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("hashport")
    }

    static func verify(_ arguments: [String], stdin: [UInt8]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["verify"] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }

    // openwall crypt_blowfish vector ow-01: password "U*U".
    static let bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
    // PBKDF2-HMAC-SHA256, 1000 iterations, password "open sesame" (hashlib.pbkdf2_hmac), as Descope split fields.
    static let splitFields = #"{"password_hash":"Jc7OPjbtDuUHy7Aks+y5uoLjWsXouvB0DNjYRZq/7zI=","password_hash_type":"pbkdf2","#
        + #""password_salt":"aGFzaHBvcnQtdmVyaWZ5LXNhbHQ=","password_iterations":1000,"password_digest":"sha256"}"#

    static func expectSilentAboutSecrets(_ run: Run, password: String, hash: String) {
        for text in [run.stdout, run.stderr] {
            #expect(!text.contains(password))
            #expect(!text.contains(hash))
        }
    }

    @Test func matchExitsZero() throws {
        let run = try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array("U*U\n".utf8))
        #expect(run.status == 0)
        #expect(run.stdout == "match\tbcrypt\n")
        Self.expectSilentAboutSecrets(run, password: "U*U", hash: Self.bcrypt)
    }

    @Test func onlyOneTrailingNewlineIsStripped() throws {
        #expect(try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array("U*U".utf8)).status == 0)
        let twoNewlines = try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array("U*U\n\n".utf8))
        #expect(twoNewlines.status == 1)
        #expect(try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array("U*U \n".utf8)).status == 1)
    }

    @Test func mismatchExitsOne() throws {
        let run = try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array("U*V\n".utf8))
        #expect(run.status == 1)
        #expect(run.stdout == "mismatch\tbcrypt\n")
        Self.expectSilentAboutSecrets(run, password: "U*V", hash: Self.bcrypt)
    }

    @Test func splitFieldJSONObject() throws {
        let match = try Self.verify(["--password-stdin", Self.splitFields], stdin: Array("open sesame\n".utf8))
        #expect(match.status == 0, "\(match.stderr)")
        #expect(match.stdout == "match\tpbkdf2\n")
        let mismatch = try Self.verify(["--password-stdin", Self.splitFields], stdin: Array("open sesamE\n".utf8))
        #expect(mismatch.status == 1)
        Self.expectSilentAboutSecrets(mismatch, password: "open sesam", hash: "Jc7OPjbtDuUHy7A")
    }

    @Test func unverifiableHashExitsTwo() throws {
        // MD5 is recognised but never verified: WorkOS cannot import it.
        let md5 = "9cc2ae8a1ba7a93da39b46fc1019c481"
        let run = try Self.verify(["--password-stdin", md5], stdin: Array("x\n".utf8))
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("verify_family_unsupported"))
        Self.expectSilentAboutSecrets(run, password: "x\n", hash: md5)
    }

    @Test func nulInsideBcryptKeyExitsTwo() throws {
        let run = try Self.verify(["--password-stdin", Self.bcrypt], stdin: [0x55, 0x00, 0x55])
        #expect(run.status == 2)
        #expect(run.stderr.contains("verify_bcrypt_nul_in_password"))
    }

    @Test func unreadableHashExitsTwo() throws {
        let run = try Self.verify(["--password-stdin", "not-a-hash-at-all"], stdin: Array("x\n".utf8))
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read the hash"))
        #expect(!run.stderr.contains("not-a-hash-at-all"))
    }

    @Test func usageErrorsExitTwo() throws {
        let noFlag = try Self.verify([Self.bcrypt], stdin: Array("U*U\n".utf8))
        #expect(noFlag.status == 2)
        #expect(noFlag.stderr.contains("--password-stdin"))
        #expect(try Self.verify(["--password-stdin"], stdin: Array("U*U\n".utf8)).status == 2)
        #expect(try Self.verify(["--password-stdin", "--salt-encoding", "rot13", Self.bcrypt], stdin: []).status == 2)
        let tooLong = try Self.verify(["--password-stdin", Self.bcrypt], stdin: Array(repeating: 0x61, count: 70_000))
        #expect(tooLong.status == 2)
    }

    @Test func descopeHashObjectIsVerified() throws {
        // pbkdf2-sha256 of "correct horse battery staple" (roundtrip.json descope-pbkdf2-sha256, computed by hashlib).
        let object = #"{"pbkdf2":{"hash":"u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0=","salt":"jypMbhs9X3CSpMbo+x0/UA==","iterations":600000,"type":"sha256"}}"#
        let match = try Self.verify(["--password-stdin", object], stdin: Array("correct horse battery staple\n".utf8))
        #expect(match.status == 0 && match.stdout == "match\tpbkdf2\n")
        let mismatch = try Self.verify(["--password-stdin", object], stdin: Array("Correct horse battery staple\n".utf8))
        #expect(mismatch.status == 1 && mismatch.stdout == "mismatch\tpbkdf2\n")
        let broken = try Self.verify(["--password-stdin", #"{"pbkdf2":{"hash":"u/Bt"}}"#], stdin: Array("x\n".utf8))
        #expect(broken.status == 2 && broken.stderr.contains("missing_field") && !broken.stderr.contains("u/Bt"))
    }
}
