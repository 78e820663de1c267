import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WorkOS
import WorkOSEmulator

/// What every answer carries, checked on the wire without the client's interpretation.
@Suite struct RawHTTPTests {
    private func send(_ method: HTTPMethod, _ url: String, key: String? = testKey, body: String? = nil) async throws
        -> (status: Int, requestId: String?, json: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), response.headers.first(name: "X-Request-Id"), json)
    }

    @Test func everyAnswerHasARequestIdAndAJSONBody() async throws {
        try await withEmulator { emulator, _ in
            let base = try #require(emulator.baseURL)
            let created = try await send(.POST, base + "/user_management/users", body: #"{"email":"raw@example.com"}"#)
            #expect(created.status == 201)
            #expect(created.json["object"] as? String == "user")
            let unauthorized = try await send(.GET, base + "/user_management/users", key: "sk_live_nope")
            #expect(unauthorized.status == 401)
            let unknown = try await send(.GET, base + "/user_management/nothing_here")
            #expect(unknown.status == 404)
            #expect(unknown.json["code"] as? String == "not_found")
            let malformed = try await send(.POST, base + "/user_management/users", body: "{not json")
            #expect(malformed.status == 422)
            let missingEmail = try await send(.POST, base + "/user_management/users", body: #"{"first_name":"X"}"#)
            #expect(missingEmail.status == 422)
            #expect(missingEmail.json["code"] as? String == "invalid_request_parameters")
            let ids = [created, unauthorized, unknown, malformed, missingEmail].map(\.requestId)
            #expect(ids.allSatisfy { $0?.hasPrefix("req_") == true })
            #expect(Set(ids.compactMap { $0 }).count == ids.count)
        }
    }
}
