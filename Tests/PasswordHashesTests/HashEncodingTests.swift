import Testing
@testable import PasswordHashes

@Suite struct HashEncodingTests {
    @Test func standardBase64RoundTripsEveryLength() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for pad in [false, true] {
                let text = HashEncoding.base64(bytes, pad: pad)
                #expect(HashEncoding.decodeBase64(text, alphabet: .standard, padding: pad ? .required : .forbidden).value == bytes)
            }
        }
    }

    @Test func knownEncodings() {
        #expect(HashEncoding.base64(Array("salt".utf8)) == "c2FsdA")
        #expect(HashEncoding.base64(Array("salt".utf8), pad: true) == "c2FsdA==")
        #expect(HashEncoding.base64([0xfb, 0xff], alphabet: .urlSafe) == "-_8")
        #expect(HashEncoding.base64([0xfb, 0xff], alphabet: .passlib) == "./8")
        #expect(HashEncoding.hex([0x00, 0xab, 0xff]) == "00abff")
    }

    @Test func rejectsNonzeroPaddingBits() {
        #expect(HashEncoding.decodeBase64("c2FsdA", alphabet: .standard, padding: .forbidden).value == Array("salt".utf8))
        #expect(HashEncoding.decodeBase64("c2FsdB", alphabet: .standard, padding: .forbidden).error == .nonzeroPaddingBits)
        #expect(HashEncoding.decodeBase64("c2FsdA=", alphabet: .standard, padding: .optional).error == .badPadding)
    }

    @Test func rejectsPaddingWhereForbiddenAndRequiresItWhereRequired() {
        #expect(HashEncoding.decodeBase64("c2FsdA==", alphabet: .standard, padding: .forbidden).error == .badPadding)
        #expect(HashEncoding.decodeBase64("c2FsdA", alphabet: .standard, padding: .required).error == .badPadding)
        #expect(HashEncoding.decodeBase64("c2FsdA==", alphabet: .standard, padding: .optional).value == Array("salt".utf8))
        #expect(HashEncoding.decodeBase64("c2Fsd===", alphabet: .standard, padding: .optional).error == .badPadding)
    }

    @Test func rejectsImpossibleLengthsAndForeignCharacters() {
        #expect(HashEncoding.decodeBase64("c2Fsd", alphabet: .standard, padding: .forbidden).error == .badLength)
        #expect(HashEncoding.decodeBase64("c2F-dA", alphabet: .standard, padding: .forbidden).error == .badCharacter)
        #expect(HashEncoding.decodeBase64("c2F+dA", alphabet: .urlSafe, padding: .forbidden).error == .badCharacter)
        #expect(HashEncoding.decodeBase64("c2F=dA", alphabet: .standard, padding: .optional).error == .badCharacter)
    }

    @Test func hexIsStrict() {
        #expect(HashEncoding.decodeHex("00AbfF").value == [0x00, 0xab, 0xff])
        #expect(HashEncoding.decodeHex("abc").error == .badLength)
        #expect(HashEncoding.decodeHex("zz").error == .badCharacter)
    }

    @Test func bcryptAlphabetOrder() {
        // bcrypt radix-64 starts with "./": 16 zero bytes are 22 dots.
        #expect(HashEncoding.base64([UInt8](repeating: 0, count: 16), alphabet: .bcrypt) == String(repeating: ".", count: 22))
        #expect(HashEncoding.decodeBase64("CCCCCCCCCCCCCCCCCCCCC.", alphabet: .bcrypt, padding: .forbidden).value
                == TestData.bytes(hex: "10410410410410410410410410410410"))
    }
}
