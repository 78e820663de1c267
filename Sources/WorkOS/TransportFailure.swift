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
        if let error = error as? HTTPClientError { return "transport failure: \(error)" }
        return "transport failure: \(String(describing: type(of: error))): \(error)"
    }
}
