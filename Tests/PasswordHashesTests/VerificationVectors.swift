import Foundation
import Testing
import PasswordHashes

/// The published known-answer vectors (TestVectors/known-answer-vectors.json), turned into `PasswordHash`
/// values without the formats parser: from `components` where given, else from the literal string.
struct VerificationVector: Sendable, CustomTestStringConvertible {
    let id: String
    let algorithm: String
    let format: String
    let password: [UInt8]
    let expectedValid: Bool
    let hash: PasswordHash?

    var testDescription: String { id }

    static let all: [VerificationVector] = load()

    static func named(_ id: String) -> VerificationVector? { all.first { $0.id == id } }

    static var fileURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestVectors/known-answer-vectors.json")
    }

    private static func load() -> [VerificationVector] {
        guard let data = try? Data(contentsOf: fileURL),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { entry in
            guard let id = entry["id"] as? String, let algorithm = entry["algorithm"] as? String,
                  let passwordHex = entry["password_hex"] as? String, let password = hexBytes(passwordHex),
                  let valid = entry["expected_valid"] as? Bool else { return nil }
            let format = entry["format"] as? String ?? ""
            return VerificationVector(id: id, algorithm: algorithm, format: format, password: password,
                                      expectedValid: valid, hash: makeHash(algorithm, entry))
        }
    }

    private static func makeHash(_ algorithm: String, _ entry: [String: Any]) -> PasswordHash? {
        let components = entry["components"] as? [String: Any]
        let encoded = entry["encoded"] as? String
        if algorithm.hasPrefix("pbkdf2-"), let c = components {
            guard let salt = hexBytes(c["salt_hex"] as? String), let dk = hexBytes(c["dk_hex"] as? String),
                  let iterations = (c["iterations"] as? NSNumber)?.uint64Value else { return nil }
            return PasswordHash(family: .pbkdf2, variant: String(algorithm.dropFirst("pbkdf2-".count)),
                                params: [.init("i", iterations)], salt: salt, digest: dk, spelling: "components")
        }
        if algorithm.hasPrefix("argon2"), let c = components {
            guard let salt = hexBytes(c["salt_hex"] as? String), let tag = hexBytes(c["tag_hex"] as? String),
                  let v = (c["version"] as? NSNumber)?.uint64Value, let m = (c["m_cost_kib"] as? NSNumber)?.uint64Value,
                  let t = (c["t_cost"] as? NSNumber)?.uint64Value, let p = (c["lanes"] as? NSNumber)?.uint64Value
            else { return nil }
            var extras: [PasswordHash.Extra] = []
            if let ad = hexBytes(c["ad_hex"] as? String), !ad.isEmpty { extras.append(.init("data", ad)) }
            if let secret = hexBytes(c["secret_hex"] as? String), !secret.isEmpty { extras.append(.init("secret", secret)) }
            return PasswordHash(family: .argon2, variant: algorithm,
                                params: [.init("v", v), .init("m", m), .init("t", t), .init("p", p)],
                                salt: salt, digest: tag, extras: extras, spelling: "components")
        }
        if algorithm.hasPrefix("argon2"), let text = encoded { return argon2PHC(text) }
        if algorithm == "bcrypt", let text = encoded { return bcryptMCF(text) }
        return nil
    }

    /// bcrypt: only the prefix and cost are read; the verifier works from the whole string.
    static func bcryptMCF(_ text: String) -> PasswordHash? {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].isEmpty else { return nil }
        return PasswordHash(family: .bcrypt, variant: String(parts[1]),
                            params: UInt64(parts[2]).map { [.init("cost", $0)] } ?? [],
                            spelling: "mcf", original: text)
    }

    /// A deliberately plain PHC reader for test setup; strictness is the formats parser's job, not this one's.
    static func argon2PHC(_ text: String) -> PasswordHash? {
        var fields = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        if fields.first == "argon2" { fields[0] = "" }  // Django's `argon2$argon2i$…` wrapper
        guard fields.count >= 5, fields[0].isEmpty, fields[1].hasPrefix("argon2") else { return nil }
        let variant = fields[1]
        var params: [PasswordHash.Parameter] = []
        var extras: [PasswordHash.Extra] = []
        var rest = Array(fields.dropFirst(2))
        if rest[0].hasPrefix("v=") {
            guard let v = UInt64(rest[0].dropFirst(2)) else { return nil }
            params.append(.init("v", v))
            rest.removeFirst()
        } else {
            params.append(.init("v", 16))
        }
        guard rest.count == 3 else { return nil }
        for pair in rest[0].split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { return nil }
            if kv[0] == "data" || kv[0] == "keyid" {
                guard let bytes = base64(kv[1]) else { return nil }
                extras.append(.init(kv[0], bytes))
            } else {
                guard let n = UInt64(kv[1]) else { return nil }
                params.append(.init(kv[0], n))
            }
        }
        guard let salt = base64(rest[1]), let tag = base64(rest[2]) else { return nil }
        return PasswordHash(family: .argon2, variant: variant, params: params, salt: salt, digest: tag,
                            extras: extras, spelling: "phc", original: text)
    }

    static func base64(_ text: String) -> [UInt8]? {
        if text.isEmpty { return [] }
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }
}

func hexBytes(_ text: String?) -> [UInt8]? {
    guard let text, text.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(text.count / 2)
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        out.append(byte)
        index = next
    }
    return out
}

func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
