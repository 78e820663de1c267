import DescopeExport

/// Hand-written JSON output: `JSONEncoder` costs microseconds a row, and convert writes millions of rows.
public enum JSONText {
    /// `s` as a JSON string literal, quotes included (the CLI's hand-written output lines).
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal (quotes included), escaping per RFC 8259.
    package static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(contiguous: UnsafeRawBufferPointer($0), to: &out) }
    }

    /// The literal of contiguous bytes: runs that need no escape are copied whole, not byte by byte.
    @inlinable package static func appendString(contiguous bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(0x22)
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
            runStart = i + 1
            appendEscape(b, to: &out)
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(0x22)
    }

    /// The JSON escape of one byte that cannot stand as is (a quote, a backslash or a control byte).
    @usableFromInline static func appendEscape(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(0x6E)
        case 0x0D: out.append(0x5C); out.append(0x72)
        case 0x09: out.append(0x5C); out.append(0x74)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
    }

    /// Appends bytes (valid UTF-8) as a JSON string literal.
    package static func appendString<C: Collection>(bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        let copied: Void? = bytes.withContiguousStorageIfAvailable {
            appendString(contiguous: UnsafeRawBufferPointer($0), to: &out)
        }
        if copied != nil { return }
        out.append(0x22)
        for b in bytes {
            guard b < 0x20 || b == 0x22 || b == 0x5C else { out.append(b); continue }
            appendEscape(b, to: &out)
        }
        out.append(0x22)
    }

    @inlinable package static func appendRaw(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable package static func appendInt(_ n: Int, to out: inout [UInt8]) {
        if n < 0 { out.append(0x2D) }
        var v = n.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat { buf[19 - count] = UInt8(truncatingIfNeeded: v % 10) + 0x30; v /= 10; count += 1 } while v > 0
            out.append(contentsOf: buf[(20 - count)...])
        }
    }

    /// The compact JSON text of a value (custom attribute lists and objects become metadata strings).
    package static func text(of value: JSONValue) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    package static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: appendRaw("null", to: &out)
        case .bool(let b): if b { appendRaw("true", to: &out) } else { appendRaw("false", to: &out) }
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): appendString(s, to: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() { if i > 0 { out.append(0x2C) }; append(item, to: &out) }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendString(k, to: &out); out.append(0x3A); append(v, to: &out)
            }
            out.append(0x7D)
        }
    }

    /// `["a","b"]` of a list of spans (metadata keeps login ids and roles so), in a buffer valid for the call.
    static func withArray<R>(of items: SpanList, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        // At most 6 bytes per byte (a \u00XX escape), 3 per item (quotes, comma), and the brackets.
        let capacity = items.reduce(2) { $0 + 6 * $1.count + 3 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var n = 0
            func put(_ c: UInt8) { buffer[n] = c; n += 1 }
            put(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { put(0x2C) }
                put(0x22)
                for c in item.buffer {
                    if c >= 0x20 && c != 0x22 && c != 0x5C { put(c); continue }
                    put(0x5C)
                    switch c {
                    case 0x22, 0x5C: put(c)
                    case 0x0A: put(0x6E)
                    case 0x0D: put(0x72)
                    case 0x09: put(0x74)
                    default:
                        let hex: StaticString = "0123456789abcdef"
                        put(0x75); put(0x30); put(0x30); put(hex.utf8Start[Int(c >> 4)]); put(hex.utf8Start[Int(c & 0xF)])
                    }
                }
                put(0x22)
            }
            put(0x5D)
            return body(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0..<n]))
        }
    }

    package static func array(of strings: [String]) -> String {
        var out: [UInt8] = [0x5B]
        for (i, s) in strings.enumerated() { if i > 0 { out.append(0x2C) }; appendString(s, to: &out) }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }
}
