#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Descope user as a reader sees it, without copying: every text field is a span of bytes in the reader's
/// window or in its `ViewArena`, valid until the reader moves to the next record. The one reading path of
/// `inspect`, `convert` and `import` maps these views; `DescopeUser` is the owning copy (`DescopeUser(view)`).
///
/// A span's bytes are valid UTF-8 (the readers check), without quotes, escapes or a spreadsheet guard; an empty
/// span is an absent field (an empty CSV cell, a JSON `""` or `null`).
public struct UserView {
    public var source: SourceLocation
    public var userId = TextSpan.empty
    public var loginIds = SpanList.empty
    public var email = TextSpan.empty
    public var verifiedEmail: Bool?
    public var phone = TextSpan.empty
    public var verifiedPhone: Bool?
    public var name = TextSpan.empty
    public var givenName = TextSpan.empty
    public var middleName = TextSpan.empty
    public var familyName = TextSpan.empty
    /// Lower-case (`enabled` | `disabled` | `invited` | `expired`), empty when absent.
    public var status = TextSpan.empty
    public var roleNames = SpanList.empty
    public var tenants = TenantList.empty
    /// In source order.
    public var customAttributes = AttributeList.empty
    /// Unix seconds.
    public var createdTime: Int64?
    public var picture = TextSpan.empty
    public var test = false
    public var totp = false
    public var saml = false
    public var scim = false
    public var oidc = false
    public var webauthn = false
    /// Providers whose flag was true in `OAuth`.
    public var oauthProviders = SpanList.empty
    public var ssoAppIds = SpanList.empty
    /// Search Users' `password` flag (never the hash itself).
    public var hasPassword: Bool?
    public var hash = HashFieldSpans()
    /// When joined: where the same user was found in the other input.
    public var joinedFrom: SourceLocation?
    /// Fields that could not be read (a bad boolean, time or list): the field is left empty.
    public var problems: [ExportProblem] = []

    public init(source: SourceLocation) { self.source = source }

    /// Empties the view for the record at `line` of `file`, field by field: the references it holds (the file
    /// name, `joinedFrom`, `problems`) are kept or cleared in place, so a reader's next record costs no reference
    /// counting (assigning a blank view released all three every row). `UserViewTests` holds this list complete.
    public mutating func reset(file: String, line: Int) {
        if source.file != file { source.file = file }
        source.line = line
        if joinedFrom != nil { joinedFrom = nil }
        if !problems.isEmpty { problems.removeAll() }
        userId = .empty; loginIds = .empty; email = .empty; verifiedEmail = nil
        phone = .empty; verifiedPhone = nil
        name = .empty; givenName = .empty; middleName = .empty; familyName = .empty
        status = .empty; roleNames = .empty; tenants = .empty; customAttributes = .empty
        createdTime = nil; picture = .empty
        test = false; totp = false; saml = false; scim = false; oidc = false; webauthn = false
        oauthProviders = .empty; ssoAppIds = .empty; hasPassword = nil
        hash = HashFieldSpans()
    }
}

/// The bytes of one field (see `UserView` for their lifetime).
public struct TextSpan {
    public var base: UnsafePointer<UInt8>?
    public var count: Int

    public init(base: UnsafePointer<UInt8>?, count: Int) { self.base = base; self.count = count }
    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        count = bytes.count
    }

    public static var empty: TextSpan { TextSpan(base: nil, count: 0) }
    public var isEmpty: Bool { count == 0 }
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    public var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    /// The field as a String (a copy).
    public var string: String { String(decoding: buffer, as: UTF8.self) }
    /// nil when absent.
    public var nonEmptyString: String? { count == 0 ? nil : string }

    public func equals(_ other: TextSpan) -> Bool {
        count == other.count && (count == 0 || memcmp(base!, other.base!, count) == 0)
    }

    /// Equal ignoring ASCII case.
    public func equalsIgnoringCase(_ other: TextSpan) -> Bool {
        guard count == other.count else { return false }
        for i in 0..<count where Self.lower(base![i]) != Self.lower(other.base![i]) { return false }
        return true
    }

    public func equals(_ s: StaticString) -> Bool {
        count == s.utf8CodeUnitCount && (count == 0 || memcmp(base!, s.utf8Start, count) == 0)
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c &- 65 < 26 ? c | 0x20 : c }

    /// Without leading and trailing spaces, tabs, CR and LF.
    public var trimmed: TextSpan {
        guard var p = base, count > 0 else { return self }
        var n = count
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while n > 0, ws(p[0]) { p += 1; n -= 1 }
        while n > 0, ws(p[n - 1]) { n -= 1 }
        return TextSpan(base: n == 0 ? nil : p, count: n)
    }

    /// Without leading and trailing spaces and tabs (what `String.trimmingSpaces` removes).
    public var trimmingSpaces: TextSpan {
        guard var p = base, count > 0 else { return self }
        var n = count
        while n > 0, p[0] == 0x20 || p[0] == 0x09 { p += 1; n -= 1 }
        while n > 0, p[n - 1] == 0x20 || p[n - 1] == 0x09 { n -= 1 }
        return TextSpan(base: n == 0 ? nil : p, count: n)
    }

    /// Bytes `from..<to` of the span.
    public func slice(_ from: Int, _ to: Int) -> TextSpan {
        TextSpan(base: to > from ? base! + from : nil, count: max(0, to - from))
    }
}

