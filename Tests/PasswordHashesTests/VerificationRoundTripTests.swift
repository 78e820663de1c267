import Foundation
import Testing
import PasswordHashes

/// Every spelling of TestVectors/roundtrip.json: the source spelling and its rewritten WorkOS string must
/// give the same verification answer (DESIGN §4 / issue 2: "verifying the source spelling and the rewritten
/// WorkOS string must agree for every input").
@Suite("Verification: source spelling and WorkOS string agree")
struct VerificationRoundTripTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let input: String
        let saltEncoding: SaltEncoding
        let password: [UInt8]
        let verifies: Bool
        var testDescription: String { id }
    }

    static let cases: [Case] = {
        let url = VerificationVector.fileURL.deletingLastPathComponent().appendingPathComponent("roundtrip.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["cases"] as? [[String: Any]] else { return [] }
        return list.compactMap { c in
            guard let id = c["id"] as? String, let input = c["input"] as? String,
                  let password = hexBytes(c["password_hex"] as? String), let verifies = c["verify"] as? Bool
            else { return nil }
            let encoding = SaltEncoding(rawValue: c["salt_encoding"] as? String ?? "auto") ?? .auto
            return Case(id: id, input: input, saltEncoding: encoding, password: password, verifies: verifies)
        }
    }()

    static func detect(_ input: String, _ encoding: SaltEncoding) -> Result<PasswordHash, HashProblem> {
        return HashDetector.detect(input, saltEncoding: encoding)
    }

    @Test func casesAreLoaded() {
        #expect(Self.cases.count >= 50)
        #expect(Self.cases.filter(\.verifies).count >= 40)
    }

    @Test(arguments: cases)
    func sourceAndWorkOSStringVerifyAlike(_ c: Case) throws {
        let parsed = Self.detect(c.input, c.saltEncoding)
        guard c.verifies else {
            // Refused or unknown families: never a match (a `$2x$` hash may verify, but not with this UTF-8 password).
            if case .success(let hash) = parsed {
                #expect(PasswordVerifier.verify(c.password, against: hash) != .success(true), "\(c.id)")
            }
            return
        }
        let source = try #require(parsed.value, "\(c.id): \(parsed)")
        #expect(PasswordVerifier.verify(c.password, against: source) == .success(true), "\(c.id) source spelling")
        #expect(PasswordVerifier.verify(c.password + [0x21], against: source) == .success(false), "\(c.id) wrong password")
        guard case .success(let form) = source.workOSForm() else { return }  // e.g. PBKDF2-SHA1: no WorkOS string
        let rewritten = try #require(HashDetector.detect(form.string).value, "\(c.id): WorkOS string unreadable")
        #expect(PasswordVerifier.verify(c.password, against: rewritten) == .success(true), "\(c.id) WorkOS string")
        #expect(PasswordVerifier.verify(c.password + [0x21], against: rewritten) == .success(false), "\(c.id) WorkOS string, wrong password")
    }
}
