import Testing
@testable import PasswordHashes

/// TestVectors/roundtrip.json: one case per spelling, expected WorkOS strings computed by Python
/// (hashlib, argon2-cffi, pyca/bcrypt), never by hashport.
@Suite struct RoundTripTests {
    static func detect(_ c: [String: Any]) -> Result<PasswordHash, HashProblem> {
        let input = c["input"] as? String ?? ""
        let encoding = SaltEncoding(rawValue: c["salt_encoding"] as? String ?? "auto") ?? .auto
        return HashDetector.detect(input, saltEncoding: encoding)
    }

    @Test func everyCaseGivesItsExpectedWorkOSStringAndProblems() throws {
        let cases = try TestData.roundTripCases
        #expect(cases.count >= 45)
        for c in cases {
            let id = c["id"] as? String ?? "?"
            let expectedCodes = c["expected_problems"] as? [String] ?? []
            guard let h = Self.detect(c).value else {
                #expect(expectedCodes == [Self.detect(c).error?.code ?? ""], "\(id)")
                continue
            }
            #expect(WorkOSPolicy.problems(for: h).map(\.code) == expectedCodes, "\(id)")
            if let expected = c["expected_workos_hash"] as? String {
                let form = h.workOSForm().value
                #expect(form?.string == expected, "\(id)")
                #expect(form?.type == c["expected_workos_type"] as? String, "\(id)")
                // decode → WorkOS string → decode gives the same bytes and parameters
                #expect(HashDetector.detect(expected).value?.meaning == h.meaning, "\(id)")
                if c["workos_accepts"] as? Bool == true, let type = form?.type {
                    #expect(WorkOSPolicy.check(type: type, hash: expected).value?.meaning == h.meaning, "\(id)")
                }
            } else {
                #expect(h.workOSForm().value == nil, "\(id)")
            }
        }
    }
}
