/// The body of `POST /v2/mgmt/user/search` (the fields `pull` uses; the emulator decodes the same type).
public struct SearchUsersRequest: Codable, Sendable, Hashable {
    public struct Sort: Codable, Sendable, Hashable {
        public var field: String
        public var desc: Bool
        public init(field: String, desc: Bool = false) { self.field = field; self.desc = desc }
    }

    /// 0-based.
    public var page: Int?
    /// At most 100 (Descope's maximum).
    public var limit: Int?
    public var sort: [Sort]?
    public var withTestUser: Bool?
    public var statuses: [String]?
    /// Epoch milliseconds (answers carry `createdTime` in seconds).
    public var fromCreatedTime: Int64?
    public var toCreatedTime: Int64?
    public var fromModifiedTime: Int64?
    public var toModifiedTime: Int64?

    public init(page: Int? = nil, limit: Int? = nil, sort: [Sort]? = nil, withTestUser: Bool? = nil,
                statuses: [String]? = nil, fromCreatedTime: Int64? = nil, toCreatedTime: Int64? = nil,
                fromModifiedTime: Int64? = nil, toModifiedTime: Int64? = nil) {
        self.page = page; self.limit = limit; self.sort = sort; self.withTestUser = withTestUser
        self.statuses = statuses; self.fromCreatedTime = fromCreatedTime; self.toCreatedTime = toCreatedTime
        self.fromModifiedTime = fromModifiedTime; self.toModifiedTime = toModifiedTime
    }

    /// Descope's largest page.
    public static let maxLimit = 100
    /// Every user status Descope has.
    public static let allStatuses = ["enabled", "disabled", "invited", "expired"]

    /// A page of `pull`: 100 users, oldest first (users who sign up meanwhile land after the last page, so
    /// earlier pages do not shift), every status and the test users (the mapping decides what to skip later).
    public static func pullPage(_ page: Int, fromCreatedTime: Int64? = nil, fromModifiedTime: Int64? = nil)
        -> SearchUsersRequest {
        SearchUsersRequest(page: page, limit: maxLimit, sort: [Sort(field: "createdTime", desc: false)],
                           withTestUser: true, statuses: allStatuses, fromCreatedTime: fromCreatedTime,
                           fromModifiedTime: fromModifiedTime)
    }
}

/// A page of users as Descope sent it.
public struct SearchUsersAnswer: Sendable {
    /// The whole body; each user's bytes are `body[user.range]`.
    public var body: [UInt8]
    public var users: [UserElement]
    /// `total` as answered (users matching the search, not a page count).
    public var total: Int?

    public init(body: [UInt8]) throws(UserElements.Failure) {
        self.body = body
        (users, total) = try UserElements.answer(body)
    }
}
