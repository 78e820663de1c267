import DescopeAPI

/// Which users a search selects and in what order: everything of the request but the page.
/// Descope's semantics: statuses (absent = all), test users only with `withTestUser`, time filters in epoch
/// milliseconds against `createdTime` in seconds. Without `sort` Descope promises no order; the emulator then
/// orders by `userId`, so a client that does not sort sees new users land in the middle of its pages.
struct SearchOrderKey: Equatable, Sendable {
    enum Field: String, Sendable { case createdTime, userId }

    var statuses: Set<String>?
    var withTestUser: Bool
    var fromCreatedTime: Int64?
    var toCreatedTime: Int64?
    var fromModifiedTime: Int64?
    var toModifiedTime: Int64?
    var sort: [(field: Field, desc: Bool)]

    init(_ request: SearchUsersRequest) throws(SearchRefusal) {
        statuses = request.statuses.flatMap { $0.isEmpty ? nil : Set($0) }
        withTestUser = request.withTestUser ?? false
        fromCreatedTime = request.fromCreatedTime
        toCreatedTime = request.toCreatedTime
        fromModifiedTime = request.fromModifiedTime
        toModifiedTime = request.toModifiedTime
        sort = []
        for item in request.sort ?? [] {
            guard let field = Field(rawValue: item.field) else {
                throw SearchRefusal("sort field '\(item.field)' is not supported by the emulator (createdTime, userId)")
            }
            sort.append((field, item.desc))
        }
        if sort.isEmpty { sort = [(.userId, false)] }
    }

    static func == (a: SearchOrderKey, b: SearchOrderKey) -> Bool {
        a.statuses == b.statuses && a.withTestUser == b.withTestUser && a.fromCreatedTime == b.fromCreatedTime
            && a.toCreatedTime == b.toCreatedTime && a.fromModifiedTime == b.fromModifiedTime
            && a.toModifiedTime == b.toModifiedTime
            && a.sort.map(\.field) == b.sort.map(\.field) && a.sort.map(\.desc) == b.sort.map(\.desc)
    }

    func matches(_ user: DescopeStore.User) -> Bool {
        if let statuses, !statuses.contains(user.status ?? "") { return false }
        if user.test && !withTestUser { return false }
        let createdMs = user.createdTime.multipliedReportingOverflow(by: 1000)
        let created = createdMs.overflow ? Int64.max : createdMs.partialValue
        if let from = fromCreatedTime, created < from { return false }
        if let to = toCreatedTime, created > to { return false }
        if let from = fromModifiedTime, user.modifiedTime < from { return false }
        if let to = toModifiedTime, user.modifiedTime > to { return false }
        return true
    }

    /// Strict order on the sort fields, then arrival.
    func precedes(_ a: DescopeStore.User, _ b: DescopeStore.User) -> Bool {
        for (field, desc) in sort {
            switch field {
            case .createdTime where a.createdTime != b.createdTime:
                return desc ? a.createdTime > b.createdTime : a.createdTime < b.createdTime
            case .userId where a.userId != b.userId:
                return desc ? a.userId > b.userId : a.userId < b.userId
            default: continue
            }
        }
        return a.sequence < b.sequence
    }
}
