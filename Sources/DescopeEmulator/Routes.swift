import DescopeAPI
import Foundation
import Hummingbird

/// The Management API endpoints `pull` reads.
struct ManagementRoutes<Context: RequestContext> {
    let store: DescopeStore

    func register(on router: Router<Context>) {
        let store = self.store
        @Sendable func search(_ request: Request, _ context: Context) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            let search: SearchUsersRequest
            do {
                search = try JSONDecoder().decode(SearchUsersRequest.self, from: Data(body.readableBytesView))
            } catch {
                return DescopeReply.badRequest("the search body is not valid: \(error)")
            }
            do { return DescopeReply.json(.ok, try store.search(search)) } catch {
                return DescopeReply.badRequest(error.message)
            }
        }
        // `/v1/…` is the spelling of Descope's guide, `/v2/…` the SDKs'; both answer the same.
        router.group("v2/mgmt/user").post("search", use: search)
        router.group("v1/mgmt/user").post("search", use: search)
        router.group("v1/mgmt/tenant").get("all") { _, _ in DescopeReply.json(.ok, store.tenantsBody()) }
        let roles = router.group("v1/mgmt/role")
        roles.post("search") { _, _ in DescopeReply.json(.ok, store.rolesBody()) }
        roles.get("all") { _, _ in DescopeReply.json(.ok, store.rolesBody()) }
    }
}

/// The body of `POST /emulator/users/modified`.
private struct TouchRequest: Decodable { var userIds: [String] }

/// `/emulator/…`: change the users while a client pulls.
///   POST /emulator/users            Search Users JSON (any envelope) → added as sign-ups now
///   POST /emulator/users/modified   {"userIds":[…]} → modified now
struct ControlRoutes<Context: RequestContext> {
    let store: DescopeStore

    func register(on router: Router<Context>) {
        let store = self.store
        let control = router.group("emulator")
        control.post("users") { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) else {
                return DescopeReply.badRequest("the body is not JSON")
            }
            let objects: [[String: Any]]
            if let list = parsed as? [[String: Any]] {
                objects = list
            } else if let envelope = parsed as? [String: Any] {
                objects = envelope["users"] as? [[String: Any]] ?? (envelope["user"] as? [String: Any]).map { [$0] } ?? [envelope]
            } else {
                return DescopeReply.badRequest("expected a user object, an array of them, or {\"users\":[…]}")
            }
            do {
                let ids = try store.addUsers(objects)
                let data = try JSONSerialization.data(withJSONObject: ["userIds": ids], options: [.sortedKeys])
                return DescopeReply.json(.created, Array(data))
            } catch let error as DescopeStoreError {
                return DescopeReply.error(.conflict, code: "E_CONFLICT", description: "Conflict", message: error.description)
            }
        }
        control.post("users/modified") { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            guard let touch = try? JSONDecoder().decode(TouchRequest.self, from: Data(body.readableBytesView)) else {
                return DescopeReply.badRequest("expected {\"userIds\":[…]}")
            }
            let touched = store.touch(userIds: touch.userIds)
            let data = try JSONSerialization.data(withJSONObject: ["modified": touched], options: [.sortedKeys])
            return DescopeReply.json(.ok, Array(data))
        }
    }
}
