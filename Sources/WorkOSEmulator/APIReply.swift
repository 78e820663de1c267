import Foundation
import WorkOS

/// An answer before it is written: status and JSON body. Stored as is for idempotent replays.
struct APIReply: Sendable {
    var status: Int
    var body: [UInt8]
    /// Extra headers (`Retry-After`).
    var headers: [(String, String)] = []

    static func json(_ status: Int, _ value: some Encodable) -> APIReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
        return APIReply(status: status, body: body)
    }

    static func error(_ status: Int, code: String, message: String, errors: [ErrorBody.Detail] = []) -> APIReply {
        json(status, ErrorBody(code: code, message: message, errors: errors.isEmpty ? nil : errors))
    }

    /// 422 `invalid_request_parameters`, WorkOS's answer to a malformed field.
    static func invalid(field: String, code: String, message: String) -> APIReply {
        error(422, code: "invalid_request_parameters", message: "Validation failed.",
              errors: [ErrorBody.Detail(code: code, message: message, field: field)])
    }

    static func notFound(_ what: String, id: String) -> APIReply {
        error(404, code: "entity_not_found", message: "\(what) not found: '\(id)'.")
    }

    /// A delete's answer: 202 with no body.
    static let accepted = APIReply(status: 202, body: [])

    static let unauthorized = error(401, code: "unauthorized", message: "Unauthorized")

    static func rateLimited(retryAfter: Duration) -> APIReply {
        var reply = error(429, code: "rate_limit_exceeded", message: "Too many requests.")
        let (seconds, atto) = retryAfter.components
        reply.headers.append(("Retry-After", String(max(1, seconds + (atto > 0 ? 1 : 0)))))
        return reply
    }
}

/// A handler's refusal, thrown from inside a database transaction so the transaction rolls back.
struct Refusal: Error {
    var reply: APIReply
    init(_ reply: APIReply) { self.reply = reply }
}
