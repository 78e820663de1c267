/// Body of `POST /user_management/authenticate` with `grant_type: "password"`.
public struct AuthenticateRequest: Codable, Sendable, Hashable {
    public var grantType: String
    public var clientId: String
    /// The API key, as WorkOS asks for it in this body.
    public var clientSecret: String
    public var email: String
    public var password: String

    public init(clientId: String, clientSecret: String, email: String, password: String) {
        self.grantType = "password"; self.clientId = clientId; self.clientSecret = clientSecret
        self.email = email; self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case grantType = "grant_type", clientId = "client_id", clientSecret = "client_secret"
    }

    /// The JSON body written straight from the password's bytes (escaped as JSON requires; invalid UTF-8 is
    /// sent as U+FFFD, as a String would be).
    static func body(clientId: String, clientSecret: String, email: String, password: UnsafeRawBufferPointer)
        -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + clientId.utf8.count + clientSecret.utf8.count + email.utf8.count
                            + password.count * 6)  // room for every escape: no reallocation leaves a copy behind
        func field(_ name: String, _ bytes: some Sequence<UInt8>, last: Bool = false) {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: Array("\":\"".utf8))
            JSONStringBytes.append(bytes, to: &out)
            out.append(UInt8(ascii: "\""))
            if !last { out.append(UInt8(ascii: ",")) }
        }
        out.append(UInt8(ascii: "{"))
        field("grant_type", "password".utf8)
        field("client_id", clientId.utf8)
        field("client_secret", clientSecret.utf8)
        field("email", email.utf8)
        field("password", password, last: true)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// The inside of a JSON string from bytes: `"`, `\\` and control characters escaped; invalid UTF-8 replaced.
enum JSONStringBytes {
    static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                switch scalar.value {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0..<0x20:
                    out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 15)]]
                default:
                    UTF8.encode(scalar) { out.append($0) }
                }
            case .error:
                UTF8.encode("\u{FFFD}") { out.append($0) }
            case .emptyInput:
                break loop
            }
        }
    }
}

/// The answer to a successful authenticate: the user and their session tokens.
public struct AuthenticateResponse: Codable, Sendable, Hashable {
    public var user: User
    public var organizationId: String?
    public var accessToken: String
    public var refreshToken: String
    public var authenticationMethod: String?

    public init(user: User, organizationId: String? = nil, accessToken: String, refreshToken: String,
                authenticationMethod: String? = "Password") {
        self.user = user; self.organizationId = organizationId; self.accessToken = accessToken
        self.refreshToken = refreshToken; self.authenticationMethod = authenticationMethod
    }

    enum CodingKeys: String, CodingKey {
        case user
        case organizationId = "organization_id", accessToken = "access_token"
        case refreshToken = "refresh_token", authenticationMethod = "authentication_method"
    }
}
