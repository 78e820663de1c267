import DescopeAPI
import Foundation
import Synchronization

/// The emulator's users, tenants and roles. A user is kept as the JSON object it was seeded or added with,
/// and answered byte for byte; the fields a search filters or sorts on are read from it once.
public final class DescopeStore: Sendable {
    struct User: Sendable {
        var object: [UInt8]
        var userId: String
        var status: String?
        var test: Bool
        /// Unix seconds, as in the object.
        var createdTime: Int64
        /// Epoch milliseconds; the seed's users were last modified when they were created.
        var modifiedTime: Int64
        /// Order of arrival: the tie-break of every sort.
        var sequence: Int
    }

    struct Contents {
        var users: [User] = []
        var byId: [String: Int] = [:]
        var tenants: [Any]?
        var roles: [Any]?
        /// Bumped by every change; a cached search order is valid for one version.
        var version = 0
        var cachedOrder: (key: SearchOrderKey, version: Int, order: [Int])?
    }

    private let contents: Mutex<Contents>

    /// Seeds from a Search Users file (any envelope) and optional tenants and roles files (`{"tenants":[…]}`,
    /// `{"roles":[…]}` or bare arrays). Without them, tenants and roles are derived from the users.
    public init(users: [UInt8], tenants: [UInt8]? = nil, roles: [UInt8]? = nil) throws(DescopeStoreError) {
        var seeded = Contents()
        let elements: [UserElement]
        do { elements = try UserElements.anyEnvelope(users) } catch {
            throw .unreadable("the users file: \(error)")
        }
        for element in elements {
            guard let id = element.userId, !id.isEmpty else {
                throw .unreadable("the users file: a user object without a userId (byte \(element.range.lowerBound))")
            }
            guard seeded.byId[id] == nil else { throw .unreadable("the users file: userId \(id) appears twice") }
            let created = element.createdTime ?? 0
            seeded.byId[id] = seeded.users.count
            seeded.users.append(User(object: Self.compacted(users[element.range]), userId: id, status: element.status,
                                        test: element.test, createdTime: created, modifiedTime: created * 1000,
                                        sequence: seeded.users.count))
        }
        seeded.tenants = try tenants.map { bytes throws(DescopeStoreError) in try Self.list(bytes, key: "tenants") }
        seeded.roles = try roles.map { bytes throws(DescopeStoreError) in try Self.list(bytes, key: "roles") }
        contents = Mutex(seeded)
    }

    public var count: Int { contents.withLock { $0.users.count } }

    /// Every user id, in order of arrival.
    public var userIds: [String] { contents.withLock { $0.users.map(\.userId) } }

    // MARK: - Changes while running

