@testable import Migration
import Testing

@Suite struct HashAlphabetTests {
    /// Every byte value at every position of ranges of 1–40 bytes (scalar, one vector, overlapping vectors):
    /// the vector test says exactly what the byte-by-byte test says.
    @Test(arguments: [HashAlphabet.radix64, .base64, .alphanumeric])
    func vectorTestMatchesTheByteTest(alphabet: HashAlphabet) {
        for length in [1, 15, 16, 17, 31, 32, 33, 40] {
            for position in 0..<length {
                for value in 0...255 {
                    // Two guard bytes either side that are never in a set: a read outside the range would show.
                    var bytes: [UInt8] = [0x00, 0x00] + [UInt8](repeating: 0x61, count: length) + [0x00, 0x00]
                    bytes[2 + position] = UInt8(value)
                    let expected = alphabet.contains(UInt8(value))
                    bytes.withUnsafeBytes { b in
                        #expect(alphabet.contains(b, 2..<(2 + length), table: nil) == expected,
                                "\(alphabet) length \(length) position \(position) byte \(value)")
                    }
                }
            }
        }
    }
}
