import Mapping
import Preflight
import DescopeExport

/// The pre-pass over the input: how many users, by outcome, and which tenants they belong to.
/// Gives the progress line its total, the dry run its numbers, and the organization step the tenants
/// that appear only on users. Holds counts and tenant ids, never users.
public struct ImportCensus: Sendable {
    public var users = 0
    public var ready = 0
    public var readyWithoutPassword = 0
    public var rejected = 0
    public var unreadable = 0
    public var memberships = 0
    /// Tenant id → tenant name (when a user's entry gave one), for every tenant a user belongs to.
    public var tenants: [String: String?] = [:]

    /// Stops early (with partial counts) when `stop` is interrupted: the run then ends at once.
    public static func take(_ input: ImportInput, stop: ImportStop? = nil) throws -> ImportCensus {
        var census = ImportCensus()
        let iterator = try input.openUsers()
        while let item = iterator.next() {
            if census.users & 1023 == 0, stop?.isInterrupted == true { break }
            census.users += 1
            switch item {
            case .unreadable:
                census.unreadable += 1
            case .user(let user):
                switch user.status {
                case .ready: census.ready += 1
                case .readyWithoutPassword: census.readyWithoutPassword += 1
                case .rejected: census.rejected += 1; continue
                }
                census.memberships += user.memberships.count
                for m in user.memberships {
                    if case .some(.some) = census.tenants[m.tenantId] { continue }
                    // `.some`: a nil name must still add the key (assigning nil would remove it).
                    census.tenants[m.tenantId] = .some(m.tenantName)
                }
            }
        }
        return census
    }
}
