/// Any failure of a WorkOS call: what WorkOS answered (status, code, sub-codes, message, request id) or,
/// when it did not answer, whether the request may still have been applied.
public struct WorkOSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether the request reached WorkOS.
    public enum Delivery: String, Sendable, Hashable, Codable {
        /// WorkOS answered; `status` says how.
        case answered
        /// The request never left (connection refused, connect timeout): safe to send again.
        case notSent = "not_sent"
        /// Sent, but the answer was lost (timeout or connection drop): it may have been applied.
        /// Resolve by looking the object up before treating it as missing.
        case ambiguous
    }

    public var delivery: Delivery
    /// HTTP status, nil when there was no answer.
    public var status: Int?
    /// WorkOS's `code`, e.g. `user_creation_error`, `invalid_password_hash`, `rate_limit_exceeded`.
    public var code: String?
    /// The `errors` entries, e.g. `[{code: "email_not_available"}]`.
    public var errors: [ErrorBody.Detail]
    public var message: String
    /// The `X-Request-Id` of the answer, for the error report and for WorkOS support.
    public var requestId: String?
    /// The wait WorkOS asked for with `Retry-After` (already capped).
    public var retryAfter: Duration?
    /// How many times the request was sent before giving up.
    public var attempts: Int

    public init(delivery: Delivery, status: Int? = nil, code: String? = nil, errors: [ErrorBody.Detail] = [],
                message: String, requestId: String? = nil, retryAfter: Duration? = nil, attempts: Int = 1) {
        self.delivery = delivery; self.status = status; self.code = code; self.errors = errors
        self.message = message; self.requestId = requestId; self.retryAfter = retryAfter; self.attempts = attempts
    }

    /// The sub-codes of `errors`, e.g. `["email_not_available"]`.
    public var subCodes: [String] { errors.map(\.code) }

    /// 408, 429, 5xx and every transport failure can succeed when sent again.
    public var isRetryable: Bool {
        guard let status else { return true }
        return status == 408 || status == 429 || (500...599).contains(status)
    }

    /// A failure that says WorkOS itself is not answering (no answer, 408, 5xx), as opposed to an answer about
    /// this one request: what the circuit breaker counts.
    public var isOutage: Bool {
        guard let status else { return true }
        return Self.isOutageStatus(status)
    }

    static func isOutageStatus(_ status: Int) -> Bool { status == 408 || (500...599).contains(status) }

    /// True when the request may have been applied although no answer came back.
    public var isAmbiguous: Bool { delivery == .ambiguous }

    /// WorkOS refused the API key: stop the whole run, every other request will fail the same way.
    public var isAPIKeyRejected: Bool { status == 401 }

    public var isNotFound: Bool { status == 404 }
    public var isRateLimited: Bool { status == 429 }

    /// True for a create-user refused because the email belongs to an existing user
    /// (`email_not_available`, or the older `user_already_exists`).
    public var isEmailNotAvailable: Bool {
        code == "user_already_exists" || subCodes.contains("email_not_available")
            || code == "email_not_available"
    }

    /// True when an `external_id` is taken by another user or organization.
    public var isExternalIdAlreadyUsed: Bool {
        code == "external_id_already_used" || subCodes.contains("external_id_already_used")
    }

    /// True for a membership that already exists.
    public var isMembershipAlreadyExists: Bool {
        code == "organization_membership_already_exists"
            || subCodes.contains("organization_membership_already_exists")
    }

    public var description: String {
        var parts: [String] = []
        if let status { parts.append("HTTP \(status)") } else { parts.append(delivery.rawValue) }
        if let code { parts.append(code) }
        if !errors.isEmpty { parts.append("[" + subCodes.joined(separator: ",") + "]") }
        var text = parts.joined(separator: " ") + ": " + message
        if let requestId { text += " (request \(requestId))" }
        return text
    }

    /// The message for a refused key; deliberately says nothing of the key itself.
    public static let apiKeyRejectedMessage = "WorkOS rejected the API key (401): check WORKOS_API_KEY"
}
