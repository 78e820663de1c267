/// A validating JSON scanner that builds no values: it finds where each value starts and ends, so a user
/// object can be kept byte for byte as Descope sent it, and reads only the few scalars `pull` needs.
struct JSONScanner {
    struct Failure: Error, Sendable, Equatable {
        var reason: String
        var offset: Int
    }

    static let maxDepth = 128

    let bytes: UnsafeRawBufferPointer
    var p: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.p = start
    }

    var atEnd: Bool { p >= bytes.count }

    @inline(__always) func byte(_ i: Int) -> UInt8 { bytes[i] }

    mutating func skipWhitespace() {
        while p < bytes.count {
            let b = bytes[p]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            p += 1
        }
    }

    /// The next significant byte, not consumed.
    mutating func peek() throws(Failure) -> UInt8 {
        skipWhitespace()
        guard p < bytes.count else { throw fail("unexpected end of the JSON text") }
        return bytes[p]
    }

    mutating func expect(_ c: UInt8) throws(Failure) {
        guard try peek() == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        p += 1
    }

    /// After a member or element: true for `,`, false for the closing bracket (consumed either way).
    mutating func separator(closing: UInt8) throws(Failure) -> Bool {
        let c = try peek()
        p += 1
        if c == UInt8(ascii: ",") { return true }
        if c == closing { return false }
        p -= 1
        throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }

    func fail(_ reason: String) -> Failure { Failure(reason: reason, offset: p) }

    /// Skips one value of any kind, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) levels deep") }
        switch try peek() {
        case UInt8(ascii: "{"):
            p += 1
            if try peek() == UInt8(ascii: "}") { p += 1; return }
            repeat {
                guard try peek() == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                try skipString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while try separator(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            p += 1
            if try peek() == UInt8(ascii: "]") { p += 1; return }
            repeat { try skipValue(depth: depth + 1) } while try separator(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            _ = try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard p + n <= bytes.count else { throw fail("unexpected end of the JSON text") }
        for i in 0..<n where bytes[p + i] != word.utf8Start[i] { throw fail("invalid literal") }
        p += n
    }

    /// A number's text (validated against the JSON grammar).
    mutating func number() throws(Failure) -> Range<Int> {
        let start = p
        func digits(_ s: inout JSONScanner) -> Int {
            let from = s.p
            while s.p < s.bytes.count, (0x30...0x39).contains(s.bytes[s.p]) { s.p += 1 }
            return s.p - from
        }
        if p < bytes.count, bytes[p] == UInt8(ascii: "-") { p += 1 }
        let intStart = p
        let intDigits = digits(&self)
        guard intDigits > 0 else { p = start; throw fail("invalid value") }
        if intDigits > 1, bytes[intStart] == 0x30 { throw fail("a number with a leading zero") }
        if p < bytes.count, bytes[p] == UInt8(ascii: ".") {
            p += 1
            guard digits(&self) > 0 else { throw fail("a number with no digit after '.'") }
        }
        if p < bytes.count, bytes[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < bytes.count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") { p += 1 }
            guard digits(&self) > 0 else { throw fail("a number with no exponent digits") }
        }
        return start..<p
    }

    /// Skips a string (the opening quote at `p`), checking escapes and that no raw control byte is inside.
    mutating func skipString() throws(Failure) {
        p += 1
        while p < bytes.count {
            let b = bytes[p]
            if b == UInt8(ascii: "\"") { p += 1; return }
            if b < 0x20 { throw fail("a control character inside a string") }
            if b == UInt8(ascii: "\\") {
                guard p + 1 < bytes.count else { break }
                switch bytes[p + 1] {
                case UInt8(ascii: "u"):
                    guard p + 6 <= bytes.count, (2..<6).allSatisfy({ Self.hexValue(bytes[p + $0]) != nil }) else {
                        throw fail("an invalid \\u escape")
                    }
                    p += 6
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    p += 2
                default:
                    throw fail("an invalid escape")
                }
                continue
            }
            p += 1
        }
        throw fail("an unterminated string")
    }

    /// Reads a string (the opening quote at `p`) and decodes its escapes.
    mutating func string() throws(Failure) -> String {
        let start = p
        try skipString()
        let body = UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(p - 1)])
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        return Self.unescape(body)
    }

    /// Decodes the escapes of a string body already checked by `skipString` (lone surrogates become U+FFFD).
    static func unescape(_ body: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue(body[at + $1]) ?? 0) }
        }
        func append(_ scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(s)).utf8)
        }
        while i < body.count {
            let b = body[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            let e = body[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(unit), i + 6 <= body.count, body[i] == UInt8(ascii: "\\"),
                   body[i + 1] == UInt8(ascii: "u"), case let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) {
                    i += 6
                    append(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    append(unit)
                }
            default: out.append(e)   // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
