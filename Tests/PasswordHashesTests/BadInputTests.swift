import Foundation
import Testing
@testable import PasswordHashes

/// Hostile and broken input: each gets its specific problem code, never a crash, and no message repeats the input.
@Suite struct BadInputTests {
    static let tag = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    static let cases: [(String, String)] = [
        ("", "empty"),
        ("  \t ", "empty"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOé", "non_ascii"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0Xou\u{0}b4YMJKvyOeW", "control_character"),
        ("$2a$99$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "parameter_out_of_range"),
        ("$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "parameter_out_of_range"),
        ("$2a$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWx", "malformed"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe", "truncated"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW", "bad_length"),
        ("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvy!eW", "bad_base64"),
        ("$2q$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "bcrypt_unknown_variant"),
        ("$argon2id$v=19$m=4294967296,t=2,p=1$c29tZXNhbHQ$\(tag)", "parameter_out_of_range"),
        ("$argon2id$v=19$m=99999999999999999999999,t=2,p=1$c29tZXNhbHQ$\(tag)", "parameter_out_of_range"),
        ("$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$\(tag)", "parameter_out_of_range"),
        ("$argon2id$v=19$m=65536,t=02,p=1$c29tZXNhbHQ$\(tag)", "leading_zero"),
        ("$argon2id$v=019$m=65536,t=2,p=1$c29tZXNhbHQ$\(tag)", "leading_zero"),
        ("$argon2id$v=19$t=2,m=65536,p=1$c29tZXNhbHQ$\(tag)", "malformed"),
        ("$argon2id$v=19$m=65536,t=2,p=1,x=1$c29tZXNhbHQ$\(tag)", "unknown_parameter"),
        ("$argon2id$v=19$m=65536,t=2,p=x$c29tZXNhbHQ$\(tag)", "bad_number"),
        ("$argon2id$v=19$m=65536", "truncated"),
        ("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPP!", "bad_base64"),
        ("$argon2id$v=20$m=65536,t=2,p=1$c29tZXNhbHQ$\(tag)", "argon2_unknown_version"),
        ("$argon2x$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$\(tag)", "argon2_unknown_variant"),
        ("$argon2id" + String(repeating: "$", count: 3000), "malformed"),
        ("$pbkdf2$i=0,d=sha256$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "parameter_out_of_range"),
        ("$pbkdf2$i=4294967296,d=sha256$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "parameter_out_of_range"),
        ("$pbkdf2$i=1000,d=md5$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "pbkdf2_unknown_digest"),
        ("$pbkdf2-sha1$i=1,l=21$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "bad_length"),
        ("$pbkdf2-sha256$01212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", "leading_zero"),
        ("$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg+fJPeq1h/gXXY7acBp9/6c.tmQ", "bad_base64"),
        ("$pbkdf2$i=1000,d=sha256$c2FsdA==$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "bad_base64"),
        ("$pbkdf2$i=1000,d=sha256$$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "missing_field"),
        ("pbkdf2:sha256:600000$salt$0d5153c3a50e7223840b43d8de84414a10efcea74a340fc27b1a0259ae2be70", "bad_hex"),
        ("pbkdf2:sha256:600000$salt$0d5153c3a50e7223840b43d8de84414a10efcea74a340fc27b1a0259ae2be7zz", "bad_hex"),
        ("pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=$extra", "malformed"),
        ("sha256:0:NjI3MDM3:vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk", "parameter_out_of_range"),
        ("{PKCS5S2}c4xaeTQM0lUieMS3V5voiexyX9XhqC2dBd5ecVy60IPksHChwoTAVYFrhsgo", "bad_length"),
        ("{SSHA}AAAA", "bad_length"),
        ("$scrypt$ln=0,r=8,p=1$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "parameter_out_of_range"),
        ("$scrypt$v=1$n=1000,r=8,p=1,kl=20$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y", "parameter_out_of_range"),
        ("$firebase-scrypt$hash=AAAA$salt=AAAA$sk=AAAA$ss=AA==$r=11$m=14", "parameter_out_of_range"),
        ("$P$984478476IagS59wHZvyQMArzfx58u", "bad_length"),
        ("hello world", "unknown_format"),
        ("AQAAAAEAA9CQ/////0SkQuj2Du8Y+kbc5lcN/W/3NiAZFEm11P27nrSN5/tId+bR1SwV8CO1Jd72r4C08OLvplNlCDc3oQZ8efcW+jQ=", "unknown_format"),
    ]

    @Test(arguments: cases)
    func specificProblem(_ input: String, _ code: String) {
        let result = HashDetector.detect(input)
        #expect(result.error?.code == code, "got \(result.error?.code ?? "success")")
        if let message = result.error?.message, input.utf8.count > 12 {
            #expect(!message.contains(input.trimmingCharacters(in: .whitespaces)))
            #expect(!message.contains("c29tZXNhbHQ") && !message.contains("CCCCCCCC") && !message.contains("c2FsdA"))
        }
    }

    @Test func tenMegabyteLineIsRefusedUpFront() {
        let huge = "$argon2id$v=19$m=65536,t=2,p=1$" + String(repeating: "A", count: 10 << 20)
        #expect(HashDetector.detect(huge).error?.code == "too_long")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: huge, type: "argon2")).error?.code == "too_long")
    }

    @Test func splitFieldProblems() throws {
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "", type: "pbkdf2")).error?.code == "empty")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "c2FsdA==", type: "pbkdf2", salt: "c2FsdA==", digest: "sha256")).error?.code == "missing_field")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "c2FsdA==", type: "pbkdf2", salt: "c2FsdA==", iterations: "1000")).error?.code == "missing_field")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "c2FsdA==", type: "whirlpool", salt: "c2FsdA==")).error?.code == "unknown_hash_type")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "c2FsdA==", type: "argon2", salt: "c2FsdA==", iterations: "3", memory: "65536")).error?.code == "missing_field")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "c2F!dA==", type: "pbkdf2", salt: "c2FsdA==", iterations: "1000", digest: "sha256")).error?.code == "bad_base64")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "abcd", type: "pbkdf2", salt: "xyz", iterations: "1000", digest: "sha256")).error?.code == "bad_hex")
        #expect(HashDetector.detect(fields: SplitHashFields(hash: "abcd", type: "buddyauth")).error?.code == "family_not_importable")
        #expect(throws: HashProblem.self) { try SplitHashFields(json: "{\"password_hash\": ") }
        #expect(throws: HashProblem.self) { try SplitHashFields(json: "{\"password_hash\": {\"a\":1}}") }
        #expect(throws: HashProblem.self) { try SplitHashFields(json: "[1]") }
    }
}
