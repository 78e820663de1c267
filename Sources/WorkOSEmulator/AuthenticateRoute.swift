import Foundation
import GRDB
import Hummingbird
import WorkOS

/// `POST /user_management/authenticate` with `grant_type=password`: the imported hash is verified with
/// PasswordHashes, so a migrated user logs in with the old password or not at all.
struct AuthenticateRoute {
    let api: EmulatorAPI

    func register(on router: Router<EmulatorContext>) {
        let api = self.api
        router.post("/user_management/authenticate") { request, context in
            try await api.handle(request, context, kind: .login) { try await authenticate($0) }
        }
    }

    private static let invalidCredentials = APIReply.error(400, code: "invalid_credentials",
                                                           message: "Invalid credentials.")

    private func authenticate(_ incoming: EmulatorAPI.Incoming) async throws -> APIReply {
        let body = try BodyDecoding.decode(AuthenticateRequest.self, from: incoming.body).get()
        guard api.configuration.accepts(key: body.clientSecret) else {
            await api.counters.record { $0.unauthorized += 1 }
            return .unauthorized
        }
        guard body.grantType == "password" else {
            return .error(400, code: "unsupported_grant_type", message: "grant_type must be password here.")
        }
        guard !body.clientId.isEmpty else {
            return .invalid(field: "client_id", code: "client_id_required", message: "client_id is required.")
        }
        if let limiter = api.loginLimiter, let wait = await limiter.admit(email: emailKey(body.email)) {
            return .rateLimited(retryAfter: wait)
        }
        let email = body.email
        guard let stored = try await api.store.read({ db in try UserTable.find(db, email: email) }),
              let hash = stored.passwordHash, let type = stored.passwordHashType else {
            return Self.invalidCredentials
        }
        // Verification is slow by design (bcrypt, Argon2): it runs outside the database queue.
        guard PasswordCheck.matches(password: body.password, type: type, hash: hash) else {
            return Self.invalidCredentials
        }
        let now = Timestamp.now()
        let id = stored.user.id
        try await api.store.queue.write { db in
            try db.execute(sql: "UPDATE users SET last_sign_in_at = ? WHERE id = ?", arguments: [now, id])
        }
        var user = stored.user
        user.lastSignInAt = now
        return .json(200, AuthenticateResponse(user: user, accessToken: Self.token("at"),
                                               refreshToken: Self.token("rt")))
    }

    private static func token(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + "_" + Data(bytes).base64EncodedString()
    }
}
