import Foundation
import HTTPTypes
import Hummingbird

/// Answers in Descope's shape: a JSON body, and errors as `{"errorCode","errorDescription","errorMessage",
/// "message"}` (the codes are the emulator's own; clients should read the status).
enum DescopeReply {
    static func json(_ status: HTTPResponse.Status = .ok, _ body: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func error(_ status: HTTPResponse.Status, code: String, description: String, message: String,
                      headers: HTTPFields = [:]) -> Response {
        let body: [String: String] = ["errorCode": code, "errorDescription": description, "errorMessage": message,
                                      "message": message]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return json(status, Array(data), headers: headers)
    }

    static func badRequest(_ message: String) -> Response {
        error(.badRequest, code: "E_BAD_REQUEST", description: "Request is invalid", message: message)
    }
}

/// The emulator's own controls (`/emulator/…`): no key, no latency, no faults.
extension Request {
    var isEmulatorControl: Bool { uri.path.hasPrefix("/emulator/") }
}
