import DescopeAPI
import DescopeEmulator
import Foundation
import HTTPRetry
import Testing

let projectId = "P2pullTests"
let managementKey = "K2pull-tests-management-key"

/// `count` Search Users objects, one a minute from `start` (Unix seconds): every status, a test user in ten,
/// two tenants, and fields that must come back byte for byte (escapes, nesting, a key named like ours).
func sampleUsers(_ count: Int, start: Int64 = 1_700_000_000, prefix: String = "U") -> [[String: Any]] {
    (0..<count).map { (i: Int) -> [String: Any] in
        var user: [String: Any] = [:]
        user["userId"] = "\(prefix)\(String(format: "%06d", i))x\(i % 7)"
        user["loginIds"] = ["user\(i)@example.com"]
        user["email"] = "user\(i)@example.com"
        user["verifiedEmail"] = i % 3 != 0
        user["name"] = "User \(i) \"Q\" \\ é"
        user["status"] = SearchUsersRequest.allStatuses[i % 4]
        user["test"] = i % 10 == 9
        user["createdTime"] = start + Int64(i) * 60
        user["roleNames"] = i % 5 == 0 ? ["Admin"] : [String]()
        let tenant: [String: Any] = ["tenantId": "T\(i % 2)", "tenantName": "Tenant \(i % 2)", "roleNames": ["member"]]
        user["userTenants"] = [tenant]
        let attributes: [String: Any] = ["userId": "not-the-id", "plan": i % 2 == 0 ? "pro" : NSNull()]
        user["customAttributes"] = attributes
        return user
    }
}

func json(_ value: Any, pretty: Bool = false) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: value, options: pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]))
}

/// A store seeded with `users` ({"users":[…]} envelope).
func store(_ users: [[String: Any]], pretty: Bool = false) throws -> DescopeStore {
    try DescopeStore(users: try json(["users": users, "total": users.count], pretty: pretty))
}

/// Starts an emulator on a free loopback port over `store`, hands it and a client to `body`, then stops both.
func withDescopeEmulator<T>(_ store: DescopeStore, _ configuration: DescopeEmulatorConfiguration = .init(),
                            key: String = managementKey,
                            _ body: (DescopeEmulatorServer, DescopeClient) async throws -> T) async throws -> T {
    var configuration = configuration
    configuration.projectId = projectId
    if configuration.managementKey == nil { configuration.managementKey = managementKey }
    let emulator = DescopeEmulatorServer(store: store, configuration: configuration)
    try await emulator.start()
    let client = try DescopeClient(credentials: ManagementCredentials(projectId: projectId, managementKey: key),
                                   configuration: fastClient(try #require(emulator.baseURL)))
    do {
        let result = try await body(emulator, client)
        try await client.shutdown()
        try await emulator.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        try? await emulator.shutdown()
        throw error
    }
}

/// Retries quickly so fault tests finish fast (a 429's Retry-After is still honoured).
func fastClient(_ baseURL: String, maxAttempts: Int = 10) -> DescopeClientConfiguration {
    DescopeClientConfiguration(baseURL: baseURL, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(5),
                                                                  maxDelay: .milliseconds(50)),
                               requestTimeout: .seconds(20))
}

/// A fresh directory for a pull.
func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashport-pull-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/out"
}

/// The lines of `DIR/users.ndjson`, and their user ids.
func pulledLines(_ directory: String) throws -> [String] {
    let text = try String(contentsOfFile: directory + "/users.ndjson", encoding: .utf8)
    #expect(text.isEmpty || text.hasSuffix("\n"))
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func pulledIds(_ directory: String) throws -> [String] {
    try pulledLines(directory).map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return try #require(object?["userId"] as? String)
    }
}

/// Every id exactly once: no duplicate, none missing, nothing extra.
func expectExactlyOnce(_ ids: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let counts = Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +)
    let duplicated = counts.filter { $0.value > 1 }.keys.sorted()
    let missing = Set(expected).subtracting(ids).sorted()
    let extra = Set(ids).subtracting(expected).sorted()
    #expect(duplicated.isEmpty, "duplicated: \(duplicated.prefix(5))", sourceLocation: sourceLocation)
    #expect(missing.isEmpty, "missing: \(missing.prefix(5)) of \(missing.count)", sourceLocation: sourceLocation)
    #expect(extra.isEmpty, "extra: \(extra.prefix(5))", sourceLocation: sourceLocation)
    #expect(ids.count == expected.count, sourceLocation: sourceLocation)
}
