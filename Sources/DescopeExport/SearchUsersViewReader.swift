internal import CSimdJSON

/// Users of a Search Users JSON export (any envelope, or NDJSON) as `UserView`s, element by element, at memory speed:
/// each array element or NDJSON line is found in the read window by a structural scan and read by simdjson
/// (CSimdJSON), spans pointing into the window or the parser. An element simdjson refuses, or one whose fields need
/// a word (a wrong type, a key twice, a boolean in a string), is read again by JSONParser and
/// `DescopeUser(searchUsersJSON:)`, so numbers, problems, messages and recovery are exactly JSONRecordStream's.
///
/// Memory: the window (1 MiB, growing only for a larger element, up to `maxRecordBytes`), simdjson's parser (sized
/// for the largest element) and one record's arena.
public final class SearchUsersViewReader {
    private let stream: JSONRecordStream
    private let arena = ViewArena()
    private let parser: OpaquePointer
    /// The fields simdjson read of the element the stream is about to yield, and its Unix time.
    private var taken = hp_json_user()
    private var takenCreatedTime: Int64?

    public let path: String
    public private(set) var recordsRead = 0
    public private(set) var problemsFound = 0
    /// Elements read by simdjson (the rest went through JSONParser).
    public private(set) var fastElements = 0
    /// The exact JSON bytes of the last user's element (for the join), valid until the next `next()`.
    public private(set) var element = UnsafeRawBufferPointer(start: nil, count: 0)

    /// Deeper elements go to JSONParser, whose limit (64 levels) words the problem.
    static let maxFastDepth: UInt32 = 60

    /// `simdjson: false` reads every element with JSONParser, as before simdjson (the benchmark's comparison).
    public init(path: String, options: ExportOptions = ExportOptions(), simdjson: Bool = true) throws(ExportError) {
        let blocks = try ByteBlocks(path: path, blockSize: options.readBlockSize, maxRecordBytes: options.maxRecordBytes)
        guard let parser = hp_json_user_parser_create() else { throw .unreadable(path: path, reason: "out of memory") }
        self.parser = parser
        self.path = path
        stream = JSONRecordStream(blocks: blocks, arrayKey: "users", singleKey: "user")
        if simdjson { stream.takeElement = { [unowned self] in self.take(number: $0, start: $1, limit: $2, wholeLine: $3) } }
    }

    /// Reads from memory (tests).
    public init(bytes: [UInt8], name: String = "<memory>") {
        parser = hp_json_user_parser_create()!
        path = name
        stream = JSONRecordStream(blocks: ByteBlocks(bytes: bytes, name: name), arrayKey: "users", singleKey: "user")
        stream.takeElement = { [unowned self] in self.take(number: $0, start: $1, limit: $2, wholeLine: $3) }
    }

    deinit { hp_json_user_parser_destroy(parser) }

    /// The next user or problem; nil at the end of the input. The previous view's spans are invalid from here on.
    public func next() -> ViewItem? {
        var view = UserView(source: SourceLocation(file: path, line: 0))
        switch next(into: &view) {
        case .user: return .user(view)
        case .problem(let p): return .problem(p)
        case .end: return nil
        }
    }

    /// The next user into `view` (valid until the next step), or a problem, or the end.
    public func next(into view: inout UserView) -> ReadStep {
        guard let item = stream.next() else { element = UnsafeRawBufferPointer(start: nil, count: 0); return .end }
        if case .taken(let number, let start, let end) = item {
            view = self.view(number: number, start: start, end: end)
            return .user
        }
        switch record(item) {
        case .user(let user): view = UserView(user, arena: arena); return .user
        case .problem(let problem): return .problem(problem)
        case .view(let v): view = v; return .user
        }
    }

    enum Record {
        /// Read by simdjson.
        case view(UserView)
        /// Read by JSONParser and DescopeUser(searchUsersJSON:) (its element's bytes are in the arena).
        case user(DescopeUser)
        case problem(ExportProblem)
    }

