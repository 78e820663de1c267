import WorkOS

/// Everything the emulator holds, in creation order: for tests that assert the exact final state.
public struct EmulatorSnapshot: Sendable, Hashable {
    /// Users with the password hash they were imported with.
    public var users: [StoredUser]
    public var organizations: [Organization]
    public var memberships: [OrganizationMembership]

    /// The stored user with this email (case-insensitive), if any.
    public func user(email: String) -> StoredUser? {
        let key = emailKey(email)
        return users.first { emailKey($0.user.email) == key }
    }
}
