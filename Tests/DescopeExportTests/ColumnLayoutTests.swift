import Testing
@testable import DescopeExport

@Suite struct ColumnLayoutTests {
    @Test(arguments: [
        ("userId", ExportColumn.userId), ("User ID", .userId), ("descope_user_id", .userId), ("ID", .userId),
        ("Login ID(s)", .loginIds), ("username", .loginIds), ("Email Address", .email), ("email_verified", .emailVerified),
        ("verifiedEmail", .emailVerified), ("phoneNumber", .phone), ("Display Name", .name), ("first_name", .givenName),
        ("LAST-NAME", .familyName), ("created_time", .createdAt), ("roles", .projectRoles), ("userTenants", .tenants),
        ("tenantIds", .tenants), ("Hashed Password", .passwordHash), ("hash", .passwordHash), ("password", .password),
        ("hash_algorithm", .passwordHashType), ("algorithm", .passwordHashType), ("salt", .passwordSalt),
        ("rounds", .passwordIterations), ("time_cost", .passwordIterations), ("mem_cost", .passwordMemory),
        ("parallelism", .passwordThreads), ("variant", .passwordDigest), ("signerKey", .passwordSignerKey),
        ("salt_separator", .passwordSaltSeparator), ("\u{FEFF}'Email", .email),
    ])
    func headerAliases(_ header: String, _ column: ExportColumn) {
        #expect(ExportColumn.matching(header: header) == column)
    }

    @Test func unknownDuplicateAndCustomAttributeColumns() throws {
        let layout = try CSVColumnLayout(path: "x.csv", headers: ["email", "E-Mail", "Favourite", "customAttributes.Plan", "hash"])
        #expect(layout[.email] == 0)
        #expect(layout.duplicateHeaders == ["E-Mail"])
        #expect(layout.unknownHeaders == ["Favourite"])
        #expect(layout.customAttributeFields == [CSVColumnLayout.CustomAttributeField(key: "Plan", index: 3)])
        #expect(layout[.passwordHash] == 4)
    }

    @Test func mapOverridesWinOverAliases() throws {
        let layout = try CSVColumnLayout(path: "x.csv", headers: ["hash", "pw_digest", "Mail"],
                                         overrides: ["password_hash": "pw_digest", "email": "mail"])
        #expect(layout[.passwordHash] == 1)
        #expect(layout[.email] == 2)
        #expect(layout.unknownHeaders.isEmpty)
        #expect(layout.duplicateHeaders == ["hash"])
    }

    @Test func badMapsAndHeaderlessFilesAreErrors() {
        #expect(throws: ExportError.mappedHeaderMissing(path: "x.csv", column: "email", header: "Nope", available: ["a", "email"])) {
            _ = try CSVColumnLayout(path: "x.csv", headers: ["a", "email"], overrides: ["email": "Nope"])
        }
        #expect(throws: ExportError.unknownMappingKey("shoe_size")) {
            _ = try CSVColumnLayout(path: "x.csv", headers: ["a", "email"], overrides: ["shoe_size": "a"])
        }
        #expect(throws: ExportError.noHeader(path: "x.csv", firstRow: ["U1", "a@b.c"])) {
            _ = try CSVColumnLayout(path: "x.csv", headers: ["U1", "a@b.c"])
        }
    }

    @Test func passwordColumnIsAHashUnlessItHoldsBooleans() throws {
        let bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
        let reader = try CSVUserReader(csv: CSVReader(bytes: Array("email,password\na@x.io,\(bcrypt)\nb@x.io,TRUE\n".utf8)))
        guard case .user(let a)? = reader.next(), case .user(let b)? = reader.next() else { Issue.record("no users"); return }
        #expect(a.hash.hash == bcrypt && a.hasPassword == nil)
        #expect(b.hash.hash == nil && b.hasPassword == true)
    }

    @Test func viewsGiveFieldsInPlaceAndProblemsWithTheirLines() throws {
        let reader = try CSVUserReader(csv: CSVReader(bytes: Array("id,email\nU1,a@x.io\nU2\nU3,\"c\"\"@x.io\"\n".utf8)))
        var emails: [String] = []
        var problems: [Int] = []
        while let item = reader.nextView() {
            switch item {
            case .user(let view): emails.append(view.email.string)
            case .problem(let p): problems.append(p.location.line)
            }
        }
        #expect(emails == ["a@x.io", "c\"@x.io"])
        #expect(problems == [3])
    }
}

