import Foundation
import Testing
@testable import DescopeExport

/// A deterministic generator (SplitMix64), so a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Search Users exports with every shape the reader must treat as the reference does: known keys in any case (or
/// spelled with escapes), wrong types, string booleans, duplicates, escapes and surrogates, nesting, whitespace and
/// CRLF, BOMs, non-object elements, and broken or truncated elements.
struct RandomSearchUsers {
    var rng: SplitMix64
    /// NDJSON: no newline inside an element.
    var oneLine = false
    /// How often a value is broken or of a wrong type (per export: some exports are clean).
    var noise = 0.0

    init(seed: UInt64) { rng = SplitMix64(state: seed) }

    mutating func rare() -> Bool { chance(noise) }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) < p * 1_000_000 }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }

    mutating func ws() -> String {
        guard chance(0.3) else { return "" }
        return oneLine ? pick([" ", "\t", "  "]) : pick([" ", "\n", "\t", "\r\n", "\n    "])
    }

    mutating func stringBody() -> String {
        var s = ""
        for _ in 0..<int(5) {
            switch int(100) {
            case 0..<40: s += pick(["alice", "Bob", "x", "user@example.com", "a b", "+15551234", "T1", "role:admin"])
            case 40..<48: s += pick(["é", "😀", "ß", "日本", "İ"])
            case 48..<60: s += pick(["\\n", "\\\"", "\\\\", "\\/", "\\t", "\\r", "\\b", "\\f"])
            case 60..<70: s += pick(["\\u00e9", "\\u0041", "\\u00E9", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\u0000", "\\u2028"])
            case 70..<73 where rare(): s += pick(["\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud83dx", "\\x", "\\u12", "\u{01}"])
            case 73..<74: s += "\u{7F}"
            default: s += String(int(1000))
            }
        }
        return s
    }

    mutating func string() -> String { "\"" + stringBody() + "\"" }

    mutating func number() -> String {
        switch int(20) {
        case 0 where rare(): return pick(["01", "1.", "-", "1e", "+1", ".5"])
        case 1: return pick(["123456789012345678901234567890", "1e400", "-0", "0.0", "1E+2"])
        case 2..<8: return String(Double(int(100_000)) / 100) + pick(["", "e3", "E-2"])
        default: return String(int(2_000_000_000) - 100)
        }
    }

    mutating func scalar() -> String {
        switch int(7) {
        case 0: return string()
        case 1: return number()
        case 2: return pick(["true", "false"])
        case 3: return "null"
        case 4 where rare(): return pick(["tru", "nul", "falsey"])
        default: return string()
        }
    }

    mutating func value(depth: Int) -> String {
        if depth > 3 || chance(0.6) { return rare() ? scalar() + pick(["x", " 1"]) : scalar() }
        if chance(0.03) {
            let n = 55 + int(12)
            return String(repeating: "[", count: n) + (chance(0.5) ? "1" : "") + String(repeating: "]", count: n)
        }
        if chance(0.5) { return array((0..<int(4)).map { _ in value(depth: depth + 1) }) }
        return object((0..<int(4)).map { _ in (key(pick(["k", "a", "Nested", "x y"])), value(depth: depth + 1)) })
    }

    mutating func array(_ items: [String]) -> String {
        "[" + ws() + items.map { $0 + ws() }.joined(separator: "," + ws()) + "]" + (rare() && rare() ? "]" : "")
    }

    mutating func object(_ members: [(String, String)]) -> String {
        let body = members.map { ws() + $0.0 + ws() + ":" + ws() + $0.1 + ws() }.joined(separator: rare() && rare() ? "" : ",")
        return "{" + body + "}"
    }

    /// A key as written: any case, sometimes with a letter escaped.
    mutating func key(_ name: String) -> String {
        var out = ""
        for c in name {
            if chance(0.03), c.isASCII, let a = c.asciiValue {
                out += String(format: "\\u%04x", a)
            } else if chance(0.1) {
                out += c.isUppercase ? c.lowercased() : c.uppercased()
            } else {
                out.append(c)
            }
        }
        return "\"" + out + "\""
    }

    mutating func stringList() -> String {
        array((0..<int(4)).map { _ in chance(0.05) ? pick(["null", "3", "{}"]) : string() })
    }

    mutating func tenant() -> String {
        if rare() { return pick(["\"T\"", "7", "[]"]) }
        var members: [(String, String)] = []
        if !rare() { members.append((key("tenantId"), rare() ? pick(["\"\"", "5", "null"]) : "\"T\(int(50))\"")) }
        if chance(0.7) { members.append((key("tenantName"), rare() ? "\"\"" : chance(0.1) ? pick(["3", "null"]) : string())) }
        if chance(0.8) { members.append((key("roleNames"), chance(0.1) ? pick(["\"admin\"", "null", "[1,\"a\",null]"]) : stringList())) }
        if chance(0.5) { members.append((key("permissions"), stringList())) }
        if chance(0.05) { members.append((key(pick(["tenantId", "roleNames", "tenantName"])), string())) }
        members.shuffle(using: &rng)
        return object(members)
    }

    /// The value of a known field: usually of its type, sometimes not.
    mutating func field(_ name: String) -> String {
        if rare() { return value(depth: 2) }
        switch name {
        case "verifiedEmail", "verifiedPhone", "test", "TOTP", "SAML", "SCIM", "OIDC", "webauthn", "password", "editable":
            return rare() ? pick(["\"true\"", "\"yes\"", "\"maybe\"", "1"]) : pick(["true", "false", "null"])
        case "loginIds", "roleNames", "ssoAppIds", "externalIds", "permissions":
            return chance(0.05) ? "null" : stringList()
        case "userTenants": return chance(0.05) ? "null" : array((0..<int(4)).map { _ in tenant() })
        case "customAttributes":
            return object((0..<int(5)).map { _ in (key(pick(["plan", "seats", "beta", "tags", "meta", "n"])), value(depth: 1)) })
        case "createdTime":
            if rare() { return pick(["\"soon\"", "1.7e9", "true"]) }
            return pick([String(1_600_000_000 + int(100_000_000)), String(1_600_000_000_000 + int(100_000)), "\"1700000000\"",
                         "\"2024-01-02T03:04:05Z\"", "null", "-5", "1700000000.5"])
        case "OAuth":
            return object((0..<int(3)).map { _ in (key(pick(["google", "github", "apple"])), pick(["true", "false", "\"true\"", "null"])) })
        case "hashedPassword":
            return pick([#"{"bcrypt":{"hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}}"#,
                         #"{ "argon2" : { "hash" : "AAAA", "salt":"c2FsdA==", "iterations": 3 } }"#, #"{"x":"a\/b"}"#,
                         "\"$2a$10$abc\"", "\"\"", "null", "7"])
        case "status": return pick(["\"enabled\"", "\"Disabled\"", "\"INVITED\"", "\"ÉNABLED\"", "\"\"", "null"])
        default: return chance(0.1) ? pick(["\"\"", "null"]) : string()
        }
    }

    mutating func user() -> String {
        let names = ["userId", "loginIds", "loginId", "email", "verifiedEmail", "phone", "verifiedPhone", "name", "givenName",
                     "middleName", "familyName", "status", "roleNames", "userTenants", "customAttributes", "createdTime",
                     "picture", "test", "TOTP", "SAML", "SCIM", "OIDC", "OAuth", "webauthn", "password", "ssoAppIds",
                     "editable", "externalIds", "permissions", "hashedPassword", "hashed_password"]
        var members: [(String, String)] = []
        for name in names where chance(name == "loginId" || name.hasPrefix("hashed") ? 0.1 : 0.6) {
            members.append((key(name), field(name)))
        }
        if rare(), let dup = members.randomElement(using: &rng) { members.append((dup.0, field("name"))) }
        if chance(0.2) { members.append((key(pick(["unknown", "extra", "users", "user"])), value(depth: 1))) }
        members.shuffle(using: &rng)
        return object(members)
    }

    mutating func element() -> String {
        if rare() { return pick(["42", "\"text\"", "[1,2]", "null", "{}"]) }
        var u = user()
        if rare() { u = String(u.prefix(int(max(1, u.count)))) }
        return u
    }

    /// A whole export in one of the envelopes.
    mutating func export() -> [UInt8] {
        let n = int(12)
        noise = pick([0, 0, 0.005, 0.02])
        var text: String
        switch int(6) {
        case 0, 1:
            text = "[" + ws() + (0..<n).map { _ in element() }.joined(separator: "," + ws()) + ws() + "]" + ws()
        case 2:
            text = #"{"users":["# + (0..<n).map { _ in element() }.joined(separator: ",") + #"],"total":\#(n)}"#
        case 3:
            text = #"{"ok":true,"count":\#(n),"users":["# + ws() + (0..<n).map { _ in element() }.joined(separator: ",\n") + "]}"
        case 4:
            text = #"{"user":"# + element() + "}"
        default:
            oneLine = true
            let eol = pick(["\n", "\r\n"])
            text = (0..<max(n, 1)).map { _ in element() }.joined(separator: eol) + (chance(0.5) ? eol : "")
            oneLine = false
        }
        var bytes = Array(text.utf8)
        if chance(0.05), !bytes.isEmpty { bytes = Array(bytes.prefix(int(bytes.count))) }
        if chance(0.02), !bytes.isEmpty { bytes[int(bytes.count)] = pick([0xFF, 0x22, 0x7D, 0x5D, 0x2C]) }
        if chance(0.1) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return bytes
    }
}

@Suite struct RandomSearchUsersTests {
    @Test(arguments: 0..<40)
    func randomExportsReadAsTheReferenceDoes(_ batch: Int) throws {
        var fast = 0, total = 0
        for k in 0..<10 {
            let seed = UInt64(batch * 10 + k)
            var generator = RandomSearchUsers(seed: seed)
            let bytes = generator.export()
            let file = try TemporaryFile(bytes: bytes, suffix: ".json")
            defer { withExtendedLifetime(file) {} }
            for blockSize in [1 << 20, 64, 150] {
                var options = ExportOptions()
                options.readBlockSize = blockSize
                let counts = try expectSameAsReference(path: file.path, options: options, "seed \(seed)/\(blockSize)")
                fast += counts.fast
                total += counts.total
            }
        }
        // Half the exports are clean (the seeds are fixed): a real share must have gone through simdjson.
        #expect(fast * 8 > total, "\(fast) of \(total) elements through simdjson")
    }
}
