import AsyncHTTPClient
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Decides whether a failed send without an answer may have reached WorkOS.
enum TransportFailure {
    /// Only failures that happen before the connection exists are `.notSent`; anything later is
    /// `.ambiguous`, because the request bytes may have been read and applied.
    static func delivery(of error: any Error) -> WorkOSError.Delivery {
        if let error = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [
                .connectTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown,
            ]
            return beforeSending.contains(error) ? .notSent : .ambiguous
        }
        if error is NIOConnectionError { return .notSent }
        if let error = error as? ChannelError, case .connectTimeout = error { return .notSent }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return .notSent }
        return .ambiguous
    }

    /// A short description of the failure with nothing from the request in it.
    static func message(of error: any Error) -> String {
        "transport failure: " + cause(of: error)
    }

    /// The failure in a few words a user can act on: `connection refused`, `timed out`, `host not found`.
    static func cause(of error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout: return "timed out connecting"
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed without an answer"
            case .tlsHandshakeTimeout: return "TLS handshake timed out"
            case .invalidURL, .emptyHost, .emptyScheme: return "invalid URL"
            default: return "\(error)"
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return "host \(error.host) not found"
            }
            if let first = error.connectionErrors.first { return cause(of: first.error) }
            return "cannot connect to \(error.host):\(error.port)"
        }
        if let error = error as? IOError { return errnoCause(error.errnoCode) }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return "timed out connecting"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return "connection closed without an answer"
            default: return "\(error)"
            }
        }
        if let error = error as? SocketAddressError.UnknownHost { return "host \(error.host) not found" }
        if error is SocketAddressError { return "host not found (\(error))" }
        return "\(String(describing: type(of: error))): \(error)"
    }

    private static func errnoCause(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset"
        case ETIMEDOUT: return "timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case EPIPE: return "connection closed without an answer"
        default: return String(cString: strerror(code))
        }
    }
}
