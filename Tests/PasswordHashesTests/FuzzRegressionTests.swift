import Testing
@testable import PasswordHashes

/// Inputs `make fuzz` found, kept as regression cases (Fuzz/README.md).
@Suite struct FuzzRegressionTests {
    /// hash-fields: with `--salt-encoding text`, a salt that is not UTF-8 was taken as it is by the shape cache while the
    /// detector (which reads the field as a String) saw U+FFFD in its place: the two wrote different WorkOS strings.
    @Test func textSaltThatIsNotUTF8TakesTheDetectorsWay() {
        let hash = Array("u_BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0".utf8)
        let type = Array("pbkdf2".utf8), iterations = Array("600000".utf8), digest = Array("sha256".utf8)
        let salts: [[UInt8]] = [Array("jypMbhs9X3CSpMbo-x0_UA".utf8), Array("jypMbhs9X3CSpM".utf8) + [0xE6] + Array("o-x0_UA".utf8)]
        let shapes = HashShapes(saltEncoding: .text)
        for salt in salts {
            hash.withUnsafeBytes { h in type.withUnsafeBytes { t in salt.withUnsafeBytes { s in
                iterations.withUnsafeBytes { i in digest.withUnsafeBytes { d in
                    var fields = HashFieldBytes()
                    fields.hash = h; fields.type = t; fields.salt = s; fields.iterations = i; fields.digest = d
                    let direct = HashAssessment.assess(fields, saltEncoding: .text)
                    let verdict = shapes.classify(fields)
                    #expect(shapes.workOSHash(verdict) == (try? direct.result.get()))
                    #expect(shapes.assessment(verdict).label == direct.label)
                } }
            } } }
        }
    }
}
