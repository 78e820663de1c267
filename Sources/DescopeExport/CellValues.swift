/// Readers for the typed cells of a support CSV: booleans, lists, times, tenants, custom attributes.
public enum CellValues {
    /// `true/false`, `yes/no`, `1/0`, `t/f`, `y/n` in any case, spaces around allowed; nil for anything else.
    public static func bool(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bool(TextSpan(UnsafeRawBufferPointer($0))) }
    }

    public static func bool(_ text: TextSpan) -> Bool? {
        let t = text.trimmingSpaces
        guard t.count <= 5, t.count > 0 else { return nil }
        var w: UInt64 = 0
        for i in 0..<t.count { w |= UInt64(TextSpan.lower(t.base![i])) << UInt64(8 * i) }
        switch w {
        case trueWords.0, trueWords.1, trueWords.2, trueWords.3, trueWords.4: return true
        case falseWords.0, falseWords.1, falseWords.2, falseWords.3, falseWords.4: return false
        default: return nil
        }
    }

    // Tuples, not arrays: a cell is read on every row, and an array's `contains` is a loop with bounds checks.
    private static let trueWords = (word("true"), word("yes"), word("1"), word("t"), word("y"))
    private static let falseWords = (word("false"), word("no"), word("0"), word("f"), word("n"))

    /// The bytes of a short lower-case word as one little-endian integer.
    static func word(_ s: String) -> UInt64 {
        var w: UInt64 = 0
        for (k, c) in s.utf8.enumerated() { w |= UInt64(c) << UInt64(8 * k) }
        return w
    }

    /// A JSON array of strings, or values separated by `;`, `|` or `,` (the first of them found), trimmed.
    public static func list(_ text: String) -> Result<[String], ExportValueError> {
        let arena = ViewArena(chunkSize: 1024)
        var text = text
        return text.withUTF8 { list(TextSpan(UnsafeRawBufferPointer($0)), arena: arena).map(\.strings) }
    }

    /// `list` on bytes: items are slices of the cell, or (a JSON array) copies in `arena`.
    public static func list(_ text: TextSpan, arena: ViewArena) -> Result<SpanList, ExportValueError> {
        let t = text.trimmingSpaces
        if t.isEmpty { return .success(.empty) }
        if t.base![0] == UInt8(ascii: "[") {
            switch JSONParser.parse(t.bytes) {
            case .success(.array(let items)):
                return .success(arena.list(items.compactMap { item in
                    switch item {
                    case .string(let s): return arena.copy(s)
                    case .null: return nil
                    default: return arena.copy(item.jsonText)
                    }
                }))
            case .success: return .failure(.init("is not a JSON array"))
            case .failure(let f): return .failure(.init("is not valid JSON: \(f.reason)"))
            }
        }
        let b = t.buffer
        let separator: UInt8 = b.contains(UInt8(ascii: ";")) ? UInt8(ascii: ";") : b.contains(UInt8(ascii: "|")) ? UInt8(ascii: "|") : UInt8(ascii: ",")
        var items: [TextSpan] = []
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == separator {
            let item = t.slice(start, i).trimmingSpaces
            if !item.isEmpty { items.append(item) }
            start = i + 1
        }
        return .success(arena.list(items))
    }

    /// Unix seconds from epoch seconds, epoch milliseconds (past 10^11) or ISO-8601.
    public static func epochSeconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { epochSeconds(TextSpan(UnsafeRawBufferPointer($0))) }
    }

    public static func epochSeconds(_ text: TextSpan) -> Int64? {
        switch integerPart(text.buffer) {
        case .some(let whole?):
            // Past 10^11 seconds is year 5138: such a value is milliseconds.
            return whole.magnitude >= 100_000_000_000 ? whole / 1000 : whole
        case .some(nil): return nil
        case nil: return iso8601(text.trimmingSpaces.buffer)
        }
    }

    /// `[-]digits[.digits]` (spaces around allowed): .some(value), .some(nil) when too long; nil when not a number.
    private static func integerPart(_ u: UnsafeBufferPointer<UInt8>) -> Int64?? {
        var i = 0, n = u.count
        while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 }
        while n > i, u[n - 1] == 0x20 || u[n - 1] == 0x09 { n -= 1 }
        var negative = false
        if i < n, u[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let digitsStart = i
        while i < n, u[i] == UInt8(ascii: "0") { i += 1 }
        // After leading zeros, 19 digits cannot wrap a UInt64: one test for Int64's range at the end.
        let significantStart = i
        var value: UInt64 = 0
        while i < n, u[i] &- 48 < 10 {
            value = value &* 10 &+ UInt64(u[i] &- 48)
            i += 1
        }
        let significant = i - significantStart
        guard i > digitsStart else { return nil }
        if i < n, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, u[i] &- 48 < 10 { i += 1 }
        }
        guard i == n else { return nil }
        if significant > 19 || value > UInt64(Int64.max) { return .some(nil) }
        return .some(negative ? -Int64(value) : Int64(value))
    }

    /// `YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z|±hh[:]mm]`, a space allowed instead of `T`.
    static func iso8601(_ t: String) -> Int64? {
        var t = t
        return t.withUTF8 { iso8601($0) }
    }

    static func iso8601(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<digits {
                let c = b[i + k]
                guard (48...57).contains(c) else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += digits
            return v
        }
        func take(_ c: UInt8) -> Bool { if i < b.count, b[i] == c { i += 1; return true } else { return false } }
        guard let year = number(4), take(UInt8(ascii: "-")), let month = number(2), take(UInt8(ascii: "-")),
              let day = number(2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") {
            i += 1
            guard let h = number(2), take(UInt8(ascii: ":")), let m = number(2), h < 24, m < 60 else { return nil }
            seconds = h * 3600 + m * 60
            if take(UInt8(ascii: ":")) {
                guard let s = number(2), s <= 60 else { return nil }
                seconds += s
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    while i < b.count, (48...57).contains(b[i]) { i += 1 }
                }
            }
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) {
            } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = take(UInt8(ascii: ":"))
                let om = number(2) ?? 0
                seconds -= sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `userTenants` JSON (`[{"tenantId":…,"roleNames":[…]}]`), a JSON array of ids, or an id list.
    public static func tenants(_ text: String) -> Result<[DescopeUserTenant], ExportValueError> {
        let t = text.trimmingSpaces
        if t.hasPrefix("["), case .success(.array(let items)) = JSONParser.parse(t) {
            var out: [DescopeUserTenant] = []
            for item in items {
                switch item {
                case .string(let id): out.append(DescopeUserTenant(tenantId: id))
                case .object:
                    guard let tenant = DescopeUserTenant(json: item) else {
                        return .failure(.init("has a tenant without a tenantId"))
                    }
                    out.append(tenant)
                default: return .failure(.init("has an entry that is neither a tenant id nor a tenant object"))
                }
            }
            return .success(out)
        }
        return list(t).map { $0.map { DescopeUserTenant(tenantId: $0) } }
    }

    /// `tenants` for a view: the tenants' texts copied into `arena` (tenant cells are rare; the rule is the String one).
    public static func tenants(_ text: TextSpan, arena: ViewArena) -> Result<TenantList, ExportValueError> {
        tenants(text.string).map { list in
            arena.tenants(list.map {
                TenantView(tenantId: arena.copy($0.tenantId), tenantName: $0.tenantName.map(arena.copy) ?? .empty,
                           roleNames: arena.list($0.roleNames.map(arena.copy)))
            })
        }
    }

    /// `customAttributes` for a view, each value as the text metadata keeps.
    public static func customAttributes(_ text: TextSpan, arena: ViewArena) -> Result<AttributeList, ExportValueError> {
        customAttributes(text.string).map { list in
            arena.attributes(list.map { AttributeView(key: arena.copy($0.key), kind: $0.value.attributeKind, value: arena.copy($0.value.metadataText)) })
        }
    }

    /// A JSON object of custom attributes.
    public static func customAttributes(_ text: String) -> Result<[CustomAttribute], ExportValueError> {
        let t = text.trimmingSpaces
        if t.isEmpty { return .success([]) }
        switch JSONParser.parse(t) {
        case .success(.object(let members)): return .success(members.map { CustomAttribute(key: $0.0, value: $0.1) })
        case .success(.null): return .success([])
        case .success: return .failure(.init("is not a JSON object"))
        case .failure(let f): return .failure(.init("is not valid JSON: \(f.reason)"))
        }
    }
}

/// Why a cell's text could not be read as its column's type (completes "column X …").
public struct ExportValueError: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension JSONParser.Failure {
    var reason: String {
        switch self {
        case .needMore: return "unexpected end of input"
        case .invalid(let why, let offset): return "\(why) at byte \(offset)"
        }
    }
}

extension DescopeUserTenant {
    /// From a `userTenants` element; nil without a string `tenantId`.
    init?(json: JSONValue) {
        guard let id = json[caseInsensitive: "tenantId"]?.stringValue, !id.isEmpty else { return nil }
        self.init(tenantId: id,
                  tenantName: json[caseInsensitive: "tenantName"]?.stringValue,
                  roleNames: json[caseInsensitive: "roleNames"]?.stringArray ?? [])
    }
}

extension JSONValue {
    /// The strings of an array (other elements skipped); nil when not an array.
    var stringArray: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap(\.stringValue)
    }
}

extension String {
    var trimmingSpaces: String {
        let u = utf8
        guard let s = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let e = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(self[s...e])
    }
}
