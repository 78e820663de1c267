// What the API clients and the emulators read from the other side of a connection. The first byte picks the reader:
// WorkOS error bodies (decode → encode → decode gives the same), Retry-After (a wait within [0, cap]), the WorkOS
// emulator's request bodies (a value or a 4xx refusal, never a crash), WorkOS answers the client decodes, and the pull's
// Search Users answer scanner (every user found is a `{…}` inside the text, in order, none overlapping).
import DescopeAPI
import Foundation
import FuzzSupport
import HTTPRetry
import WorkOS
@testable import WorkOSEmulator

private func errorBody(_ body: Data) {
    guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) else { return }
    guard let encoded = try? JSONEncoder().encode(decoded) else { fatalError("fuzz oracle: a decoded error body does not encode") }
    // An empty `errors` is not written: [] and absent mean the same.
    let again = try? JSONDecoder().decode(ErrorBody.self, from: encoded)
    require(again?.code == decoded.code && again?.message == decoded.message && (again?.errors ?? []) == (decoded.errors ?? []),
            "an error body changes through encode and decode")
}

private func retryAfter(_ body: Data) {
    let cap = Duration.seconds(60)
    guard let wait = RetryAfter.parse(String(decoding: body, as: UTF8.self), now: 1_800_000_000, cap: cap) else { return }
    require(wait >= .zero && wait <= cap, "Retry-After gave a wait of \(wait), outside 0…\(cap)")
}

private func searchAnswer(_ body: Data) {
    let bytes = [UInt8](body)
    func check(_ users: [UserElement]) {
        var end = 0
        for user in users {
            require(user.range.lowerBound >= end && user.range.upperBound <= bytes.count, "a user's range \(user.range) is outside the text or overlaps")
            require(bytes[user.range.lowerBound] == UInt8(ascii: "{") && bytes[user.range.upperBound - 1] == UInt8(ascii: "}"),
                    "a user's range \(user.range) is not an object")
            end = user.range.upperBound
        }
    }
    if let (users, _) = try? UserElements.answer(bytes) { check(users) }
    if let users = try? UserElements.anyEnvelope(bytes) { check(users) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIBodies(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Data(bytes: data + 1, count: size - 1)
    let bytes = [UInt8](body)
    switch data[0] % 10 {
    case 0: errorBody(body)
    case 1: retryAfter(body)
    case 2: _ = BodyDecoding.decode(CreateUserRequest.self, from: bytes)
    case 3: _ = BodyDecoding.decode(UpdateUserRequest.self, from: bytes)
    case 4: _ = BodyDecoding.decode(CreateOrganizationRequest.self, from: bytes)
    case 5: _ = BodyDecoding.decode(CreateMembershipRequest.self, from: bytes)
    case 6: _ = BodyDecoding.decode(AuthenticateRequest.self, from: bytes)
    case 7: _ = try? JSONDecoder().decode(ListResponse<User>.self, from: body)
    case 8: _ = try? JSONDecoder().decode(ListResponse<OrganizationMembership>.self, from: body)
    default: searchAnswer(body)
    }
    return 0
}
