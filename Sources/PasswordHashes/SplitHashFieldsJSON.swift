/// Reading split hash fields from one flat JSON object, e.g. a `hashport phc` input line:
/// `{"password_hash":"…","password_hash_type":"pbkdf2","password_salt":"…","password_iterations":600000}`.
/// Keys are matched case-insensitively, ignoring `_` and `-`, with the aliases of descope-export.md;
/// unknown keys are ignored. Values may be strings, numbers or null.
extension SplitHashFields {
    public init(json text: String) throws(HashProblem) {
        guard text.utf8.count <= 64 * 1024 else { throw .tooLong(64 * 1024) }
        var t = text
        let pairs = try t.withUTF8 { buffer in
            var reader = FlatJSONObjectReader(bytes: buffer)
            return Result { () throws(HashProblem) in try reader.read() }
        }.get()
        self.init()
        for (key, value) in pairs {
            guard let value else { continue }
            switch Self.canonicalKey(key) {
            case "hash": hash = value
            case "type": type = value
            case "salt": salt = value
            case "iterations": iterations = value
            case "memory": memory = value
            case "threads": threads = value
            case "digest": digest = value
            case "signerKey": signerKey = value
            case "saltSeparator": saltSeparator = value
            default: break
            }
        }
    }

    static func canonicalKey(_ key: String) -> String? {
        var k = ""
        for c in key.unicodeScalars where c != "_" && c != "-" && c != " " { k.unicodeScalars.append(c.properties.lowercaseMapping.unicodeScalars.first ?? c) }
        switch k {
        case "passwordhash", "hash", "hashedpassword": return "hash"
        case "passwordhashtype", "hashtype", "hashalgorithm", "algorithm": return "type"
        case "passwordsalt", "salt": return "salt"
        case "passworditerations", "iterations", "rounds", "timecost": return "iterations"
        case "passwordmemory", "memory", "memcost": return "memory"
        case "passwordthreads", "threads", "parallelism": return "threads"
        case "passworddigest", "digest", "variant", "type": return "digest"
        case "passwordsignerkey", "signerkey": return "signerKey"
        case "passwordsaltseparator", "saltseparator": return "saltSeparator"
        default: return nil
        }
    }
}

/// A strict reader for one JSON object whose values are scalars (string, number, true/false, null).
struct FlatJSONObjectReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    static let bad = HashProblem("bad_json", "The input line is not a flat JSON object of hash fields.")

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws(HashProblem) {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { throw Self.bad }
        i += 1
    }

    mutating func read() throws(HashProblem) -> [(String, String?)] {
        var out: [(String, String?)] = []
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1 } else {
            while true {
                skipSpace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                out.append((key, try value()))
                skipSpace()
                guard i < bytes.count else { throw Self.bad }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw Self.bad
            }
        }
        skipSpace()
        guard i == bytes.count else { throw Self.bad }
        return out
    }

    mutating func value() throws(HashProblem) -> String? {
        skipSpace()
        guard i < bytes.count else { throw Self.bad }
        switch bytes[i] {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "n"): try literal("null"); return nil
        case UInt8(ascii: "t"): try literal("true"); return "true"
        case UInt8(ascii: "f"): try literal("false"); return "false"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]),
                  (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                i += 1
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        default: throw Self.bad
        }
    }

    mutating func literal(_ word: StaticString) throws(HashProblem) {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { throw Self.bad }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw Self.bad }
        i += n
    }

    mutating func string() throws(HashProblem) -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Self.bad }
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw Self.bad }
                return s
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw Self.bad }
                let e = bytes[i]; i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try literal("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Self.bad }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Self.bad }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: throw Self.bad
                }
            case 0..<0x20: throw Self.bad
            default: out.append(c)
            }
        }
        throw Self.bad
    }

    mutating func hex4() throws(HashProblem) -> UInt32 {
        guard bytes.count - i >= 4 else { throw Self.bad }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = HashEncoding.hexValue(bytes[i]) else { throw Self.bad }
            v = v << 4 | UInt32(d); i += 1
        }
        return v
    }
}
