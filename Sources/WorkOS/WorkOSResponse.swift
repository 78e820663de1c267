/// A decoded WorkOS answer with the request id to record and how many sends it took.
public struct WorkOSResponse<Value: Sendable>: Sendable {
    public var value: Value
    /// The `X-Request-Id` header of the answer.
    public var requestId: String?
    /// Sends including retries (1 when the first one succeeded).
    public var attempts: Int

    public init(value: Value, requestId: String?, attempts: Int) {
        self.value = value; self.requestId = requestId; self.attempts = attempts
    }
}