    /// The next element as it was read (the owning reader keeps a careful path's user as it is).
    func nextRecord() -> Record? {
        guard let item = stream.next() else { element = UnsafeRawBufferPointer(start: nil, count: 0); return nil }
        return record(item)
    }

    /// The view of the element the taker read.
    private func view(number: Int, start: Int, end: Int) -> UserView {
        recordsRead += 1
        fastElements += 1
        element = UnsafeRawBufferPointer(start: stream.blocks.base + start, count: end - start)
        arena.reset()
        return UserView(taken, createdTime: takenCreatedTime, source: SourceLocation(file: path, line: number), arena: arena)
    }

    private func record(_ item: JSONRecordStream.Item) -> Record {
        element = UnsafeRawBufferPointer(start: nil, count: 0)
        switch item {
        case .taken(let number, let start, let end):
            return .view(view(number: number, start: start, end: end))
        case .problem(let number, let message):
            recordsRead += 1
            problemsFound += 1
            return .problem(ExportProblem(location: SourceLocation(file: path, line: number),
                                          code: ExportProblem.Code.invalidJSON, message: message))
        case .record(let number, let value, let raw):
            recordsRead += 1
            let location = SourceLocation(file: path, line: number)
            guard let user = DescopeUser(searchUsersJSON: value, source: location) else {
                problemsFound += 1
                return .problem(ExportProblem(location: location, code: ExportProblem.Code.notAUser,
                                              message: "element \(number): not a user object"))
            }
            arena.reset()
            element = raw.withUnsafeBytes { arena.copy($0) }.bytes
            return .user(user)
        }
    }

    /// The stream's taker: scan for the element's end, read it with simdjson (its view is built when yielded).
    private func take(number: Int, start: Int, limit: Int, wholeLine: Bool) -> Int? {
        let blocks = stream.blocks
        let base = UnsafePointer(blocks.base.assumingMemoryBound(to: UInt8.self))
        var end = 0
        guard hp_json_scan_value(base, start, limit, Self.maxFastDepth, &end) == HP_JSON_SCAN_COMPLETE else { return nil }
        if wholeLine {
            for i in end..<limit {
                let b = base[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return nil }
            }
        }
        let capacity = blocks.end + ByteBlocks.padding - start
        guard hp_json_read_user(parser, base + start, end - start, capacity, &taken) == HP_JSON_USER else { return nil }
        takenCreatedTime = nil
        if taken.created_time_present != 0 {
            // Not a Unix time: the careful path words the problem.
            guard let t = Self.epochSeconds(TextSpan(taken.created_time)) else { return nil }
            takenCreatedTime = t
        }
        return end
    }

    /// CellValues.epochSeconds, without a String for the usual all-digits literal.
    static func epochSeconds(_ s: TextSpan) -> Int64? {
        if s.count > 0 && s.count <= 18 {
            var value: Int64 = 0
            var digits = true
            for b in s.buffer {
                let d = b &- 48
                guard d <= 9 else { digits = false; break }
                value = value &* 10 &+ Int64(d)
            }
            // Past 10^11 seconds is year 5138: such a value is milliseconds (as CellValues says).
            if digits { return value >= 100_000_000_000 ? value / 1000 : value }
        }
        return CellValues.epochSeconds(s.string)
    }
}

extension TextSpan {
    init(_ span: hp_json_span) {
        self.init(base: span.count == 0 ? nil : span.bytes, count: span.count)
    }
}