@Suite struct CellValueTests {
    @Test func times() {
        #expect(CellValues.epochSeconds("1700000000") == 1_700_000_000)
        #expect(CellValues.epochSeconds(" 1700000000123 ") == 1_700_000_000)
        #expect(CellValues.epochSeconds("1700000000.75") == 1_700_000_000)
        #expect(CellValues.epochSeconds("2023-11-14T22:13:20Z") == 1_700_000_000)
        #expect(CellValues.epochSeconds("2023-11-14T22:13:20.123+02:00") == Int64(1_699_992_800))
        #expect(CellValues.epochSeconds("2023-11-14") == 1_699_920_000)
        #expect(CellValues.epochSeconds("1969-12-31T23:59:59Z") == -1)
        for bad in ["", "yesterday", "2023-13-01", "2023-11-14T25:00:00Z", "99999999999999999999999", "12ab"] {
            #expect(CellValues.epochSeconds(bad) == nil, "\(bad)")
        }
    }

    /// Epoch numbers at Int64's edges: leading zeros never overflow, a magnitude past Int64 is unreadable.
    @Test func epochNumbersAtTheEdgesOfInt64() {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("-0", 0), ("-1", -1), ("-99999999999", -99_999_999_999), ("-100000000000", -100_000_000),
            ("000000000000000000000000001700000000", 1_700_000_000), ("00000000000000000000.5", 0),
            ("9223372036854775807", 9_223_372_036_854_775), ("9223372036854775808", nil),
            ("-9223372036854775807", -9_223_372_036_854_775), ("-9223372036854775808", nil),
            ("9999999999999999999", nil), ("18446744073709551615", nil), ("18446744073709551616", nil),
            ("099999999999999999999", nil), ("\t1700000000 ", 1_700_000_000), ("-", nil), ("1-", nil), (".5", nil),
        ]
        for (text, expected) in cases { #expect(CellValues.epochSeconds(text) == expected, "\(text)") }
    }

    /// Random numbers of 1–24 digits (leading zeros, a sign, a fraction, a stray byte) read as Swift reads them.
    @Test func epochNumbersReadLikeSwiftsInt64() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var digits = String((0..<Int.random(in: 1...24, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            if Int.random(in: 0..<10, using: &generator) == 0 {
                var bytes = Array(digits.utf8)
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = "x/:. ".utf8.randomElement(using: &generator)!
                digits = String(decoding: bytes, as: UTF8.self)
            }
            let negative = Bool.random(using: &generator)
            let text = (negative ? "-" : "") + digits + (Bool.random(using: &generator) ? ".5" : "")
            let whole = Array(digits.utf8).allSatisfy { $0 >= 48 && $0 <= 57 } ? Int64((negative ? "-" : "") + digits) : nil
            let expected: Int64?? = Array(digits.utf8).allSatisfy({ $0 >= 48 && $0 <= 57 })
                ? .some(whole.flatMap { $0 == Int64.min ? nil : ($0.magnitude >= 100_000_000_000 ? $0 / 1000 : $0) })
                : .none
            if case .some(let value) = expected { #expect(CellValues.epochSeconds(text) == value, "\(text)") }
            else { #expect(CellValues.epochSeconds(text) == nil || digits.contains(" ") || digits.contains("."), "\(text)") }
        }
    }

    @Test func lists() throws {
        #expect(try CellValues.list("a;b; c").get() == ["a", "b", "c"])
        #expect(try CellValues.list("a|b").get() == ["a", "b"])
        #expect(try CellValues.list("a, b").get() == ["a", "b"])
        #expect(try CellValues.list(#"["x,y", "z"]"#).get() == ["x,y", "z"])
        #expect(try CellValues.list("").get() == [])
        #expect((try? CellValues.list("[oops").get()) == nil)
    }

    @Test func booleans() {
        for t in ["true", "TRUE", "Yes", "1", "t", " y "] { #expect(CellValues.bool(t) == true, "\(t)") }
        for f in ["false", "No", "0", "F", "n"] { #expect(CellValues.bool(f) == false, "\(f)") }
        for x in ["", "maybe", "2"] { #expect(CellValues.bool(x) == nil, "\(x)") }
    }

    @Test func utf8Validation() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Text.isValid($0) } }
        #expect(valid(Array("plain ascii longer than eight bytes".utf8)))
        #expect(valid(Array("é 😀 ü".utf8)))
        #expect(!valid([0xC0, 0x80]))            // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))      // surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80])) // above U+10FFFF
        #expect(!valid([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xE9])) // truncated after ASCII run
    }
}
