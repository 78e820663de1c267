import Foundation
@testable import PasswordHashes

/// The repository's TestVectors directory and JSON helpers shared by the tests.
enum TestData {
    static let vectorsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestVectors")

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: vectorsDirectory.appendingPathComponent(name)))
    }

    static var knownAnswerVectors: [[String: Any]] {
        get throws { try json("known-answer-vectors.json") as? [[String: Any]] ?? [] }
    }

    static var roundTripCases: [[String: Any]] {
        get throws { (try json("roundtrip.json") as? [String: Any])?["cases"] as? [[String: Any]] ?? [] }
    }

    static func bytes(hex: String) -> [UInt8] {
        guard case .success(let b) = HashEncoding.decodeHex(hex) else { return [] }
        return b
    }
}

extension PasswordHash {
    /// Everything that determines what the hash verifies, without how it was spelled.
    var meaning: String {
        "\(family.rawValue)|\(variant)|\(params.map { "\($0.name)=\($0.value)" })|\(salt)|\(digest)|\(extras.map { "\($0.name)=\($0.bytes)" })"
    }
}

extension Result {
    var value: Success? { if case .success(let v) = self { return v }; return nil }
    var error: Failure? { if case .failure(let e) = self { return e }; return nil }
}
