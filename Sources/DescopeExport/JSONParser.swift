/// A JSON value parser over a byte window. It parses one complete value at a time; when the value runs past
/// the end of the window and more input may follow, it fails with `.needMore` and the caller refills and retries.
struct JSONParser {
    enum Failure: Error, Equatable {
        case needMore
        case invalid(String, offset: Int)
    }

    static let maxDepth = 64

    let base: UnsafeRawPointer
    let limit: Int
    let atEOF: Bool
    var p: Int

    init(base: UnsafeRawPointer, from: Int, limit: Int, atEOF: Bool) {
        self.base = base; self.p = from; self.limit = limit; self.atEOF = atEOF
    }

    /// Parses a whole buffer holding exactly one value (CSV cells with JSON in them).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<JSONValue, Failure> {
        guard bytes.count > 0 else { return .failure(.invalid("empty", offset: 0)) }
        // The scans read 8 bytes at a time, up to 8 past the end: parse a zero-padded copy, since a cell or a String
        // has no padding after it (found by fuzzing: ASan saw the read past a String's buffer).
        let padded = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + Self.padding, alignment: 8)
        defer { padded.deallocate() }
        padded.copyMemory(from: bytes)
        padded.baseAddress!.advanced(by: bytes.count).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
        var parser = JSONParser(base: UnsafeRawPointer(padded.baseAddress!), from: 0, limit: bytes.count, atEOF: true)
        do {
            let v = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.p != parser.limit { return .failure(.invalid("unexpected text after the value", offset: parser.p)) }
            return .success(v)
        } catch { return .failure(error) }
    }

    /// Bytes the scans may read past a buffer's end.
    static let padding = 8

    static func parse(_ text: String) -> Result<JSONValue, Failure> {
        var t = text
        return t.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    mutating func skipWhitespace() {
        while p < limit {
            let b = byte(p)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            p += 1
        }
    }

    /// The next non-whitespace byte, without consuming it; nil at the end of the window.
    mutating func peek() throws(Failure) -> UInt8 {
        skipWhitespace()
        if p >= limit { throw atEOF ? .invalid("unexpected end of input", offset: p) : .needMore }
        return byte(p)
    }

    mutating func expect(_ c: UInt8) throws(Failure) {
        let b = try peek()
        guard b == c else { throw .invalid("expected '\(Character(Unicode.Scalar(c)))', found \(describe(b))", offset: p) }
        p += 1
    }

    func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maxDepth else { throw .invalid("nested deeper than \(Self.maxDepth) levels", offset: p) }
        let b = try peek()
        switch b {
        case UInt8(ascii: "{"):
            p += 1
            var members: [(String, JSONValue)] = []
            if try peek() == UInt8(ascii: "}") { p += 1; return .object(members) }
            while true {
                guard try peek() == UInt8(ascii: "\"") else { throw .invalid("expected a key string", offset: p) }
                let key = try parseString()
                try expect(UInt8(ascii: ":"))
                members.append((key, try parseValue(depth: depth + 1)))
                let c = try peek()
                p += 1
                if c == UInt8(ascii: ",") { continue }
                if c == UInt8(ascii: "}") { return .object(members) }
                throw .invalid("expected ',' or '}' in an object, found \(describe(c))", offset: p - 1)
            }
        case UInt8(ascii: "["):
            p += 1
            var items: [JSONValue] = []
            if try peek() == UInt8(ascii: "]") { p += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                let c = try peek()
                p += 1
                if c == UInt8(ascii: ",") { continue }
                if c == UInt8(ascii: "]") { return .array(items) }
                throw .invalid("expected ',' or ']' in an array, found \(describe(c))", offset: p - 1)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw .invalid("unexpected \(describe(b))", offset: p)
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        for k in 0..<n {
            if p + k >= limit { throw atEOF ? .invalid("truncated literal", offset: p) : .needMore }
            guard byte(p + k) == word.utf8Start[k] else { throw .invalid("invalid literal", offset: p) }
        }
        p += n
    }

    /// JSON number grammar, kept as its literal text.
    private mutating func parseNumber() throws(Failure) -> String {
        let start = p
        var i = p
        func digit(_ i: Int) -> Bool { i < limit && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) }
        if i < limit, byte(i) == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { throw i >= limit && !atEOF ? .needMore : .invalid("invalid number", offset: start) }
        if byte(i) == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        if i < limit, byte(i) == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw i >= limit && !atEOF ? .needMore : .invalid("invalid number", offset: start) }
            while digit(i) { i += 1 }
        }
        if i < limit, byte(i) | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < limit, byte(i) == UInt8(ascii: "+") || byte(i) == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { throw i >= limit && !atEOF ? .needMore : .invalid("invalid number", offset: start) }
            while digit(i) { i += 1 }
        }
        // A number touching the window's end may continue in the next block.
        if i >= limit && !atEOF { throw .needMore }
        p = i
        return String(decoding: UnsafeRawBufferPointer(start: base + start, count: i - start), as: UTF8.self)
    }

    mutating func parseString() throws(Failure) -> String {
        let open = p
        p += 1
        let quote = ByteScan.broadcast(UInt8(ascii: "\"")), backslash = ByteScan.broadcast(UInt8(ascii: "\\"))
        let i = ByteScan.first(quote, backslash, in: base, from: p, limit: limit)
        if i >= limit { throw atEOF ? .invalid("unterminated string", offset: open) : .needMore }
        if byte(i) == UInt8(ascii: "\"") {
            let raw = UnsafeRawBufferPointer(start: base + p, count: i - p)
            guard let s = UTF8Text.string(raw) else {
                throw .invalid("string is not valid UTF-8", offset: open)
            }
            p = i + 1
            return s
        }
        return try parseEscapedString(open: open)
    }

    private mutating func parseEscapedString(open: Int) throws(Failure) -> String {
        var out: [UInt8] = []
        var i = p
        while true {
            guard i < limit else { throw atEOF ? .invalid("unterminated string", offset: open) : .needMore }
            let b = byte(i)
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < limit else { throw atEOF ? .invalid("unterminated string", offset: open) : .needMore }
            let e = byte(i + 1)
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < limit || atEOF else { throw .needMore }
                    guard i + 1 < limit, byte(i) == UInt8(ascii: "\\"), byte(i + 1) == UInt8(ascii: "u") else {
                        throw .invalid("unpaired surrogate in \\u escape", offset: i)
                    }
                    let low = try hex4(at: i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw .invalid("unpaired surrogate in \\u escape", offset: i) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw .invalid("unpaired surrogate in \\u escape", offset: i)
                }
                guard let u = Unicode.Scalar(scalar) else { throw .invalid("invalid \\u escape", offset: i) }
                out.append(contentsOf: String(Character(u)).utf8)
            default:
                throw .invalid("invalid escape '\\\(Character(Unicode.Scalar(e)))'", offset: i - 2)
            }
        }
        guard let s = out.withUnsafeBytes({ UTF8Text.string($0) }) else { throw .invalid("string is not valid UTF-8", offset: open) }
        p = i + 1
        return s
    }

    private func hex4(at i: Int) throws(Failure) -> UInt32 {
        guard i + 4 <= limit else { throw atEOF ? .invalid("truncated \\u escape", offset: i) : .needMore }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = byte(i + k)
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw .invalid("invalid \\u escape", offset: i)
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}

extension JSONValue {
    /// Member lookup ignoring ASCII case (`TOTP` and `totp` are the same key).
    public subscript(caseInsensitive key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let k = key.lowercased()
        return members.first { $0.0.lowercased() == k }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// Compact JSON text of the value.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return JSONValue.quoted(s)
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { JSONValue.quoted($0.0) + ":" + $0.1.jsonText }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
