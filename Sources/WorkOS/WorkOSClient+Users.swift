extension WorkOSClient {
    /// `POST /user_management/users`. Pass the same `idempotencyKey` for every try of one logical create
    /// (the client itself reuses it across its retries).
    public func createUser(_ body: CreateUserRequest, idempotencyKey: String? = nil) async throws
        -> WorkOSResponse<User> {
        try await performRequired(Call(method: .POST, path: "/user_management/users", body: try encodeBody(body),
                                       idempotencyKey: self.idempotencyKey(idempotencyKey)), as: User.self)
    }

    /// `PUT /user_management/users/{id}`: omitted fields stay as they are.
    public func updateUser(id: String, _ body: UpdateUserRequest) async throws -> WorkOSResponse<User> {
        try await performRequired(Call(method: .PUT, path: "/user_management/users/" + QueryString.escape(id),
                                       body: try encodeBody(body)), as: User.self)
    }

    /// `GET /user_management/users/{id}`; a missing user throws a 404 `WorkOSError`.
    public func getUser(id: String) async throws -> WorkOSResponse<User> {
        try await performRequired(Call(method: .GET, path: "/user_management/users/" + QueryString.escape(id)),
                                  as: User.self)
    }

    /// `GET /user_management/users/{id}`; nil when there is no such user (404).
    public func findUser(id: String) async throws -> WorkOSResponse<User?> {
        try await perform(Call(method: .GET, path: "/user_management/users/" + QueryString.escape(id)),
                          as: User.self, notFoundIsNil: true)
    }

    /// `DELETE /user_management/users/{id}` (WorkOS deletes the user's memberships with it). False when the user
    /// was already gone (404); a user WorkOS will not delete is a 409 `WorkOSError` (`user_deletion_not_allowed`).
    public func deleteUser(id: String) async throws -> WorkOSResponse<Bool> {
        try await deleted(Call(method: .DELETE, path: "/user_management/users/" + QueryString.escape(id)))
    }

    /// `GET /user_management/users/external_id/{external_id}`; nil when no user has it (404).
    public func getUserByExternalId(_ externalId: String) async throws -> WorkOSResponse<User?> {
        try await perform(Call(method: .GET,
                               path: "/user_management/users/external_id/" + QueryString.escape(externalId)),
                          as: User.self, notFoundIsNil: true)
    }

    /// `GET /user_management/users` filtered by `email` and paged with `after`/`before` (limit 1–100).
    public func listUsers(email: String? = nil, organizationId: String? = nil, after: String? = nil,
                          before: String? = nil, limit: Int? = nil, order: String? = nil) async throws
        -> WorkOSResponse<ListResponse<User>> {
        var query: [(String, String)] = []
        if let email { query.append(("email", email)) }
        if let organizationId { query.append(("organization_id", organizationId)) }
        if let after { query.append(("after", after)) }
        if let before { query.append(("before", before)) }
        if let limit { query.append(("limit", String(limit))) }
        if let order { query.append(("order", order)) }
        return try await performRequired(Call(method: .GET, path: "/user_management/users", query: query),
                                         as: ListResponse<User>.self)
    }

    /// The user with this email, if any (`GET /user_management/users?email=`): the check after a
    /// duplicate email or an ambiguous create.
    public func findUser(email: String) async throws -> WorkOSResponse<User?> {
        let page = try await listUsers(email: email, limit: 1)
        let target = email.lowercased()
        let match = page.value.data.first { $0.email.lowercased() == target }
        return WorkOSResponse(value: match, requestId: page.requestId, attempts: page.attempts)
    }

    /// `POST /user_management/authenticate` with `grant_type=password`: the API key is the client secret.
    /// A wrong password is a 400 `WorkOSError` (code `invalid_credentials`).
    public func authenticate(clientId: String, email: String, password: String) async throws
        -> WorkOSResponse<AuthenticateResponse> {
        let body = AuthenticateRequest(clientId: clientId, clientSecret: apiKeySecret, email: email,
                                       password: password)
        return try await performRequired(Call(method: .POST, path: "/user_management/authenticate",
                                              body: try encodeBody(body)), as: AuthenticateResponse.self)
    }

    /// The same, with the password as bytes: it never becomes a String, and the request body that holds it is
    /// wiped once sent (AsyncHTTPClient's own copy of the body is freed, not wiped).
    public func authenticate(clientId: String, email: String, password: UnsafeRawBufferPointer) async throws
        -> WorkOSResponse<AuthenticateResponse> {
        var body = AuthenticateRequest.body(clientId: clientId, clientSecret: apiKeySecret, email: email,
                                            password: password)
        defer { body.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return try await performRequired(Call(method: .POST, path: "/user_management/authenticate", body: body),
                                         as: AuthenticateResponse.self)
    }
}
