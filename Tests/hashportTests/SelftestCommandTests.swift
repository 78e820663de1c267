import Foundation
import Testing

/// Runs `hashport selftest --vectors DIR` on small vector sets written for the test (the full set runs in `make test`).
@Suite struct SelftestCommandTests {
    static func vectorDirectory(known: String, roundTrip: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashport-selftest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(known.utf8).write(to: dir.appendingPathComponent("known-answer-vectors.json"))
        try Data(roundTrip.utf8).write(to: dir.appendingPathComponent("roundtrip.json"))
        return dir
    }

    static let known = """
        [{"id":"ow-01","algorithm":"bcrypt","format":"mcf-bcrypt","password_hex":"552a55",
          "encoded":"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW","expected_valid":true},
         {"id":"rfc6070-2","algorithm":"pbkdf2-sha1","format":"raw","password_hex":"70617373776f7264",
          "components":{"prf":"HMAC-SHA1","salt_hex":"73616c74","iterations":2,"dklen":20,"dk_hex":"ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
          "expected_valid":true},
         {"id":"neg-wrong-password","algorithm":"bcrypt","format":"mcf-bcrypt","password_hex":"552a552a",
          "encoded":"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW","expected_valid":false},
         {"id":"neg-truncated","algorithm":"bcrypt","format":"mcf-bcrypt","password_hex":"",
          "encoded":"$2a$05$CCCCCCCCCCCCCCCCCCCCC.","expected_valid":false}%@]
        """
    static let roundTrip = """
        {"cases":[{"id":"ssha","input":"{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGA==","salt_encoding":"auto",
          "password_hex":"636f727265637420686f727365206261747465727920737461706c65","expected_workos_type":"ssha",
          "expected_workos_hash":"{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGA==","workos_accepts":true,"expected_problems":[],"verify":true}]}
        """

    @Test func passingSetPrintsOnlyTheCount() throws {
        let dir = try Self.vectorDirectory(known: Self.known.replacingOccurrences(of: "%@", with: ""), roundTrip: Self.roundTrip)
        let r = try HashportBinary.run(["selftest", "--vectors", dir.path])
        #expect(r.stdout == "5 passed, 0 failed\n")
        #expect(r.status == 0)
    }

    @Test func aWrongExpectationIsOneFailureLine() throws {
        // A correct hash claimed invalid, and a round-trip case whose expected WorkOS string is wrong.
        let extra = #",{"id":"claims-invalid","algorithm":"bcrypt","format":"mcf-bcrypt","password_hex":"552a55","encoded":"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW","expected_valid":false}"#
        let dir = try Self.vectorDirectory(known: Self.known.replacingOccurrences(of: "%@", with: extra),
                                           roundTrip: Self.roundTrip.replacingOccurrences(of: "\"{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGA==\",\"workos_accepts\"",
                                                                                          with: "\"{SSHA}5tWrRrGKlWZvPXl8vtN+DGiY2TyhssPU5fYHGB==\",\"workos_accepts\""))
        let r = try HashportBinary.run(["selftest", "--vectors", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout == """
            FAIL known-answer claims-invalid: source: verification said match, expected mismatch
            FAIL roundtrip ssha: WorkOS string differs from the expected one
            4 passed, 2 failed

            """)
    }

    @Test func missingVectorsIsAUsageError() throws {
        let r = try HashportBinary.run(["selftest", "--vectors", "/nonexistent/vectors"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty && r.stderr.contains("no TestVectors directory"))
    }

    @Test func findsVectorsAboveTheExecutableFromAnyDirectory() throws {
        // <tmp>/bin/hashport (a hard link) and <tmp>/TestVectors; run from "/", where there is no ./TestVectors.
        let root = HashportBinary.repository.appendingPathComponent(".build/selftest-locate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let vectors = try Self.vectorDirectory(known: Self.known.replacingOccurrences(of: "%@", with: ""), roundTrip: Self.roundTrip)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: vectors, to: root.appendingPathComponent("TestVectors"))
        try FileManager.default.linkItem(at: HashportBinary.executable, to: root.appendingPathComponent("bin/hashport"))
        let p = Process()
        p.executableURL = root.appendingPathComponent("bin/hashport")
        p.arguments = ["selftest"]
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(text == "5 passed, 0 failed\n")
        #expect(p.terminationStatus == 0)
    }
}
