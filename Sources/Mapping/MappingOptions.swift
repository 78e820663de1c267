import PasswordHashes

/// How Descope users are mapped onto WorkOS (flags of `inspect`, `convert` and `import`).
public struct MappingOptions: Sendable {
    /// Descope role name → WorkOS role slug; roles without an entry get `defaultRoleSlug`.
    public var roleMap: RoleMap
    /// The slug of a membership whose roles are not mapped (WorkOS's default role).
    public var defaultRoleSlug: String
    /// How salt text is read when the hash spelling does not fix it (`--salt-encoding`).
    public var saltEncoding: SaltEncoding
    /// Import `disabled` and `expired` users instead of rejecting them (`--include-disabled`).
    public var includeDisabled: Bool
    /// Import users Descope marks as test users (`--include-test`).
    public var includeTest: Bool
    /// The tenants export (`--tenants F`): organization names, and a check that every membership's tenant exists.
    public var tenants: TenantDirectory?

    public init(roleMap: RoleMap = RoleMap(), defaultRoleSlug: String = "member", saltEncoding: SaltEncoding = .auto,
                includeDisabled: Bool = false, includeTest: Bool = false, tenants: TenantDirectory? = nil) {
        self.roleMap = roleMap; self.defaultRoleSlug = defaultRoleSlug; self.saltEncoding = saltEncoding
        self.includeDisabled = includeDisabled; self.includeTest = includeTest; self.tenants = tenants
    }
}
