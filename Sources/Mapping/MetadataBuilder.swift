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

    /// Every metadata entry of a user, in order: the Descope facts worth keeping, then the custom attributes (an
    /// attribute named like a fact is left out, and `conflict` says so). The bytes are valid for the call only.
    /// `check` and the writers both go through here, so what is checked is what is written.
    public func forEachEntry(_ user: UserView, keepUserId: Bool,
                             conflict: (UnsafeRawBufferPointer) -> Void = { _ in },
                             _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) {
        var own: [StaticString] = []
        func fact(_ key: StaticString, _ value: UnsafeRawBufferPointer) {
            own.append(key)
            body(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), value)
        }
        func fact(_ key: StaticString, rendered: [UInt8]) { rendered.withUnsafeBytes { fact(key, $0) } }
        if keepUserId, !user.userId.isEmpty { fact(Key.userIdStatic, user.userId.bytes) }
        if !user.loginIds.isEmpty { fact(Key.loginIdsStatic, rendered: JSONText.array(of: user.loginIds)) }
        if !user.phone.isEmpty {
            fact(Key.phoneStatic, user.phone.bytes)
            if let verified = user.verifiedPhone { fact(Key.phoneVerifiedStatic, rendered: Array((verified ? "true" : "false").utf8)) }
        }
        if !user.status.isEmpty { fact(Key.statusStatic, user.status.bytes) }
        if let created = user.createdTime {
            var iso: [UInt8] = []
            ISO8601.append(unixSeconds: created, to: &iso)
            fact(Key.createdAtStatic, rendered: iso)
        }
        if !user.middleName.isEmpty { fact(Key.middleNameStatic, user.middleName.bytes) }
        if !user.roleNames.isEmpty { fact(Key.projectRolesStatic, rendered: JSONText.array(of: user.roleNames)) }
        for attribute in user.customAttributes where attribute.kind != .null {
            // An unset attribute (null) has nothing to keep.
            let key = attribute.key.bytes
            if own.contains(where: { $0.utf8CodeUnitCount == key.count && key.elementsEqual(UnsafeRawBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) }) {
                conflict(key)
                continue
            }
            body(key, attribute.value.bytes)
        }
    }

    /// WorkOS's limits on a user's metadata, as row problems (anything over a limit is never cut silently).
    public func check(_ user: UserView, keepUserId: Bool,
                      problem: (String, MigrationProblem.Severity, () -> String) -> Void) {
        var count = 0
        forEachEntry(user, keepUserId: keepUserId, conflict: { key in
            problem("metadata_key_conflict", .error) {
                "custom attribute \"\(String(decoding: key, as: UTF8.self))\" has the name hashport uses for a Descope fact; rename it"
            }
        }) { key, value in
            count += 1
            let keyLength = Self.scalars(key), valueLength = Self.scalars(value)
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
        forEachEntry(user, keepUserId: keepUserId) { out.append((String(decoding: $0, as: UTF8.self), String(decoding: $1, as: UTF8.self))) }
        return out
    }

    /// Unicode scalars in UTF-8 bytes (WorkOS counts characters, not bytes).
    static func scalars(_ b: UnsafeRawBufferPointer) -> Int { b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
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
        // Outside years 0–9999 the arithmetic below could overflow; keep the number as it was.
        guard unixSeconds > -62_167_219_200, unixSeconds < 253_402_300_800 else { out.append(contentsOf: String(unixSeconds).utf8); return }
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
        func digits(_ n: Int64, _ width: Int) {
            var d = [UInt8](repeating: 0x30, count: width)
            var v = n
            for k in stride(from: width - 1, through: 0, by: -1) { d[k] = UInt8(0x30 + v % 10); v /= 10 }
            out.append(contentsOf: d)
        }
        digits(year, 4); out.append(0x2D); digits(month, 2); out.append(0x2D); digits(day, 2); out.append(0x54)
        digits(secondOfDay / 3600, 2); out.append(0x3A); digits(secondOfDay / 60 % 60, 2); out.append(0x3A)
        digits(secondOfDay % 60, 2); out.append(0x5A)
    }
}