extension UserView {
    /// The view of simdjson's fields (`createdTime` already read as Unix seconds).
    init(_ u: hp_json_user, createdTime: Int64?, source: SourceLocation, arena: ViewArena) {
        self.init(source: source)
        self.createdTime = createdTime
        let spans = arena.allocate(TextSpan.self, count: Int(u.span_count))
        for i in 0..<Int(u.span_count) { (spans + i).initialize(to: TextSpan(u.spans[i])) }
        func list(_ r: hp_json_range) -> SpanList {
            r.count == 0 ? .empty : SpanList(base: UnsafePointer(spans + Int(r.start)), count: Int(r.count))
        }
        func flag(_ f: Int8) -> Bool? { f == HP_JSON_ABSENT ? nil : f == HP_JSON_TRUE }
        userId = TextSpan(u.user_id)
        loginIds = Self.loginIds(list(u.login_ids), loginId: TextSpan(u.login_id), loginIdFirst: u.login_id_first != 0,
                                 arena: arena)
        email = TextSpan(u.email)
        verifiedEmail = flag(u.verified_email)
        phone = TextSpan(u.phone)
        verifiedPhone = flag(u.verified_phone)
        name = TextSpan(u.name)
        givenName = TextSpan(u.given_name)
        middleName = TextSpan(u.middle_name)
        familyName = TextSpan(u.family_name)
        status = Self.lowercased(TextSpan(u.status), arena: arena)
        roleNames = list(u.role_names)
        if u.tenant_count > 0 {
            let tenants = arena.allocate(TenantView.self, count: Int(u.tenant_count))
            for i in 0..<Int(u.tenant_count) {
                let t = u.tenants[i]
                (tenants + i).initialize(to: TenantView(tenantId: TextSpan(t.tenant_id), tenantName: TextSpan(t.tenant_name),
                                                        roleNames: list(t.role_names)))
            }
            self.tenants = TenantList(base: UnsafePointer(tenants), count: Int(u.tenant_count))
        }
        if u.attribute_count > 0 {
            let attributes = arena.allocate(AttributeView.self, count: Int(u.attribute_count))
            for i in 0..<Int(u.attribute_count) {
                let a = u.attributes[i]
                (attributes + i).initialize(to: AttributeView(key: TextSpan(a.key), kind: AttributeView.Kind(rawValue: a.kind) ?? .null,
                                                              value: TextSpan(a.value)))
            }
            customAttributes = AttributeList(base: UnsafePointer(attributes), count: Int(u.attribute_count))
        }
        picture = TextSpan(u.picture)
        test = u.test == HP_JSON_TRUE
        totp = u.totp == HP_JSON_TRUE
        saml = u.saml == HP_JSON_TRUE
        scim = u.scim == HP_JSON_TRUE
        oidc = u.oidc == HP_JSON_TRUE
        webauthn = u.webauthn == HP_JSON_TRUE
        oauthProviders = list(u.oauth_providers)
        ssoAppIds = list(u.sso_app_ids)
        hasPassword = flag(u.has_password)
        hash.hash = TextSpan(u.hashed_password)
    }

    /// `loginIds` and a batch-create user's `loginId` as DescopeUser(searchUsersJSON:) merges them: `loginId` first
    /// unless `loginIds` already holds it.
    private static func loginIds(_ list: SpanList, loginId: TextSpan, loginIdFirst: Bool, arena: ViewArena) -> SpanList {
        guard !loginId.isEmpty else { return list }
        let others = loginIdFirst ? list.filter { !$0.equals(loginId) } : Array(list)
        if !loginIdFirst && list.contains(where: { $0.equals(loginId) }) { return list }
        return arena.list([loginId] + others)
    }

    /// `status` lower-cased as String.lowercased() does (a copy only when it changes anything).
    private static func lowercased(_ s: TextSpan, arena: ViewArena) -> TextSpan {
        var ascii = true, upper = false
        for b in s.buffer {
            if b >= 0x80 { ascii = false } else if b &- 65 < 26 { upper = true }
        }
        if !ascii { return arena.copy(s.string.lowercased()) }
        guard upper else { return s }
        return arena.write(capacity: s.count) { out in
            for (i, b) in s.buffer.enumerated() { out[i] = TextSpan.lower(b) }
            return s.count
        }
    }
}
