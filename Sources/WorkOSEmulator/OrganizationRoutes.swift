import GRDB
import Hummingbird
import WorkOS

/// `/organizations`: create, delete, get, get by external id.
struct OrganizationRoutes {
    let api: EmulatorAPI

    func register(on router: Router<EmulatorContext>) {
        let api = self.api
        router.post("/organizations") { request, context in
            try await api.handle(request, context, kind: .write(limited: false)) { try await create($0) }
        }
        // Not a /user_management write: WorkOS limits organization deletes on their own (50 per 60 s per key).
        router.delete("/organizations/:id") { request, context in
            try await api.handle(request, context, kind: .write(limited: false), parameterNames: ["id"]) { incoming in
                let id = incoming.parameters["id"] ?? ""
                return try await api.write(incoming) { db in
                    try OrganizationTable.delete(db, id: id) ? .accepted : .notFound("Organization", id: id)
                }
            }
        }
        router.get("/organizations/external_id/:external_id") { request, context in
            try await api.handle(request, context, kind: .read, parameterNames: ["external_id"]) { incoming in
                let externalId = incoming.parameters["external_id"] ?? ""
                return try await api.store.read { db in
                    guard let organization = try OrganizationTable.find(db, externalId: externalId) else {
                        return .notFound("Organization", id: externalId)
                    }
                    return .json(200, organization)
                }
            }
        }
        router.get("/organizations/:id") { request, context in
            try await api.handle(request, context, kind: .read, parameterNames: ["id"]) { incoming in
                let id = incoming.parameters["id"] ?? ""
                return try await api.store.read { db in
                    guard let organization = try OrganizationTable.find(db, id: id) else {
                        return .notFound("Organization", id: id)
                    }
                    return .json(200, organization)
                }
            }
        }
    }

    private func create(_ incoming: EmulatorAPI.Incoming) async throws -> APIReply {
        let body = try BodyDecoding.decode(CreateOrganizationRequest.self, from: incoming.body).get()
        if body.name.trimmingWhitespace().isEmpty {
            return .invalid(field: "name", code: "name_required", message: "name is required.")
        }
        if let refusal = UserValidation.externalId(body.externalId) ?? UserValidation.metadata(body.metadata) {
            return refusal.reply
        }
        for entry in body.domainData ?? [] where entry.domain.isEmpty || !["verified", "pending"].contains(entry.state) {
            return .invalid(field: "domain_data", code: "invalid_domain_data",
                            message: "Each domain_data entry needs a domain and a state of verified or pending.")
        }
        return try await api.write(incoming) { db in
            if let externalId = body.externalId, try OrganizationTable.find(db, externalId: externalId) != nil {
                throw Refusal(.error(400, code: "external_id_already_used",
                                     message: "An organization with this external_id already exists."))
            }
            let now = Timestamp.now()
            let domains = (body.domainData ?? []).map {
                OrganizationDomain(id: ObjectID.make("org_domain"), domain: $0.domain, state: $0.state)
            }
            let organization = Organization(id: ObjectID.make("org"), name: body.name, externalId: body.externalId,
                                            domains: domains, metadata: body.metadata ?? [:],
                                            createdAt: now, updatedAt: now)
            try OrganizationTable.insert(db, organization)
            return .json(201, organization)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
