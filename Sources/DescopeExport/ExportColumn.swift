/// A column of a support CSV, by meaning (names as in descope-export.md's alias table).
public enum ExportColumn: String, Sendable, CaseIterable, Hashable {
    case userId = "user_id"
    case loginIds = "login_ids"
    case email
    case emailVerified = "email_verified"
    case phone
    case phoneVerified = "phone_verified"
    case name
    case givenName = "given_name"
    case middleName = "middle_name"
    case familyName = "family_name"
    case status
    case createdAt = "created_at"
    case projectRoles = "project_roles"
    case tenants
    case customAttributes = "custom_attributes"
    case picture
    case test
    case passwordHash = "password_hash"
    /// A `password` column: a hash, unless its values are true/false (Search Users' has-a-password flag).
    case password
    case passwordHashType = "password_hash_type"
    case passwordSalt = "password_salt"
    case passwordIterations = "password_iterations"
    case passwordMemory = "password_memory"
    case passwordThreads = "password_threads"
    case passwordDigest = "password_digest"
    case passwordSignerKey = "password_signer_key"
    case passwordSaltSeparator = "password_salt_separator"

    /// Normalised header spellings that mean this column (the canonical name is always one of them).
    public var aliases: [String] {
        let extra: [String]
        switch self {
        case .userId: extra = ["userid", "id", "descopeuserid"]
        case .loginIds: extra = ["loginids", "loginid", "loginid(s)", "identifier", "identifiers", "username"]
        case .email: extra = ["email", "emailaddress"]
        case .emailVerified: extra = ["verifiedemail", "emailverified"]
        case .phone: extra = ["phone", "phonenumber"]
        case .phoneVerified: extra = ["verifiedphone", "phoneverified"]
        case .name: extra = ["name", "displayname", "fullname"]
        case .givenName: extra = ["givenname", "firstname"]
        case .middleName: extra = ["middlename"]
        case .familyName: extra = ["familyname", "lastname"]
        case .status: extra = ["status"]
        case .createdAt: extra = ["createdtime", "createdat"]
        case .projectRoles: extra = ["rolenames", "roles"]
        case .tenants: extra = ["usertenants", "tenants", "tenantids"]
        case .customAttributes: extra = ["customattributes"]
        case .picture: extra = ["picture"]
        case .test: extra = ["test"]
        case .passwordHash: extra = ["passwordhash", "hashedpassword", "hash"]
        case .password: extra = ["password"]
        case .passwordHashType: extra = ["passwordhashtype", "hashtype", "hashalgorithm", "algorithm"]
        case .passwordSalt: extra = ["salt", "passwordsalt"]
        case .passwordIterations: extra = ["iterations", "rounds", "timecost"]
        case .passwordMemory: extra = ["memory", "memcost"]
        case .passwordThreads: extra = ["threads", "parallelism"]
        case .passwordDigest: extra = ["type", "digest", "variant"]
        case .passwordSignerKey: extra = ["signerkey"]
        case .passwordSaltSeparator: extra = ["saltseparator"]
        }
        return [ExportColumn.normalise(rawValue)] + extra
    }

    private static let byAlias: [String: ExportColumn] = {
        var table: [String: ExportColumn] = [:]
        for column in allCases { for alias in column.aliases where table[alias] == nil { table[alias] = column } }
        return table
    }()

    /// The column a header names, after normalisation; nil for an unknown header.
    public static func matching(header: String) -> ExportColumn? { byAlias[normalise(header)] }

    /// The column a `--map` key names: a canonical name (`password_hash`) or any of its aliases.
    public static func named(_ key: String) -> ExportColumn? { byAlias[normalise(key)] }

    /// Lower-case ASCII, without spaces, `_`, `-`, a BOM or a leading spreadsheet guard `'`.
    public static func normalise(_ header: String) -> String {
        var s = Substring(header)
        if s.hasPrefix("\u{FEFF}") { s = s.dropFirst() }
        s = s.drop(while: { $0 == " " || $0 == "\t" })
        if s.hasPrefix("'") { s = s.dropFirst() }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars where ch != " " && ch != "_" && ch != "-" && ch != "\t" && ch != "\u{FEFF}" {
            out.unicodeScalars.append((65...90).contains(ch.value) ? Unicode.Scalar(UInt8(ch.value + 32)) : ch)
        }
        return out
    }
}