/// A list of spans (login ids, role names, …) in a reader's arena.
public struct SpanList: RandomAccessCollection {
    public var base: UnsafePointer<TextSpan>?
    public var count: Int
    public init(base: UnsafePointer<TextSpan>?, count: Int) { self.base = base; self.count = count }
    public static var empty: SpanList { SpanList(base: nil, count: 0) }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> TextSpan { base![i] }
    public var strings: [String] { map(\.string) }
}

/// One of the user's tenants: `tenantId`, `tenantName` (empty when absent), the tenant's role names.
public struct TenantView {
    public var tenantId: TextSpan
    public var tenantName: TextSpan
    public var roleNames: SpanList
    public init(tenantId: TextSpan, tenantName: TextSpan = .empty, roleNames: SpanList = .empty) {
        self.tenantId = tenantId; self.tenantName = tenantName; self.roleNames = roleNames
    }
}

public struct TenantList: RandomAccessCollection {
    public var base: UnsafePointer<TenantView>?
    public var count: Int
    public init(base: UnsafePointer<TenantView>?, count: Int) { self.base = base; self.count = count }
    public static var empty: TenantList { TenantList(base: nil, count: 0) }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> TenantView { base![i] }
}

/// A custom attribute: its key, its JSON type, and its value as the text WorkOS metadata keeps (strings as they
/// are, `true`/`false`, a number's literal, arrays and objects as compact JSON; empty for null).
public struct AttributeView {
    public enum Kind: UInt8 { case string, number, bool, null, json }
    public var key: TextSpan
    public var kind: Kind
    public var value: TextSpan
    public init(key: TextSpan, kind: Kind, value: TextSpan) { self.key = key; self.kind = kind; self.value = value }
}

public struct AttributeList: RandomAccessCollection {
    public var base: UnsafePointer<AttributeView>?
    public var count: Int
    public init(base: UnsafePointer<AttributeView>?, count: Int) { self.base = base; self.count = count }
    public static var empty: AttributeList { AttributeList(base: nil, count: 0) }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> AttributeView { base![i] }
}

/// The password-hash fields of a record (names as in descope-export.md); `hash` may hold a whole spelling or
/// Descope's `hashedPassword` object as JSON text.
public struct HashFieldSpans {
    public var hash = TextSpan.empty
    public var type = TextSpan.empty
    public var salt = TextSpan.empty
    public var iterations = TextSpan.empty
    public var memory = TextSpan.empty
    public var threads = TextSpan.empty
    public var digest = TextSpan.empty
    public var signerKey = TextSpan.empty
    public var saltSeparator = TextSpan.empty
    /// Filled `hashedPassword.<kind>.<field>` cells.
    public var objectCells = ObjectCellList.empty
    public init() {}

    public var isEmpty: Bool {
        objectCells.count == 0 && hash.isEmpty && type.isEmpty && salt.isEmpty && iterations.isEmpty && memory.isEmpty
            && threads.isEmpty && digest.isEmpty && signerKey.isEmpty && saltSeparator.isEmpty
    }
}

public struct ObjectCellView {
    /// Kind and field as the header names them, lower-case without separators (`argon2`, `saltseparator`).
    public var kind: TextSpan
    public var field: TextSpan
    public var value: TextSpan
    public init(kind: TextSpan, field: TextSpan, value: TextSpan) { self.kind = kind; self.field = field; self.value = value }
}

public struct ObjectCellList: RandomAccessCollection {
    public var base: UnsafePointer<ObjectCellView>?
    public var count: Int
    public init(base: UnsafePointer<ObjectCellView>?, count: Int) { self.base = base; self.count = count }
    public static var empty: ObjectCellList { ObjectCellList(base: nil, count: 0) }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> ObjectCellView { base![i] }
}
