import Mapping
import Preflight

/// How `hashport import` moves users (its flags, minus input paths and the API key).
public struct ImportOptions: Sendable {
    /// What to do with users WorkOS can take only without their password (`--without-password`).
    public enum WithoutPassword: String, Sendable, CaseIterable {
        /// Create them without a password; they reset it on first sign-in.
        case create
        /// Leave them out (recorded as `skipped`).
        case skip
    }

    /// Users in flight at once; a slot holds one user through its create and its memberships.
    public var concurrency: Int
    /// Send nothing; say what would be sent.
    public var dryRun: Bool
    /// Set the password hash with `PUT` on users that already exist in WorkOS.
    public var updateExisting: Bool
    public var withoutPassword: WithoutPassword
    /// Accept a changed input and send only new or changed users.
    public var delta: Bool

    /// 50 writes/s need about 50 × latency in flight (DESIGN §2); a slot makes ~2 sequential writes, so 24
    /// slots keep 50/s going up to ~500 ms per request. A waiting slot costs one small task, nothing more.
    public static let defaultConcurrency = 24

    public init(concurrency: Int = ImportOptions.defaultConcurrency, dryRun: Bool = false,
                updateExisting: Bool = false, withoutPassword: WithoutPassword = .create, delta: Bool = false) {
        self.concurrency = max(1, concurrency)
        self.dryRun = dryRun; self.updateExisting = updateExisting
        self.withoutPassword = withoutPassword; self.delta = delta
    }
}
