import DescopeExport

/// Builds WorkOS `metadata` from a Descope user: the Descope facts worth keeping plus the custom attributes,
/// as strings, within WorkOS's limits. Anything over a limit is a row problem, never a silent cut.
public struct MetadataBuilder: Sendable {
    /// WorkOS's limits (workos-api.md, create user).
    public static let maxKeys = 50
    public static let maxKeyLength = 40
    public static let maxValueLength = 600

    /// The keys hashport writes for Descope facts; custom attributes keep their own names.
    public enum Key {
        public static let loginIds = "descope_login_ids"
        public static let phone = "descope_phone"
        public static let phoneVerified = "descope_phone_verified"
        public static let status = "descope_status"
        public static let createdAt = "descope_created_at"
        public static let middleName = "descope_middle_name"
        public static let projectRoles = "descope_roles"
        public static let userId = "descope_user_id"
    }

    public init() {}

    /// A metadata value as the enumeration hands it over: written out only by those who write it (`check` needs
    /// only its length, and most rows have a created time and login ids).
    public enum Value {
        case bytes(UnsafeRawBufferPointer)
        /// ISO 8601 of Unix seconds.
        case time(Int64)
        /// A JSON array of the strings.
        case list(SpanList)

        /// The value's text, valid for the call.
        public func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            switch self {
            case .bytes(let b): return body(b)
            case .time(let t): return ISO8601.withText(unixSeconds: t, body)
            case .list(let l): return JSONText.withArray(of: l, body)
            }
        }

