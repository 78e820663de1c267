import GRDB
import WorkOS

enum OrganizationTable {
    static func organization(_ row: Row) -> Organization {
        Organization(id: row["id"], name: row["name"], externalId: row["external_id"],
                     domains: row.json("domains", as: [OrganizationDomain].self, fallback: []),
                     metadata: row.json("metadata", as: [String: String].self, fallback: [:]),
                     createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func find(_ db: Database, id: String) throws -> Organization? {
        try Row.fetchOne(db, sql: "SELECT * FROM organizations WHERE id = ?", arguments: [id]).map(organization)
    }

    static func find(_ db: Database, externalId: String) throws -> Organization? {
        try Row.fetchOne(db, sql: "SELECT * FROM organizations WHERE external_id = ?", arguments: [externalId])
            .map(organization)
    }

    static func insert(_ db: Database, _ o: Organization) throws {
        try db.execute(sql: """
            INSERT INTO organizations (id, name, external_id, domains, metadata, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [o.id, o.name, o.externalId, jsonText(o.domains), jsonText(o.metadata),
                             o.createdAt, o.updatedAt])
    }

    /// Deletes the organization and its memberships. False when there was no such organization.
    static func delete(_ db: Database, id: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM memberships WHERE organization_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM organizations WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }

    static func all(_ db: Database) throws -> [Organization] {
        try Row.fetchAll(db, sql: "SELECT * FROM organizations ORDER BY seq").map(organization)
    }
}

enum MembershipTable {
    static func membership(_ db: Database, _ row: Row) throws -> OrganizationMembership {
        let slugs = row.json("role_slugs", as: [String].self, fallback: ["member"])
        let multiple: Bool = row["multiple_roles"]
        let organizationId: String = row["organization_id"]
        let name = try String.fetchOne(db, sql: "SELECT name FROM organizations WHERE id = ?",
                                       arguments: [organizationId])
        return OrganizationMembership(
            id: row["id"], userId: row["user_id"], organizationId: organizationId, organizationName: name,
            status: row["status"], role: .init(slug: slugs.first ?? "member"),
            roles: multiple ? slugs.map(OrganizationMembership.RoleSlug.init(slug:)) : nil,
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func find(_ db: Database, userId: String, organizationId: String) throws -> OrganizationMembership? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM memberships WHERE user_id = ? AND organization_id = ?",
                                         arguments: [userId, organizationId]) else { return nil }
        return try membership(db, row)
    }

    static func insert(_ db: Database, _ m: OrganizationMembership, slugs: [String], multipleRoles: Bool) throws {
        try db.execute(sql: """
            INSERT INTO memberships (id, user_id, organization_id, role_slugs, multiple_roles, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [m.id, m.userId, m.organizationId, jsonText(slugs), multipleRoles, m.status,
                             m.createdAt, m.updatedAt])
    }

    static func list(_ db: Database, userId: String?, organizationId: String?, page: PageRequest) throws
        -> ListResponse<OrganizationMembership> {
        var filters: [String] = []
        var arguments = StatementArguments()
        if let userId {
            filters.append("user_id = ?")
            _ = arguments.append(contentsOf: [userId])
        }
        if let organizationId {
            filters.append("organization_id = ?")
            _ = arguments.append(contentsOf: [organizationId])
        }
        let (rows, metadata) = try page.fetch(db, table: "memberships", filter: filters.joined(separator: " AND "),
                                              arguments: arguments)
        return ListResponse(data: try rows.map { try membership(db, $0) }, listMetadata: metadata)
    }

    static func delete(_ db: Database, id: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM memberships WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }

    static func all(_ db: Database) throws -> [OrganizationMembership] {
        try Row.fetchAll(db, sql: "SELECT * FROM memberships ORDER BY seq").map { try membership(db, $0) }
    }
}