    /// Adds users as if they signed up now: `createdTime` (seconds) and the modified time become `now`;
    /// a missing `userId` is generated. Returns the ids.
    @discardableResult
    public func addUsers(_ objects: [[String: Any]], now: Date = Date()) throws(DescopeStoreError) -> [String] {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        var prepared: [(String, [String: Any], [UInt8])] = []
        for var object in objects {
            let id = (object["userId"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? Self.newUserId()
            object["userId"] = id
            object["createdTime"] = seconds
            guard JSONSerialization.isValidJSONObject(object),
                  let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                throw .unreadable("user \(id) is not a JSON object")
            }
            prepared.append((id, object, Array(data)))
        }
        return try contents.withLock { (box) throws(DescopeStoreError) -> [String] in
            var ids: [String] = []
            for (id, object, bytes) in prepared {
                guard box.byId[id] == nil else { throw .conflict("userId \(id) already exists") }
                box.byId[id] = box.users.count
                box.users.append(User(object: bytes, userId: id, status: object["status"] as? String,
                                            test: object["test"] as? Bool ?? false, createdTime: seconds,
                                            modifiedTime: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)),
                                            sequence: box.users.count))
                ids.append(id)
            }
            box.version += 1
            return ids
        }
    }

    /// Marks users as modified at `now` (what `fromModifiedTime` filters on). Returns how many exist.
    @discardableResult
    public func touch(userIds: [String], now: Date = Date()) -> Int {
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return contents.withLock { box in
            var touched = 0
            for id in userIds {
                guard let i = box.byId[id] else { continue }
                box.users[i].modifiedTime = ms
                touched += 1
            }
            box.version += 1
            return touched
        }
    }

    // MARK: - Answers

    /// `{"users":[…],"total":N}` for a search, or the reason it is refused (Descope answers 400).
    func search(_ request: SearchUsersRequest) throws(SearchRefusal) -> [UInt8] {
        let page = request.page ?? 0
        var limit = request.limit ?? 0
        guard page >= 0 else { throw SearchRefusal("page must not be negative") }
        guard limit >= 0 else { throw SearchRefusal("limit must not be negative") }
        for (name, value) in [("fromCreatedTime", request.fromCreatedTime), ("toCreatedTime", request.toCreatedTime),
                              ("fromModifiedTime", request.fromModifiedTime), ("toModifiedTime", request.toModifiedTime)] {
            if let value, value < 0 { throw SearchRefusal("\(name) must not be negative") }
        }
        if limit == 0 || limit > SearchUsersRequest.maxLimit { limit = SearchUsersRequest.maxLimit }
        let key = try SearchOrderKey(request)
        return contents.withLock { box in
            let order = Self.order(for: key, in: &box)
            let start = min(order.count, page.multipliedReportingOverflow(by: limit).overflow ? order.count : page * limit)
            let end = min(order.count, start + limit)
            var body = Array(#"{"users":["#.utf8)
            for (n, i) in order[start..<end].enumerated() {
                if n > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: box.users[i].object)
            }
            body.append(contentsOf: Array(#"],"total":\#(order.count)}"#.utf8))
            return body
        }
    }

    /// The users matching `key`, in its order; cached until the next change.
    private static func order(for key: SearchOrderKey, in contents: inout Contents) -> [Int] {
        if let cached = contents.cachedOrder, cached.key == key, cached.version == contents.version {
            return cached.order
        }
        let users = contents.users
        var order = users.indices.filter { key.matches(users[$0]) }
        order.sort { key.precedes(users[$0], users[$1]) }
        contents.cachedOrder = (key, contents.version, order)
        return order
    }

    func tenantsBody() -> [UInt8] {
        contents.withLock { box in
            Self.envelope("tenants", box.tenants ?? Self.derivedTenants(box.users))
        }
    }

    func rolesBody() -> [UInt8] {
        contents.withLock { box in
            Self.envelope("roles", box.roles ?? Self.derivedRoles(box.users))
        }
    }

    // MARK: - Helpers

    /// The object without the whitespace between its tokens: Descope answers compact JSON, whatever the
    /// layout of the seed file. (Valid JSON: whitespace outside strings is only ever between tokens.)
    static func compacted(_ object: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(object.count)
        var inString = false, escaped = false
        for b in object {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                out.append(b)
            } else if b == UInt8(ascii: "\"") {
                inString = true
                out.append(b)
            } else if b != 0x20 && b != 0x0A && b != 0x0D && b != 0x09 {
                out.append(b)
            }
        }
        return out
    }

    private static func envelope(_ key: String, _ list: [Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: [key: list], options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    private static func list(_ bytes: [UInt8], key: String) throws(DescopeStoreError) -> [Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
            throw .unreadable("the \(key) file is not JSON")
        }
        if let list = object as? [Any] { return list }
        if let dictionary = object as? [String: Any] {
            if let list = dictionary[key] as? [Any] { return list }
            if let single = dictionary[String(key.dropLast())] { return [single] }
        }
        throw .unreadable("the \(key) file has no \"\(key)\" array")
    }

    private static func objects(_ users: [User]) -> [[String: Any]] {
        users.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.object))) as? [String: Any] }
    }

    /// One tenant per `userTenants[].tenantId`, named as the users name it.
    private static func derivedTenants(_ users: [User]) -> [Any] {
        var names: [(String, String)] = []
        var seen = Set<String>()
        for user in objects(users) {
            for tenant in user["userTenants"] as? [[String: Any]] ?? [] {
                guard let id = tenant["tenantId"] as? String, seen.insert(id).inserted else { continue }
                names.append((id, tenant["tenantName"] as? String ?? id))
            }
        }
        return names.map { ["id": $0.0, "name": $0.1, "selfProvisioningDomains": [String](), "customAttributes": [String: Any]()] }
    }

    /// Project roles from `roleNames`, tenant roles from `userTenants[].roleNames` (a role is a tenant and a name).
    private static func derivedRoles(_ users: [User]) -> [Any] {
        var roles: [[String: Any]] = []
        var seen = Set<String>()
        func add(_ name: String, tenant: String?) {
            guard seen.insert((tenant ?? "") + "\u{0}" + name).inserted else { return }
            var role: [String: Any] = ["name": name, "description": "", "permissionNames": [String]()]
            if let tenant { role["tenantId"] = tenant }
            roles.append(role)
        }
        for user in objects(users) {
            for name in user["roleNames"] as? [String] ?? [] { add(name, tenant: nil) }
            for tenant in user["userTenants"] as? [[String: Any]] ?? [] {
                for name in tenant["roleNames"] as? [String] ?? [] { add(name, tenant: tenant["tenantId"] as? String) }
            }
        }
        return roles
    }

    /// `U` and 27 letters and digits, like Descope's ids.
    static func newUserId() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "U" + String((0..<27).map { _ in alphabet.randomElement()! })
    }
}

public enum DescopeStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case conflict(String)
    public var description: String {
        switch self {
        case .unreadable(let reason), .conflict(let reason): return reason
        }
    }
}

struct SearchRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
