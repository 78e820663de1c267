@testable import PasswordHashes
import Testing

@Suite struct HashAlphabetTests {
    /// Every byte value at every position of ranges of 1–40 bytes (scalar, one vector, overlapping vectors):
    /// the vector test says exactly what the byte-by-byte test says.
    @Test(arguments: [HashAlphabet.radix64, .base64, .alphanumeric, .urlSafe])
    func vectorTestMatchesTheByteTest(alphabet: HashAlphabet) {
        // Guard bytes never in a set on both sides (a lane read outside the range would show); 2 before the range
        // takes the byte loop for short ranges, 9 before lets them load the word that ends at the range's end.
        for before in [2, 9] {
            for length in [1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40] {
                for position in 0..<length {
                    for value in 0...255 {
                        var bytes = [UInt8](repeating: 0, count: before) + [UInt8](repeating: 0x61, count: length) + [0, 0]
                        bytes[before + position] = UInt8(value)
                        let expected = alphabet.contains(UInt8(value))
                        bytes.withUnsafeBytes { b in
                            #expect(alphabet.contains(b, before..<(before + length), table: nil) == expected,
                                    "\(alphabet) length \(length) position \(position) byte \(value)")
                        }
                    }
                }
            }
        }
    }
}
