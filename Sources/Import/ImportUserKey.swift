import Mapping
import Preflight
import WorkOS

/// How a mapped user is named in the journal and what it is sent as.
enum ImportUserKey {
    /// Stable across runs and exports: Descope's user id, else the email, else the row.
    static func sourceKey(_ user: MappedUser) -> String {
        if let id = user.sourceUserId, !id.isEmpty { return "id:" + id }
        if !user.user.email.isEmpty { return "email:" + user.user.email.lowercased() }
        return "row:\(user.source.file):\(user.row)"
    }

    /// Everything WorkOS would receive for the user (body and memberships), digested: a `--delta` run
    /// sends a user again only when this changed.
    static func contentDigest(_ user: MappedUser) -> String {
        var d = ContentDigest()
        let b = user.user
        d.update(user.status.name)
        d.update(b.email)
        d.update(b.firstName ?? "")
        d.update(b.lastName ?? "")
        d.update(b.emailVerified.map { $0 ? "1" : "0" } ?? "")
        d.update(b.externalId ?? "")
        for (k, v) in b.metadata { d.update(k); d.update(v) }
        d.update(b.passwordHash?.type ?? "")
        d.update(b.passwordHash?.string ?? "")
        d.update(b.passwordHash?.saltPosition ?? "")
        for m in user.memberships {
            d.update(m.tenantId)
            for slug in m.roleSlugs { d.update(slug) }
        }
        return d.hexDigest
    }

    /// The `POST /user_management/users` body.
    static func createRequest(_ b: WorkOSUserBody) -> CreateUserRequest {
        CreateUserRequest(
            email: b.email, firstName: b.firstName, lastName: b.lastName, emailVerified: b.emailVerified,
            externalId: b.externalId,
            metadata: b.metadata.isEmpty ? nil : Dictionary(b.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            passwordHash: b.passwordHash?.string, passwordHashType: b.passwordHash?.type,
            passwordSaltPosition: b.passwordHash?.saltPosition)
    }
}
