/// One Descope user as read from any input (support CSV, Search Users JSON, or both joined).
/// Fields are what the inputs said; nothing here knows about WorkOS.
public struct DescopeUser: Sendable, Hashable {
    /// Where the user came from: 1-based CSV line number of the record's first line, or JSON element number.
    public var source: SourceLocation
    public var userId: String?
    public var loginIds: [String] = []
    public var email: String?
    public var verifiedEmail: Bool?
    public var phone: String?
    public var verifiedPhone: Bool?
    public var name: String?
    public var givenName: String?
    public var middleName: String?
    public var familyName: String?
    /// `enabled` | `disabled` | `invited` | `expired` (lower-cased), nil when absent.
    public var status: String?
    public var roleNames: [String] = []
    public var tenants: [DescopeUserTenant] = []
    /// In source order; values as JSON.
    public var customAttributes: [CustomAttribute] = []
    /// Unix seconds.
    public var createdTime: Int64?
    public var picture: String?
    public var test: Bool = false
    public var totp: Bool = false
    public var saml: Bool = false
    public var scim: Bool = false
    public var oidc: Bool = false
    public var webauthn: Bool = false
    /// Providers whose flag was true in `OAuth`.
    public var oauthProviders: [String] = []
    public var ssoAppIds: [String] = []
    /// Search Users' `password` flag: the user has a password (never the hash itself).
    public var hasPassword: Bool?
    /// Hash fields from the support CSV (or a users file's `hashedPassword` object, as its JSON text in `hash`), raw text.
    public var hash: ExportHashFields = ExportHashFields()
    /// When joined: where the same user was found in the other input (the Search Users element, or the CSV line).
    public var joinedFrom: SourceLocation?
    /// Problems with single fields that did not stop the record from being read (a bad boolean, time or list);
    /// the field is left empty. Report them with the user.
    public var problems: [ExportProblem] = []

    public init(source: SourceLocation) { self.source = source }
}

public struct DescopeUserTenant: Sendable, Hashable {
    public var tenantId: String
    public var tenantName: String?
    public var roleNames: [String]
    public init(tenantId: String, tenantName: String? = nil, roleNames: [String] = []) {
        self.tenantId = tenantId; self.tenantName = tenantName; self.roleNames = roleNames
    }
}

public struct CustomAttribute: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(key: String, value: JSONValue) { self.key = key; self.value = value }
}

/// A JSON value kept as read (custom attributes, unknown fields).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)   // the literal text, so 1.0 and 1 are not confused
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let s), .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }
}

/// Password-hash fields of a support-CSV row, raw text (names as in descope-export.md's alias table).
public struct ExportHashFields: Sendable, Hashable {
    public var hash: String?
    public var type: String?
    public var salt: String?
    public var iterations: String?
    public var memory: String?
    public var threads: String?
    public var digest: String?
    public var signerKey: String?
    public var saltSeparator: String?
    /// The filled `hashedPassword.<kind>.<field>` cells of a flattened Descope hash object, in header order.
    public var objectFields: [HashObjectCell] = []
    public init() {}
    public var isEmpty: Bool {
        objectFields.isEmpty && [hash, type, salt, iterations, memory, threads, digest, signerKey, saltSeparator]
            .allSatisfy { ($0 ?? "").isEmpty }
    }
}

/// One cell of a flattened Descope hash object: kind and field as the header names them (normalised), raw text.
public struct HashObjectCell: Sendable, Hashable {
    public var kind: String
    public var field: String
    public var value: String
    public init(kind: String, field: String, value: String) { self.kind = kind; self.field = field; self.value = value }
}

public struct DescopeTenant: Sendable, Hashable {
    public var source: SourceLocation
    public var id: String
    public var name: String?
    public var selfProvisioningDomains: [String] = []
    public var domains: [String] = []
    public var customAttributes: [CustomAttribute] = []
    public var disabled: Bool = false
    public init(source: SourceLocation, id: String, name: String? = nil) {
        self.source = source; self.id = id; self.name = name
    }
}

/// A place in an input file: which file, which line (CSV) or element (JSON), 1-based.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
    public var description: String { "\(file):\(line)" }
}

/// A problem with one input record: the record is reported, never silently dropped.
public struct ExportProblem: Error, Sendable, Hashable {
    public var location: SourceLocation
    public var code: String
    public var message: String
    public init(location: SourceLocation, code: String, message: String) {
        self.location = location; self.code = code; self.message = message
    }
}
