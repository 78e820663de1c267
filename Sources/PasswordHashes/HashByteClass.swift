/// How the detector reads the bytes of one variable part of a hash (a salt, a digest, a signer key): the shape cache
/// checks each row's part against its shape's class exactly as strictly as the detector would decode it, and
/// writes the WorkOS string's base64 from it without the detector.
enum HashByteClass: UInt8 {
    /// Standard base64, `=` padding optional, canonical spare bits (split fields, Descope objects, Django digests).
    case standard
    /// Standard base64 without padding (PHC, WorkOS).
    case standardUnpadded
    /// URL-safe base64, padding optional.
    case urlSafe
    /// passlib's adapted base64 (`.` for `+`), unpadded.
    case adapted
    /// Even-length hex.
    case hex
    /// bcrypt's radix-64, unpadded (bcrypt's salt and digest).
    case bcrypt
    /// The bytes as they are (`--salt-encoding text` on split fields).
    case text
    /// Printable ASCII but `$`, as it is (a Django salt inside a whole hash string: ASCII without controls, and
    /// without the `$` that separates the fields).
    case printable

    /// What `SplitFieldBytes.guess` reads the characters as.
    static func guess(_ b: UnsafeRawBufferPointer) -> HashByteClass {
        let scan = HashAlphabet.hexAndURLMarks(b)
        return !b.isEmpty && b.count % 2 == 0 && scan.allHex ? .hex : scan.anyURLMark ? .urlSafe : .standard
    }

    /// True when every part of `count` bytes and `pads` trailing `=` that holds `held` (`measure` succeeds) is guessed
    /// `guess`, so the quick match need not guess it again: hex holds only hex digits in an even count; the base64
    /// classes hold no URL mark, and a `=`, an odd count or none at all is not hex.
    static func guess(_ guess: HashByteClass, isImpliedByHolding held: HashByteClass, count: Int, pads: Int) -> Bool {
        switch (guess, held) {
        case (.hex, .hex): return count > 0
        case (.standard, .standard), (.standard, .standardUnpadded), (.standard, .adapted), (.standard, .bcrypt):
            return pads > 0 || count % 2 == 1 || count == 0
        default: return false
        }
    }

    /// The class `SplitFieldBytes.decodeSalt` reads a split salt with, from what the salt and the hash look like.
    static func splitSalt(guess: HashByteClass, hash: HashByteClass, _ encoding: SaltEncoding) -> HashByteClass {
        switch encoding {
        case .auto: return hash == .hex ? .hex : guess == .urlSafe ? .urlSafe : .standard
        default: return overridden(encoding)
        }
    }

    /// The class `--salt-encoding` imposes on a salt (PBKDF2Hash.salt, SplitFieldBytes.decodeSalt).
    static func overridden(_ encoding: SaltEncoding) -> HashByteClass {
        switch encoding {
        case .auto, .base64: return .standard
        case .base64url: return .urlSafe
        case .hex: return .hex
        case .text: return .text
        }
    }

    /// The number of decoded bytes and of `=` characters, which a shape's key holds; nil when the part is not valid in
    /// this class (the detector would refuse it: the row takes the detector's way).
    func measure(_ b: UnsafeRawBufferPointer, tables: UnsafePointer<UInt8>) -> (bytes: Int, pads: Int)? {
        switch self {
        case .text:
            // The detector reads the field as a String: bytes that are not UTF-8 would reach it changed (found by fuzzing).
            guard b.allSatisfy({ $0 < 0x80 }) || String(validating: b, as: UTF8.self) != nil else { return nil }
            return (b.count, 0)
        case .printable:
            guard b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "$") }) else { return nil }
            return (b.count, 0)
        case .hex:
            guard b.count % 2 == 0, HashAlphabet.hex.contains(b, 0..<b.count, table: nil) else { return nil }
            return (b.count / 2, 0)
        case .standard, .standardUnpadded, .urlSafe, .adapted, .bcrypt:
            var end = b.count
            var pads = 0
            while end > 0, b[end - 1] == UInt8(ascii: "="), pads < 3 { end -= 1; pads += 1 }
            if pads > 0, self == .standardUnpadded || self == .adapted || self == .bcrypt { return nil }
            if pads > 2 || (pads > 0 && b.count % 4 != 0) || end % 4 == 1 || end == 0 { return nil }
            let table = tables + (self == .urlSafe ? 768 : self == .adapted ? 256 : self == .bcrypt ? 512 : 0)
            let alphabet: HashAlphabet = self == .urlSafe ? .urlSafe : self == .adapted || self == .bcrypt ? .radix64 : .base64
            guard alphabet.contains(b, 0..<end, table: table) else { return nil }
            let last = table[Int(b[end - 1])]
            switch end & 3 {
            case 2: if last & 0x0F != 0 { return nil }
            case 3: if last & 0x03 != 0 { return nil }
            default: break
            }
            return (end * 3 / 4, pads)
        }
    }

    /// Appends the part, decoded from this class, as standard base64 (`padded` or not). The part was `measure`d.
    func appendStandardBase64(_ b: UnsafeRawBufferPointer, padded: Bool, tables: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        var end = b.count
        while end > 0, b[end - 1] == UInt8(ascii: "=") { end -= 1 }
        switch self {
        case .standard, .standardUnpadded:
            // Already standard base64: the same characters, padding adjusted.
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[0..<end]))
            if padded { for _ in 0..<((4 - end % 4) % 4) { out.append(UInt8(ascii: "=")) } }
        case .urlSafe, .adapted, .bcrypt:
            for c in UnsafeRawBufferPointer(rebasing: b[0..<end]) {
                out.append(c == UInt8(ascii: "-") ? UInt8(ascii: "+") : c == UInt8(ascii: "_") ? UInt8(ascii: "/")
                           : self == .adapted && c == UInt8(ascii: ".") ? UInt8(ascii: "+") : c)
            }
            if padded { for _ in 0..<((4 - end % 4) % 4) { out.append(UInt8(ascii: "=")) } }
        case .hex, .text, .printable:
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(b.count, 1)) { raw in
                var n = 0
                if self != .hex {
                    for c in b { raw[n] = c; n += 1 }
                } else {
                    var i = 0
                    while i + 1 < b.count { raw[n] = HashEncoding.hexValue(b[i])! << 4 | HashEncoding.hexValue(b[i + 1])!; n += 1; i += 2 }
                }
                let start = out.count
                out.append(contentsOf: repeatElement(0, count: HashEncoding.base64Length(n, pad: padded)))
                out.withUnsafeMutableBufferPointer { o in
                    _ = HashEncoding.writeBase64(UnsafeBufferPointer(rebasing: raw[0..<n]), alphabet: .standard, pad: padded, to: o.baseAddress! + start)
                }
            }
        }
    }
}
