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

    /// `keepUserId`: also store the Descope user id (when it cannot be the `external_id`).
    public func metadata(for user: DescopeUser, keepUserId: Bool)
        -> (metadata: [(key: String, value: String)], problems: [MigrationProblem])
    {
        var entries: [(key: String, value: String)] = []
        var problems: [MigrationProblem] = []
        if keepUserId, let id = user.userId, !id.isEmpty { entries.append((Key.userId, id)) }
        if !user.loginIds.isEmpty { entries.append((Key.loginIds, JSONText.array(of: user.loginIds))) }
        if let phone = user.phone, !phone.isEmpty {
            entries.append((Key.phone, phone))
            if let verified = user.verifiedPhone { entries.append((Key.phoneVerified, verified ? "true" : "false")) }
        }
        if let status = user.status, !status.isEmpty { entries.append((Key.status, status)) }
        if let created = user.createdTime { entries.append((Key.createdAt, ISO8601.utcString(unixSeconds: created))) }
        if let middle = user.middleName, !middle.isEmpty { entries.append((Key.middleName, middle)) }
        if !user.roleNames.isEmpty { entries.append((Key.projectRoles, JSONText.array(of: user.roleNames))) }

        let ownKeys = entries.count
        for attribute in user.customAttributes {
            let value: String
            switch attribute.value {
            case .null: continue   // an unset attribute: nothing to keep
            case .string(let s): value = s
            case .bool(let b): value = b ? "true" : "false"
            case .number(let n): value = n
            case .array, .object: value = JSONText.text(of: attribute.value)
            }
            if entries[..<ownKeys].contains(where: { $0.key == attribute.key }) {
                problems.append(MigrationProblem(
                    "metadata_key_conflict",
                    "custom attribute \"\(attribute.key)\" has the name hashport uses for a Descope fact; rename it",
                    severity: .error))
                continue
            }
            entries.append((attribute.key, value))
        }

        if entries.count > Self.maxKeys {
            problems.append(MigrationProblem(
                "metadata_too_many_keys",
                "metadata would have \(entries.count) keys; WorkOS takes at most \(Self.maxKeys)",
                severity: .error))
        }
        for (key, value) in entries {
            if key.isEmpty || key.unicodeScalars.count > Self.maxKeyLength {
                problems.append(MigrationProblem(
                    "metadata_key_too_long",
                    "metadata key \"\(key.prefix(60))\" has \(key.unicodeScalars.count) characters; WorkOS takes 1 to \(Self.maxKeyLength)",
                    severity: .error))
            }
            if value.unicodeScalars.count > Self.maxValueLength {
                problems.append(MigrationProblem(
                    "metadata_value_too_long",
                    "metadata \"\(key.prefix(60))\" has \(value.unicodeScalars.count) characters; WorkOS takes at most \(Self.maxValueLength)",
                    severity: .error))
            }
        }
        return (entries, problems)
    }
}

/// `2024-05-01T12:00:00Z` from Unix seconds, without Foundation's formatters (they cost microseconds a call).
enum ISO8601 {
    static func utcString(unixSeconds: Int64) -> String {
        // Outside years 0–9999 the arithmetic below could overflow; keep the number as it was.
        guard unixSeconds > -62_167_219_200, unixSeconds < 253_402_300_800 else { return String(unixSeconds) }
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
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = year >= 0 && year < 10_000 ? String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year) : String(year)
        return "\(y)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }
}
