// The retry timing moved to HTTPRetry (shared with the Descope client); every `import WorkOS` still sees it.
@_exported import HTTPRetry

extension RetryPolicy {
    /// True when `error`, after `attempt` sends (1-based), is worth sending again: 408, 429, 5xx and transport
    /// failures, never a refused key.
    public func shouldRetry(_ error: WorkOSError, afterAttempt attempt: Int) -> Bool {
        attempt < maxAttempts && error.isRetryable && !error.isAPIKeyRejected
    }

    /// The wait after a 429: `Retry-After` when given (capped), else the backoff.
    public func delay(after error: WorkOSError, retry: Int) -> Duration {
        delay(retryAfter: error.retryAfter, retry: retry)
    }
}
