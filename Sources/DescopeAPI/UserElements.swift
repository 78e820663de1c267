/// One user object of a Search Users answer: where its bytes are, and the few fields `pull` reads from it.
public struct UserElement: Sendable, Hashable {
    /// The object's bytes in the text it was found in, exactly as sent.
    public var range: Range<Int>
    public var userId: String?
    public var status: String?
    public var test: Bool
    /// `createdTime` as sent (Descope: Unix seconds).
    public var createdTime: Int64?
}

/// The user objects of a Search Users JSON text, found without decoding the rest (see `JSONScanner`).
public enum UserElements {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var offset: Int
        public var description: String { "\(reason) (byte \(offset))" }
    }

    /// A Search Users answer, `{"users":[…],"total":N}`: its users and `total` (nil when absent).
    public static func answer(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> (users: [UserElement], total: Int?) {
        var scanner = JSONScanner(bytes)
        do throws(JSONScanner.Failure) {
            guard try scanner.peek() == UInt8(ascii: "{") else { throw scanner.fail("expected a JSON object") }
            scanner.p += 1
            var users: [UserElement]?
            var total: Int?
            if try scanner.peek() != UInt8(ascii: "}") {
                repeat {
                    guard try scanner.peek() == UInt8(ascii: "\"") else { throw scanner.fail("expected a member name") }
                    let key = try scanner.string()
                    try scanner.expect(UInt8(ascii: ":"))
                    if key.lowercased() == "users", try scanner.peek() == UInt8(ascii: "[") {
                        users = try array(&scanner)
                    } else if key.lowercased() == "total", isNumberStart(try scanner.peek()) {
                        total = integer(text: try numberText(&scanner)).flatMap { Int(exactly: $0) }
                    } else {
                        try scanner.skipValue(depth: 1)
                    }
                } while try scanner.separator(closing: UInt8(ascii: "}"))
            } else {
                scanner.p += 1
            }
            try end(&scanner)
            guard let users else { throw scanner.fail("no \"users\" array in the answer") }
            return (users, total)
        } catch {
            throw Failure(reason: error.reason, offset: error.offset)
        }
    }

    /// Every user of a Search Users file in any envelope: `{"users":[…]}` (with any other members), a bare
    /// array, `{"user":{…}}`, one bare object, or NDJSON (one object a line).
    public static func anyEnvelope(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> [UserElement] {
        var scanner = JSONScanner(bytes)
        var found: [UserElement] = []
        do throws(JSONScanner.Failure) {
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }   // UTF-8 BOM
            scanner.p = start
            while true {
                scanner.skipWhitespace()
                if scanner.atEnd { break }
                switch scanner.byte(scanner.p) {
                case UInt8(ascii: "["): found += try array(&scanner)
                case UInt8(ascii: "{"): found += try envelopeOrUser(&scanner)
                default: throw scanner.fail("expected '{' or '['")
                }
            }
        } catch {
            throw Failure(reason: error.reason, offset: error.offset)
        }
        return found
    }

    /// One user object on its own (a line of `users.ndjson`).
    public static func object(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> UserElement {
        var scanner = JSONScanner(bytes)
        do throws(JSONScanner.Failure) {
            guard try scanner.peek() == UInt8(ascii: "{") else { throw scanner.fail("expected a JSON object") }
            let element = try user(&scanner)
            try end(&scanner)
            return element
        } catch {
            throw Failure(reason: error.reason, offset: error.offset)
        }
    }

    /// `answer` over an array's bytes.
    public static func answer(_ bytes: [UInt8]) throws(Failure) -> (users: [UserElement], total: Int?) {
        try bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try answer(raw) } }.get()
    }

    /// `anyEnvelope` over an array's bytes.
    public static func anyEnvelope(_ bytes: [UInt8]) throws(Failure) -> [UserElement] {
        try bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try anyEnvelope(raw) } }.get()
    }

    // MARK: - Pieces

    private static func end(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) {
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.fail("text after the JSON value") }
    }

    /// An array of user objects (the opening bracket at `p`).
    private static func array(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> [UserElement] {
        scanner.p += 1
        var users: [UserElement] = []
        if try scanner.peek() == UInt8(ascii: "]") { scanner.p += 1; return users }
        repeat {
            guard try scanner.peek() == UInt8(ascii: "{") else {
                throw scanner.fail("element \(users.count + 1) of the users array is not an object")
            }
            users.append(try user(&scanner))
        } while try scanner.separator(closing: UInt8(ascii: "]"))
        return users
    }

    /// `{"users":[…], …}`, `{"user":{…}}`, or a user object itself.
    private static func envelopeOrUser(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> [UserElement] {
        let start = scanner.p
        var probe = scanner
        probe.p += 1
        var users: [UserElement]?
        if try probe.peek() != UInt8(ascii: "}") {
            repeat {
                guard try probe.peek() == UInt8(ascii: "\"") else { throw probe.fail("expected a member name") }
                let key = try probe.string().lowercased()
                try probe.expect(UInt8(ascii: ":"))
                let next = try probe.peek()
                if key == "users", next == UInt8(ascii: "[") {
                    users = (users ?? []) + (try array(&probe))
                } else if key == "user", next == UInt8(ascii: "{") {
                    users = (users ?? []) + [try user(&probe)]
                } else {
                    try probe.skipValue(depth: 1)
                }
            } while try probe.separator(closing: UInt8(ascii: "}"))
        } else {
            probe.p += 1
        }
        if let users {
            scanner.p = probe.p
            return users
        }
        scanner.p = start
        return [try user(&scanner)]
    }

    /// A user object (the opening brace at `p`): its range and the top-level fields `pull` reads.
    /// Keys match ignoring ASCII case, as everywhere in hashport.
    private static func user(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> UserElement {
        let start = scanner.p
        scanner.p += 1
        var element = UserElement(range: start..<start, userId: nil, status: nil, test: false, createdTime: nil)
        if try scanner.peek() == UInt8(ascii: "}") {
            scanner.p += 1
            element.range = start..<scanner.p
            return element
        }
        repeat {
            guard try scanner.peek() == UInt8(ascii: "\"") else { throw scanner.fail("expected a member name") }
            let key = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"))
            let next = try scanner.peek()
            switch key.lowercased() {
            case "userid" where next == UInt8(ascii: "\""): element.userId = try scanner.string()
            case "status" where next == UInt8(ascii: "\""): element.status = try scanner.string()
            case "test" where next == UInt8(ascii: "t"): try scanner.literal("true"); element.test = true
            case "createdtime" where isNumberStart(next):
                element.createdTime = integer(text: try numberText(&scanner))
            default: try scanner.skipValue(depth: 1)
            }
        } while try scanner.separator(closing: UInt8(ascii: "}"))
        element.range = start..<scanner.p
        return element
    }

    private static func numberText(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> String {
        scanner.skipWhitespace()
        let range = try scanner.number()
        return String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[range]), as: UTF8.self)
    }

    private static func isNumberStart(_ b: UInt8) -> Bool { b == UInt8(ascii: "-") || (0x30...0x39).contains(b) }

    /// An integer from a JSON number's text (`1.7e9` and `1700000000.0` too); nil when out of range.
    static func integer(text: String) -> Int64? {
        if let exact = Int64(text) { return exact }
        guard let value = Double(text), value.isFinite, abs(value) < 9.0e18 else { return nil }
        return Int64(value.rounded(.down))
    }
}
