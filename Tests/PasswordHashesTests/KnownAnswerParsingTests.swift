import Foundation
import Testing
@testable import PasswordHashes

/// Every spelling in the published known-answer vectors parses to exactly the bytes and parameters
/// the vector's `components` list, and every positive vector parses at all.
@Suite struct KnownAnswerParsingTests {
    static func expectMatches(_ h: PasswordHash, _ c: [String: Any], _ id: String, _ text: String) {
        if let prf = c["prf"] as? String {
            #expect(h.family == .pbkdf2, "\(id)")
            #expect(h.variant == prf.replacingOccurrences(of: "HMAC-", with: "").lowercased(), "\(id)")
            #expect(h.param("i") == (c["iterations"] as? NSNumber)?.uint64Value, "\(id)")
            #expect(h.salt == TestData.bytes(hex: c["salt_hex"] as? String ?? ""), "\(id) salt")
            #expect(h.digest == TestData.bytes(hex: c["dk_hex"] as? String ?? ""), "\(id) dk")
            #expect(h.digest.count == (c["dklen"] as? Int), "\(id) dklen")
        } else if let prefix = c["prefix"] as? String {
            #expect(h.family == .bcrypt && h.variant == prefix, "\(id)")
            #expect(h.param("cost") == (c["cost"] as? NSNumber)?.uint64Value, "\(id)")
            #expect(h.salt == TestData.bytes(hex: c["salt_hex"] as? String ?? ""), "\(id) salt")
            #expect(h.digest == TestData.bytes(hex: c["hash_hex_23B"] as? String ?? ""), "\(id) hash")
            #expect(h.original == text, "\(id) bcrypt is kept byte for byte")
        } else if let version = c["version"] as? NSNumber {
            #expect(h.family == .argon2, "\(id)")
            #expect(h.param("v") == version.uint64Value && h.param("t") == (c["t_cost"] as? NSNumber)?.uint64Value, "\(id)")
            #expect(h.param("m") == (c["m_cost_kib"] as? NSNumber)?.uint64Value && h.param("p") == (c["lanes"] as? NSNumber)?.uint64Value, "\(id)")
            #expect(h.salt == TestData.bytes(hex: c["salt_hex"] as? String ?? ""), "\(id) salt")
            #expect(h.digest == TestData.bytes(hex: c["tag_hex"] as? String ?? ""), "\(id) tag")
            let ad = TestData.bytes(hex: c["ad_hex"] as? String ?? "")
            #expect((h.extra("data") ?? []) == ad, "\(id) data=")
        }
    }

    @Test func everySpellingOfEveryVectorParsesToItsComponents() throws {
        var checked = 0
        for v in try TestData.knownAnswerVectors {
            let id = v["id"] as? String ?? "?"
            let positive = v["expected_valid"] as? Bool ?? false
            for key in ["encoded", "phc", "phc_rustcrypto_style", "phc_alt_sha1"] {
                guard let text = v[key] as? String else { continue }
                let parsed = HashDetector.detect(text)
                if positive || key != "encoded" {
                    #expect(parsed.value != nil, "\(id) \(key) must parse: \(parsed.error?.code ?? "")")
                }
                if let h = parsed.value, let c = v["components"] as? [String: Any] {
                    Self.expectMatches(h, c, "\(id) \(key)", text)
                    checked += 1
                }
            }
        }
        #expect(checked > 160)
    }

    @Test func theRewriteOfEveryParsedVectorRoundTrips() throws {
        var checked = 0
        for v in try TestData.knownAnswerVectors {
            for key in ["encoded", "phc", "phc_rustcrypto_style", "phc_alt_sha1"] {
                guard let text = v[key] as? String, let h = HashDetector.detect(text).value,
                      let form = h.workOSForm().value else { continue }
                let again = HashDetector.detect(form.string)
                #expect(again.value?.meaning == h.meaning, "\(v["id"] ?? "") \(key)")
                #expect(again.value?.workOSForm().value == form, "\(v["id"] ?? "") \(key): the WorkOS string is a fixed point")
                checked += 1
            }
        }
        #expect(checked > 150)
    }
}
