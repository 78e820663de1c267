import Foundation

/// A JSON body in one spelling (sorted keys, no spaces), so an Idempotency-Key replay matches the same
/// request however its encoder ordered the keys.
enum CanonicalJSON {
    static func bytes(_ body: [UInt8]) -> [UInt8] {
        guard !body.isEmpty,
              let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else { return body }
        return Array(data)
    }
}
