import AsyncHTTPClient
import DescopeAPI
import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import DescopeEmulator

/// The emulator's answers on the wire, as Descope's: paging, limits, filters, refusals, auth, faults.
@Suite struct EmulatorSemanticsTests {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var json: [String: Any]
    }

    private func send(_ method: HTTPMethod, _ url: String, body: Any? = nil,
                      authorization: String? = "Bearer \(projectId):\(managementKey)") async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body { request.body = .bytes(ByteBuffer(bytes: try json(body))) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return Answer(status: Int(response.status.code), headers: response.headers, json: object)
    }

    private func search(_ base: String, _ body: [String: Any], path: String = "/v2/mgmt/user/search") async throws
        -> (status: Int, ids: [String], total: Int?, users: [[String: Any]]) {
        let answer = try await send(.POST, base + path, body: body)
        let users = answer.json["users"] as? [[String: Any]] ?? []
        return (answer.status, users.compactMap { $0["userId"] as? String }, answer.json["total"] as? Int, users)
    }

    @Test func pagesAreZeroBasedCappedAtAHundredAndEmptyPastTheEnd() async throws {
        let users = sampleUsers(250)
        let everyone: [String: Any] = ["withTestUser": true, "sort": [["field": "createdTime", "desc": false]]]
        try await withDescopeEmulator(try store(users)) { emulator, _ in
            let base = try #require(emulator.baseURL)
            let expected = users.map { $0["userId"] as! String }
            var body = everyone
            body["page"] = 0; body["limit"] = 500
            let first = try await search(base, body)
            #expect(first.status == 200 && first.ids == Array(expected[0..<100]) && first.total == 250)
            body["page"] = 2; body["limit"] = 100
            #expect(try await search(base, body).ids == Array(expected[200..<250]))
            body["page"] = 3
            let past = try await search(base, body)
            #expect(past.status == 200 && past.ids.isEmpty && past.total == 250)
            body["page"] = 1; body["limit"] = 0   // 0 is the default, 100
            #expect(try await search(base, body).ids == Array(expected[100..<200]))
            body["limit"] = 7; body["page"] = 5
            #expect(try await search(base, body).ids == Array(expected[35..<42]))
            // The /v1 spelling answers the same.
            #expect(try await search(base, body, path: "/v1/mgmt/user/search").ids == Array(expected[35..<42]))
            // Descending order, and the default order (userId) is not creation order.
            body["sort"] = [["field": "createdTime", "desc": true]]; body["page"] = 0; body["limit"] = 3
            #expect(try await search(base, body).ids == expected.reversed().prefix(3).map { $0 })
        }
    }

    @Test func refusesNegativeValuesAndUnknownSorts() async throws {
        try await withDescopeEmulator(try store(sampleUsers(3))) { emulator, _ in
            let base = try #require(emulator.baseURL) + "/v2/mgmt/user/search"
            for body: [String: Any] in [["page": -1], ["limit": -5], ["fromCreatedTime": -1], ["toModifiedTime": -1],
                                        ["sort": [["field": "favouriteColour", "desc": false]]], ["page": "zero"]] {
                let answer = try await send(.POST, base, body: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.json["errorCode"] is String && answer.json["errorDescription"] is String)
            }
        }
    }

    @Test func filtersByStatusTestUsersAndTimeInMilliseconds() async throws {
        let users = sampleUsers(40)   // createdTime = 1_700_000_000 + 60·i seconds
        try await withDescopeEmulator(try store(users)) { emulator, _ in
            let base = try #require(emulator.baseURL)
            func ids(where keep: ([String: Any]) -> Bool) -> Set<String> {
                Set(users.filter(keep).map { $0["userId"] as! String })
            }
            // No withTestUser: test users are left out; statuses absent: every status.
            let plain = try await search(base, ["limit": 100])
            #expect(Set(plain.ids) == ids { !($0["test"] as! Bool) })
            let enabled = try await search(base, ["statuses": ["enabled", "expired"], "withTestUser": true])
            #expect(Set(enabled.ids) == ids { ["enabled", "expired"].contains($0["status"] as! String) })
            // fromCreatedTime is milliseconds and inclusive: user 10 was created at 1_700_000_600 s.
            let from = try await search(base, ["fromCreatedTime": 1_700_000_600_000, "withTestUser": true])
            #expect(Set(from.ids) == ids { ($0["createdTime"] as! Int64) >= 1_700_000_600 })
            #expect(from.total == 30)
            let window = try await search(base, ["fromCreatedTime": 1_700_000_600_001, "toCreatedTime": 1_700_000_900_000,
                                                 "withTestUser": true])
            #expect(Set(window.ids) == ids { (1_700_000_660...1_700_000_900).contains($0["createdTime"] as! Int64) })
            // Modified since: nobody until a user is modified; then exactly those.
            let now = Int64(Date().timeIntervalSince1970 * 1000) - 1000
            #expect(try await search(base, ["fromModifiedTime": now, "withTestUser": true]).ids.isEmpty)
            let touched = [users[3]["userId"] as! String, users[9]["userId"] as! String]
            let reply = try await send(.POST, base + "/emulator/users/modified", body: ["userIds": touched + ["Unope"]])
            #expect(reply.status == 200 && reply.json["modified"] as? Int == 2)
            #expect(Set(try await search(base, ["fromModifiedTime": now, "withTestUser": true]).ids) == Set(touched))
        }
    }

    @Test func answersUsersByteForByteAndAddsSignUpsWithCreatedTimeInSeconds() async throws {
        let users = sampleUsers(5)
        let seeded = try store(users, pretty: true)
        try await withDescopeEmulator(seeded) { emulator, client in
            let base = try #require(emulator.baseURL)
            // The seed objects come back compact, each equal to what was seeded.
            let answer = try await client.searchUsers(.pullPage(0))
            #expect(answer.users.count == 5)
            for (element, user) in zip(answer.users, users) {
                let bytes = answer.body[element.range]
                #expect(!bytes.contains(0x0A))
                let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
                #expect(parsed == user as NSDictionary)
            }
            let before = Int64(Date().timeIntervalSince1970)
            let added = try await send(.POST, base + "/emulator/users",
                                       body: ["users": [["email": "new@example.com", "status": "enabled"]]])
            #expect(added.status == 201)
            let id = try #require((added.json["userIds"] as? [String])?.first)
            #expect(id.hasPrefix("U") && id.count == 28)
            let page = try await search(base, ["sort": [["field": "createdTime", "desc": false]], "limit": 100])
            #expect(page.ids.last == id)
            let created = try #require(page.users.last?["createdTime"] as? Int64)
            #expect(created >= before && created < before + 60, "seconds, not milliseconds")
            #expect(try await send(.POST, base + "/emulator/users", body: ["userId": id]).status == 409)
        }
    }

    @Test func tenantsAndRolesFromFilesOrFromTheUsers() async throws {
        let users = sampleUsers(12)
        try await withDescopeEmulator(try store(users)) { emulator, _ in
            let base = try #require(emulator.baseURL)
            let tenants = try await send(.GET, base + "/v1/mgmt/tenant/all")
            let list = try #require(tenants.json["tenants"] as? [[String: Any]])
            #expect(Set(list.compactMap { $0["id"] as? String }) == ["T0", "T1"])
            let roles = try await send(.POST, base + "/v1/mgmt/role/search", body: [String: Any]())
            let names = (roles.json["roles"] as? [[String: Any]] ?? []).map {
                "\($0["tenantId"] as? String ?? "-")/\($0["name"] as? String ?? "")"
            }
            #expect(Set(names) == ["-/Admin", "T0/member", "T1/member"])
            #expect(try await send(.GET, base + "/v1/mgmt/role/all").json["roles"] as? [Any] != nil)
        }
        let files = try DescopeStore(users: try json(users), tenants: try json(["tenants": [["id": "Tx", "name": "X"]]]),
                                     roles: try json([["name": "Owner"]]))
        try await withDescopeEmulator(files) { emulator, _ in
            let base = try #require(emulator.baseURL)
            let tenants = try await send(.GET, base + "/v1/mgmt/tenant/all").json["tenants"] as? [[String: Any]]
            #expect(tenants?.map { $0["id"] as? String } == ["Tx"])
            let roles = try await send(.GET, base + "/v1/mgmt/role/all").json["roles"] as? [[String: Any]]
            #expect(roles?.map { $0["name"] as? String } == ["Owner"])
        }
    }

    @Test func refusesAWrongKeyOrProjectAndAnswersUnknownPathsAsJSON() async throws {
        try await withDescopeEmulator(try store(sampleUsers(2))) { emulator, _ in
            let url = try #require(emulator.baseURL) + "/v2/mgmt/user/search"
            for header in [nil, "Bearer \(managementKey)", "Bearer \(projectId):wrong", "Bearer Pother:\(managementKey)",
                           "Basic \(projectId):\(managementKey)", "Bearer \(projectId):"] as [String?] {
                let answer = try await send(.POST, url, body: [String: Any](), authorization: header)
                #expect(answer.status == 401, "\(header ?? "no header")")
                #expect(answer.json["errorCode"] as? String == "E_UNAUTHORIZED")
            }
            #expect(try await send(.POST, url, body: [String: Any]()).status == 200)
            let unknown = try await send(.GET, try #require(emulator.baseURL) + "/v1/mgmt/nothing")
            #expect(unknown.status == 404 && unknown.json["errorCode"] as? String == "E_NOT_FOUND")
            #expect(emulator.statistics.unauthorized == 6)
        }
    }

    /// The faults follow the seed: the same seed and requests give the same answers, another seed others;
    /// and the shares are about what was asked for.
    @Test func faultsAreSeededAndAboutTheRequestedShare() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            try await withDescopeEmulator(try store(sampleUsers(1)),
                                          .init(rateLimitedRate: 0.2, failRate: 0.3, seed: seed)) { emulator, _ in
                let url = try #require(emulator.baseURL) + "/v2/mgmt/user/search"
                var out: [Int] = []
                for _ in 0..<400 { out.append(try await send(.POST, url, body: ["limit": 1]).status) }
                let s = emulator.statistics
                #expect(s.rateLimited == out.filter { $0 == 429 }.count)
                #expect(s.injectedFailures == out.filter { $0 >= 500 }.count)
                return out
            }
        }
        let a = try await statuses(seed: 42), b = try await statuses(seed: 42), c = try await statuses(seed: 43)
        #expect(a == b)
        #expect(a != c)
        let limited = Double(a.filter { $0 == 429 }.count) / 400, failed = Double(a.filter { $0 >= 500 }.count) / 400
        #expect((0.12...0.28).contains(limited), "\(limited)")
        #expect((0.2...0.4).contains(failed), "\(failed)")
        #expect(Set(a.filter { $0 >= 500 }) == [500, 503])
    }

    @Test func aRateLimitedAnswerNamesItsWait() async throws {
        try await withDescopeEmulator(try store(sampleUsers(1)), .init(rateLimitedRate: 1, retryAfterSeconds: 3)) { emulator, _ in
            let answer = try await send(.POST, try #require(emulator.baseURL) + "/v2/mgmt/user/search", body: ["limit": 1])
            #expect(answer.status == 429)
            #expect(answer.headers.first(name: "Retry-After") == "3")
        }
    }

    @Test func refusesASeedItCannotServe() {
        #expect(throws: DescopeStoreError.self) { try DescopeStore(users: Array(#"{"users":[{"email":"x"}]}"#.utf8)) }
        #expect(throws: DescopeStoreError.self) {
            try DescopeStore(users: Array(#"[{"userId":"U1"},{"userId":"U1"}]"#.utf8))
        }
        #expect(throws: DescopeStoreError.self) { try DescopeStore(users: Array("{not json".utf8)) }
    }
}
