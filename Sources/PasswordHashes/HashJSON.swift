/// A strict reader for the small JSON objects hashes come in: a `hashport phc` line of split fields
/// (`{"password_hash":"…","password_salt":"…"}`) or Descope's `hashedPassword` object
/// (`{"argon2":{"hash":"…","iterations":3}}`). Objects nest at most `maxDepth` levels; arrays are read only to
/// be refused by the caller with a sentence naming the field.
indirect enum HashJSON {
    case string(String)
    /// The literal text of a JSON number.
    case number(String)
    case bool(Bool)
    case null
    case object([HashJSONMember])
    case array

    static let maxDepth = 4
    static let bad = HashProblem("bad_json", "The input is not a well-formed JSON object of hash fields.")

    /// Parses `text`, which must hold exactly one JSON object (spaces around it allowed).
    static func parseObject(_ text: String) throws(HashProblem) -> [HashJSONMember] {
        var t = text
        return try t.withUTF8 { buffer in
            var reader = HashJSONReader(bytes: buffer)
            return Result { () throws(HashProblem) in
                reader.skipSpace()
                guard reader.i < buffer.count, buffer[reader.i] == UInt8(ascii: "{") else { throw bad }
                guard case .object(let members) = try reader.value(depth: 0) else { throw bad }
                reader.skipSpace()
                guard reader.i == buffer.count else { throw bad }
                return members
            }
        }.get()
    }

    /// `{` then `"` or `}` after optional spaces: a JSON object, not an LDAP `{SCHEME}` hash.
    static func looksLikeObject(_ b: Bytes) -> Bool {
        guard b.first == UInt8(ascii: "{") else { return false }
        for c in b.dropFirst() where c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D {
            return c == UInt8(ascii: "\"") || c == UInt8(ascii: "}")
        }
        return false
    }

    /// The value's text as a split field takes it: strings and numbers as written, booleans as true/false.
    var scalarText: String? {
        switch self {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

}

extension HashJSON {
    /// What kind of JSON value this is, for sentences ("holds a JSON object").
    var kindName: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        case .object: return "object"
        case .array: return "array"
        }
    }
}

/// The reader behind `HashJSON.parseObject`.
struct HashJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws(HashProblem) {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { throw HashJSON.bad }
        i += 1
    }

    mutating func value(depth: Int) throws(HashProblem) -> HashJSON {
        skipSpace()
        guard i < bytes.count else { throw HashJSON.bad }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            guard depth < HashJSON.maxDepth else { throw HashJSON.bad }
            i += 1
            var members: [HashJSONMember] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members.append(HashJSONMember(key: key, value: try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw HashJSON.bad }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw HashJSON.bad
            }
        case UInt8(ascii: "["):
            guard depth < HashJSON.maxDepth else { throw HashJSON.bad }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array }
            while true {
                _ = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw HashJSON.bad }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array }
                throw HashJSON.bad
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw HashJSON.bad
        }
    }

    /// JSON's number grammar, kept as its text.
    mutating func number() throws(HashProblem) -> String {
        let start = i
        func digits(_ i: inout Int) -> Bool {
            let s = i
            while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
            return i > s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "0") { i += 1 } else { guard digits(&i) else { throw HashJSON.bad } }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") { i += 1; guard digits(&i) else { throw HashJSON.bad } }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&i) else { throw HashJSON.bad }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func literal(_ word: StaticString) throws(HashProblem) {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { throw HashJSON.bad }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw HashJSON.bad }
        i += n
    }

    mutating func string() throws(HashProblem) -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw HashJSON.bad }
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw HashJSON.bad }
                return s
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw HashJSON.bad }
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
                        guard (0xDC00..<0xE000).contains(low) else { throw HashJSON.bad }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw HashJSON.bad }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: throw HashJSON.bad
                }
            case 0..<0x20: throw HashJSON.bad
            default: out.append(c)
            }
        }
        throw HashJSON.bad
    }

    mutating func hex4() throws(HashProblem) -> UInt32 {
        guard bytes.count - i >= 4 else { throw HashJSON.bad }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = HashEncoding.hexValue(bytes[i]) else { throw HashJSON.bad }
            v = v << 4 | UInt32(d); i += 1
        }
        return v
    }
}

/// One member of a parsed object (a struct: a labelled tuple in the enum's payload trips the compiler's
/// circular-reference check in per-file builds).
struct HashJSONMember {
    var key: String
    var value: HashJSON
}
