import Foundation

/// Decodes a JSON request body, turning every failure into the 422 WorkOS gives for bad parameters.
enum BodyDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> Result<T, Refusal> {
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(bytes)))
        } catch let DecodingError.keyNotFound(key, context) {
            let field = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return .failure(Refusal(.invalid(field: field, code: "\(field)_required", message: "\(field) is required.")))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .failure(Refusal(.invalid(field: field, code: "invalid_type",
                                             message: "\(field) has the wrong type.")))
        } catch {
            return .failure(Refusal(.error(422, code: "invalid_request_parameters",
                                           message: "The request body is not valid JSON.")))
        }
    }
}
