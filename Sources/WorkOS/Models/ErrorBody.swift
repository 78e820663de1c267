/// The JSON body of a WorkOS error: `{"code":"…","message":"…","errors":[{"code":"…","message":"…"}]}`.
public struct ErrorBody: Codable, Sendable, Hashable {
    public var code: String?
    public var message: String?
    public var errors: [Detail]?

    public init(code: String?, message: String?, errors: [Detail]? = nil) {
        self.code = code; self.message = message; self.errors = errors
    }

    /// One entry of `errors`: a sub-code such as `email_not_available`, sometimes naming a field.
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String?
        public var field: String?
        public init(code: String, message: String? = nil, field: String? = nil) {
            self.code = code; self.message = message; self.field = field
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(code, forKey: .code)
        try c.encodeIfPresent(message, forKey: .message)
        if let errors, !errors.isEmpty { try c.encode(errors, forKey: .errors) }
    }
}
