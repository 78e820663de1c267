/// A `UserView` as bytes and back: the join keeps the Search Users side on disk this way, every field a
/// join takes and nothing else, so its memory does not grow with the number of users.
///
/// Layout: texts as a varint length and the bytes; lists as a varint count and their texts; flags packed.
enum UserViewCodec {
    static func encode(_ v: UserView, into out: inout [UInt8]) {
        func varint(_ n: Int) {
            var n = UInt64(n)
            while n >= 0x80 { out.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
            out.append(UInt8(n))
        }
        func text(_ t: TextSpan) { varint(t.count); out.append(contentsOf: t.buffer) }
        func text(_ s: String) { varint(s.utf8.count); out.append(contentsOf: s.utf8) }
        func list(_ l: SpanList) { varint(l.count); for t in l { text(t) } }
        func tri(_ b: Bool?) -> UInt8 { b == nil ? 0 : b! ? 1 : 2 }

        for t in [v.userId, v.email, v.phone, v.name, v.givenName, v.middleName, v.familyName, v.status, v.picture] { text(t) }
        out.append(tri(v.verifiedEmail) | tri(v.verifiedPhone) << 2 | tri(v.hasPassword) << 4)
        var flags: UInt8 = 0
        for (i, b) in [v.test, v.totp, v.saml, v.scim, v.oidc, v.webauthn].enumerated() where b { flags |= 1 << UInt8(i) }
        out.append(flags)
        if let t = v.createdTime {
            out.append(1)
            withUnsafeBytes(of: t.littleEndian) { out.append(contentsOf: $0) }
        } else {
            out.append(0)
        }
        list(v.loginIds); list(v.roleNames); list(v.oauthProviders); list(v.ssoAppIds)
        varint(v.tenants.count)
        for t in v.tenants { text(t.tenantId); text(t.tenantName); list(t.roleNames) }
        varint(v.customAttributes.count)
        for a in v.customAttributes { text(a.key); out.append(a.kind.rawValue); text(a.value) }
        let h = v.hash
        for t in [h.hash, h.type, h.salt, h.iterations, h.memory, h.threads, h.digest, h.signerKey, h.saltSeparator] { text(t) }
        varint(h.objectCells.count)
        for c in h.objectCells { text(c.kind); text(c.field); text(c.value) }
        varint(v.problems.count)
        for p in v.problems { text(p.code); text(p.message) }
    }

    /// The view `bytes` encode, its spans pointing into `bytes` (which must outlive it); nil for a damaged record.
    static func decode(_ bytes: UnsafeRawBufferPointer, source: SourceLocation, arena: ViewArena) -> UserView? {
        var r = Reader(bytes: bytes)
        var v = UserView(source: source)
        func list() -> SpanList? {
            guard let n = r.varint(), n <= bytes.count else { return nil }
            var items: [TextSpan] = []
            items.reserveCapacity(n)
            for _ in 0..<n { guard let t = r.text() else { return nil }; items.append(t) }
            return arena.list(items)
        }
        func tri(_ b: UInt8) -> Bool? { b == 0 ? nil : b == 1 }
        guard let userId = r.text(), let email = r.text(), let phone = r.text(), let name = r.text(), let givenName = r.text(),
              let middleName = r.text(), let familyName = r.text(), let status = r.text(), let picture = r.text(),
              let tris = r.byte(), let flags = r.byte(), let hasTime = r.byte() else { return nil }
        (v.userId, v.email, v.phone, v.name, v.givenName) = (userId, email, phone, name, givenName)
        (v.middleName, v.familyName, v.status, v.picture) = (middleName, familyName, status, picture)
        v.verifiedEmail = tri(tris & 3); v.verifiedPhone = tri(tris >> 2 & 3); v.hasPassword = tri(tris >> 4 & 3)
        (v.test, v.totp, v.saml) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0)
        (v.scim, v.oidc, v.webauthn) = (flags & 8 != 0, flags & 16 != 0, flags & 32 != 0)
        if hasTime == 1 {
            guard let t = r.int64() else { return nil }
            v.createdTime = t
        }
        guard let logins = list(), let roles = list(), let oauth = list(), let sso = list(), let tenantCount = r.varint(),
              tenantCount <= bytes.count else { return nil }
        (v.loginIds, v.roleNames, v.oauthProviders, v.ssoAppIds) = (logins, roles, oauth, sso)
        var tenants: [TenantView] = []
        for _ in 0..<tenantCount {
            guard let id = r.text(), let tenantName = r.text(), let tenantRoles = list() else { return nil }
            tenants.append(TenantView(tenantId: id, tenantName: tenantName, roleNames: tenantRoles))
        }
        v.tenants = arena.tenants(tenants)
        guard let attributeCount = r.varint(), attributeCount <= bytes.count else { return nil }
        var attributes: [AttributeView] = []
        for _ in 0..<attributeCount {
            guard let key = r.text(), let kind = r.byte().flatMap(AttributeView.Kind.init), let value = r.text() else { return nil }
            attributes.append(AttributeView(key: key, kind: kind, value: value))
        }
        v.customAttributes = arena.attributes(attributes)
        var hash: [TextSpan] = []
        for _ in 0..<9 { guard let t = r.text() else { return nil }; hash.append(t) }
        (v.hash.hash, v.hash.type, v.hash.salt, v.hash.iterations, v.hash.memory) = (hash[0], hash[1], hash[2], hash[3], hash[4])
        (v.hash.threads, v.hash.digest, v.hash.signerKey, v.hash.saltSeparator) = (hash[5], hash[6], hash[7], hash[8])
        guard let cellCount = r.varint(), cellCount <= bytes.count else { return nil }
        var cells: [ObjectCellView] = []
        for _ in 0..<cellCount {
            guard let kind = r.text(), let field = r.text(), let value = r.text() else { return nil }
            cells.append(ObjectCellView(kind: kind, field: field, value: value))
        }
        v.hash.objectCells = arena.cells(cells)
        guard let problemCount = r.varint(), problemCount <= bytes.count else { return nil }
        for _ in 0..<problemCount {
            guard let code = r.text(), let message = r.text() else { return nil }
            v.problems.append(ExportProblem(location: source, code: code.string, message: message.string))
        }
        return v
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        mutating func byte() -> UInt8? {
            guard i < bytes.count else { return nil }
            defer { i += 1 }
            return bytes[i]
        }
        mutating func varint() -> Int? {
            var n: UInt64 = 0, shift: UInt64 = 0
            while let b = byte() {
                n |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return n <= UInt64(Int32.max) ? Int(n) : nil }
                shift += 7
                if shift > 35 { return nil }
            }
            return nil
        }
        mutating func text() -> TextSpan? {
            guard let n = varint(), n <= bytes.count - i else { return nil }
            defer { i += n }
            return TextSpan(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n)]))
        }
        mutating func int64() -> Int64? {
            guard bytes.count - i >= 8 else { return nil }
            defer { i += 8 }
            return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: Int64.self))
        }
    }
}