        /// Its length in Unicode scalars (what WorkOS's limit counts), without writing it.
        var scalars: Int {
            switch self {
            case .bytes(let b): return MetadataBuilder.scalars(b)
            case .time(let t): return ISO8601.length(unixSeconds: t)
            case .list(let l):
                // Brackets, commas, quotes; escapes are 2 characters (`\"`) or 6 (`\u001f`).
                var n = 2 + max(l.count - 1, 0) + 2 * l.count
                for item in l {
                    for c in item.buffer {
                        if c & 0xC0 == 0x80 { continue }
                        n += c == 0x22 || c == 0x5C || c == 0x0A || c == 0x0D || c == 0x09 ? 2 : c < 0x20 ? 6 : 1
                    }
                }
                return n
            }
        }
    }

    /// Every metadata entry of a user, in order: the Descope facts worth keeping, then the custom attributes (an
    /// attribute named like a fact is left out, and `conflict` says so). `check` and the writers both go through
    /// here, so what is checked is what is written.
    public func forEachEntry(_ user: UserView, keepUserId: Bool,
                             conflict: (UnsafeRawBufferPointer) -> Void = { _ in },
                             _ body: (_ key: UnsafeRawBufferPointer, _ value: Value, _ isFact: Bool) -> Void) {
        // Which facts were written, so a custom attribute of the same name is told apart.
        var written: UInt16 = 0
        func fact(_ k: Int, _ value: Value) {
            written |= 1 << UInt16(k)
            let key = Self.factKeys[k]
            body(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), value, true)
        }
        if keepUserId, !user.userId.isEmpty { fact(0, .bytes(user.userId.bytes)) }
        if !user.loginIds.isEmpty { fact(1, .list(user.loginIds)) }
        if !user.phone.isEmpty {
            fact(2, .bytes(user.phone.bytes))
            if let verified = user.verifiedPhone {
                let text: StaticString = verified ? "true" : "false"
                fact(3, .bytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)))
            }
        }
        if !user.status.isEmpty { fact(4, .bytes(user.status.bytes)) }
        if let created = user.createdTime { fact(5, .time(created)) }
        if !user.middleName.isEmpty { fact(6, .bytes(user.middleName.bytes)) }
        if !user.roleNames.isEmpty { fact(7, .list(user.roleNames)) }
        for attribute in user.customAttributes where attribute.kind != .null {
            // An unset attribute (null) has nothing to keep.
            let key = attribute.key.bytes
            if written != 0, Self.factKeys.indices.contains(where: { k in
                written & 1 << UInt16(k) != 0 && key.elementsEqual(UnsafeRawBufferPointer(start: Self.factKeys[k].utf8Start,
                                                                                            count: Self.factKeys[k].utf8CodeUnitCount))
            }) {
                conflict(key)
                continue
            }
            body(key, .bytes(attribute.value.bytes), false)
        }
    }

    /// The keys of the Descope facts, in the order they are written.
    static let factKeys: [StaticString] = [Key.userIdStatic, Key.loginIdsStatic, Key.phoneStatic, Key.phoneVerifiedStatic,
                                           Key.statusStatic, Key.createdAtStatic, Key.middleNameStatic, Key.projectRolesStatic]

    /// WorkOS's limits on a user's metadata, as row problems (anything over a limit is never cut silently).
    public func check<Sink: MappingSink>(_ user: UserView, keepUserId: Bool, _ problem: inout ProblemTracker<Sink>) {
        var count = 0
        forEachEntry(user, keepUserId: keepUserId, conflict: { key in
            problem("metadata_key_conflict", .error) {
                "custom attribute \"\(String(decoding: key, as: UTF8.self))\" has the name hashport uses for a Descope fact; rename it"
            }
        }) { key, value, isFact in
            count += 1
            // The facts' own keys are within the limits.
            let keyLength = isFact ? 1 : Self.scalars(key), valueLength = value.scalars
            if keyLength == 0 || keyLength > Self.maxKeyLength {
                problem("metadata_key_too_long", .error) {
                    "metadata key \"\(String(decoding: key, as: UTF8.self).prefix(60))\" has \(keyLength) characters; WorkOS takes 1 to \(Self.maxKeyLength)"
                }
            }
            if valueLength > Self.maxValueLength {
                problem("metadata_value_too_long", .error) {
                    "metadata \"\(String(decoding: key, as: UTF8.self).prefix(60))\" has \(valueLength) characters; WorkOS takes at most \(Self.maxValueLength)"
                }
            }
        }
        if count > Self.maxKeys {
            problem("metadata_too_many_keys", .error) { "metadata would have \(count) keys; WorkOS takes at most \(Self.maxKeys)" }
        }
    }

    /// The user's metadata as strings (the importer's create-user body).
    public func entries(_ user: UserView, keepUserId: Bool) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        forEachEntry(user, keepUserId: keepUserId) { key, value, _ in
            out.append((String(decoding: key, as: UTF8.self), value.withText { String(decoding: $0, as: UTF8.self) }))
        }
        return out
    }

    /// Unicode scalars in UTF-8 bytes (WorkOS counts characters, not bytes): the bytes that do not continue one.
    static func scalars(_ b: UnsafeRawBufferPointer) -> Int {
        var continuations = 0
        var i = 0
        while i + 8 <= b.count {
            let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte continues a scalar when its top two bits are 10: high bit set, next bit clear.
            continuations &+= ((w & ~(w << 1)) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < b.count { if b[i] & 0xC0 == 0x80 { continuations += 1 }; i += 1 }
        return b.count - continuations
    }
}

extension MetadataBuilder.Key {
    static let userIdStatic: StaticString = "descope_user_id"
    static let loginIdsStatic: StaticString = "descope_login_ids"
    static let phoneStatic: StaticString = "descope_phone"
    static let phoneVerifiedStatic: StaticString = "descope_phone_verified"
    static let statusStatic: StaticString = "descope_status"
    static let createdAtStatic: StaticString = "descope_created_at"
    static let middleNameStatic: StaticString = "descope_middle_name"
    static let projectRolesStatic: StaticString = "descope_roles"
}

/// `2024-05-01T12:00:00Z` from Unix seconds, without Foundation's formatters (they cost microseconds a call).
enum ISO8601 {
    static func utcString(unixSeconds: Int64) -> String {
        var out: [UInt8] = []
        append(unixSeconds: unixSeconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(unixSeconds: Int64, to out: inout [UInt8]) {
        withText(unixSeconds: unixSeconds) { out.append(contentsOf: $0) }
    }

    /// The length of the text `withText` gives (it is ASCII).
    static func length(unixSeconds: Int64) -> Int {
        inRange(unixSeconds) ? 20 : String(unixSeconds).utf8.count
    }

    /// Years 0–9999, where the arithmetic below cannot overflow; other times are kept as the number they are.
    static func inRange(_ t: Int64) -> Bool { t > -62_167_219_200 && t < 253_402_300_800 }

    /// The text, in a buffer valid for the call (on the stack: this runs for every row that has a created time).
    static func withText<R>(unixSeconds: Int64, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        // Outside years 0–9999 the arithmetic below could overflow; keep the number as it was.
        guard inRange(unixSeconds) else {
            var text = String(unixSeconds)
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = unixSeconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                   UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0x2D, 0, 0, 0x2D, 0, 0, 0x54, 0, 0, 0x3A, 0, 0, 0x3A, 0, 0, 0x5A)
        return withUnsafeMutableBytes(of: &text) { b in
            func digits(_ n: Int64, at offset: Int, _ width: Int) {
                var v = n
                for k in stride(from: offset + width - 1, through: offset, by: -1) { b[k] = UInt8(0x30 + v % 10); v /= 10 }
            }
            digits(year, at: 0, 4); digits(month, at: 5, 2); digits(day, at: 8, 2)
            digits(secondOfDay / 3600, at: 11, 2); digits(secondOfDay / 60 % 60, at: 14, 2); digits(secondOfDay % 60, at: 17, 2)
            return body(UnsafeRawBufferPointer(b))
        }
    }
}
