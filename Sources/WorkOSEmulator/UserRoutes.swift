import GRDB
import Hummingbird
import WorkOS

/// `/user_management/users`: create, update, delete, get, get by external id, list.
struct UserRoutes {
    let api: EmulatorAPI

    func register(on router: Router<EmulatorContext>) {
        let api = self.api
        router.post("/user_management/users") { request, context in
            try await api.handle(request, context, kind: .write(limited: true)) { try await create($0) }
        }
        router.put("/user_management/users/:id") { request, context in
            try await api.handle(request, context, kind: .write(limited: true), parameterNames: ["id"]) {
                try await update($0)
            }
        }
        router.delete("/user_management/users/:id") { request, context in
            try await api.handle(request, context, kind: .write(limited: true), parameterNames: ["id"]) { incoming in
                let id = incoming.parameters["id"] ?? ""
                return try await api.write(incoming) { db in
                    try UserTable.delete(db, id: id) ? .accepted : .notFound("User", id: id)
                }
            }
        }
        router.get("/user_management/users/external_id/:external_id") { request, context in
            try await api.handle(request, context, kind: .read, parameterNames: ["external_id"]) { incoming in
                let externalId = incoming.parameters["external_id"] ?? ""
                return try await api.store.read { db in
                    guard let user = try UserTable.find(db, externalId: externalId) else {
                        return .notFound("User", id: externalId)
                    }
                    return .json(200, user.user)
                }
            }
        }
        router.get("/user_management/users/:id") { request, context in
            try await api.handle(request, context, kind: .read, parameterNames: ["id"]) { incoming in
                let id = incoming.parameters["id"] ?? ""
                return try await api.store.read { db in
                    guard let user = try UserTable.find(db, id: id) else { return .notFound("User", id: id) }
                    return .json(200, user.user)
                }
            }
        }
        router.get("/user_management/users") { request, context in
            try await api.handle(request, context, kind: .read) { incoming in
                let q = incoming.query
                let page = try PageRequest.parse(limit: q["limit"], after: q["after"], before: q["before"],
                                                 order: q["order"]).get()
                return try await api.store.read { db in
                    return .json(200, try UserTable.list(db, email: q["email"], organizationId: q["organization_id"],
                                                         page: page))
                }
            }
        }
    }

    private func create(_ incoming: EmulatorAPI.Incoming) async throws -> APIReply {
        let body = try BodyDecoding.decode(CreateUserRequest.self, from: incoming.body).get()
        if let refusal = UserValidation.email(body.email) ?? UserValidation.externalId(body.externalId)
            ?? UserValidation.metadata(body.metadata) { return refusal.reply }
        let password = try UserValidation.password(plain: body.password, hash: body.passwordHash,
                                                   type: body.passwordHashType,
                                                   saltPosition: body.passwordSaltPosition).get()
        return try await api.write(incoming) { db in
            if try UserTable.find(db, email: body.email) != nil { throw UserValidation.emailNotAvailable() }
            if let externalId = body.externalId, try UserTable.find(db, externalId: externalId) != nil {
                throw UserValidation.externalIdAlreadyUsed()
            }
            let now = Timestamp.now()
            let user = User(id: ObjectID.make("user"), email: body.email, firstName: body.firstName,
                            lastName: body.lastName, emailVerified: body.emailVerified ?? false,
                            externalId: body.externalId, metadata: body.metadata ?? [:], createdAt: now, updatedAt: now)
            try UserTable.insert(db, StoredUser(user: user, passwordHash: password?.hash,
                                                passwordHashType: password?.type,
                                                passwordSaltPosition: body.passwordSaltPosition))
            return .json(201, user)
        }
    }

    private func update(_ incoming: EmulatorAPI.Incoming) async throws -> APIReply {
        let id = incoming.parameters["id"] ?? ""
        let body = try BodyDecoding.decode(UpdateUserRequest.self, from: incoming.body).get()
        if let email = body.email, let refusal = UserValidation.email(email) { return refusal.reply }
        if let refusal = UserValidation.externalId(body.externalId) ?? UserValidation.metadata(body.metadata) {
            return refusal.reply
        }
        let password = try UserValidation.password(plain: body.password, hash: body.passwordHash,
                                                   type: body.passwordHashType,
                                                   saltPosition: body.passwordSaltPosition).get()
        return try await api.write(incoming) { db in
            guard var stored = try UserTable.find(db, id: id) else { throw Refusal(.notFound("User", id: id)) }
            if let email = body.email, emailKey(email) != emailKey(stored.user.email) {
                if try UserTable.find(db, email: email) != nil {
                    throw Refusal(.error(400, code: "user_update_error", message: "Could not update user.",
                                         errors: [ErrorBody.Detail(code: "email_not_available",
                                                                   message: "This email is not available.")]))
                }
                stored.user.email = email
            }
            if let externalId = body.externalId, externalId != stored.user.externalId {
                if try UserTable.find(db, externalId: externalId) != nil {
                    throw UserValidation.externalIdAlreadyUsed("user_update_error")
                }
                stored.user.externalId = externalId
            }
            if let value = body.firstName { stored.user.firstName = value }
            if let value = body.lastName { stored.user.lastName = value }
            if let value = body.emailVerified { stored.user.emailVerified = value }
            if let metadata = body.metadata {
                stored.user.metadata.merge(metadata) { _, new in new }
                if let refusal = UserValidation.metadata(stored.user.metadata) { throw refusal }
            }
            if let password {
                stored.passwordHash = password.hash
                stored.passwordHashType = password.type
                stored.passwordSaltPosition = body.passwordSaltPosition
            }
            stored.user.updatedAt = Timestamp.now()
            try UserTable.update(db, stored)
            return .json(200, stored.user)
        }
    }
}
