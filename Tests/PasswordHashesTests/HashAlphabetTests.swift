@testable import PasswordHashes
import Testing

@Suite struct HashAlphabetTests {
    /// Every byte value at every position of ranges of 1–40 bytes (scalar, one vector, overlapping vectors):
    /// the vector test says exactly what the byte-by-byte test says.
    @Test(arguments: [HashAlphabet.radix64, .base64, .alphanumeric, .urlSafe, .hex])
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

    /// `HashByteClass.guess` reads 16 bytes at a time: every byte value at every position of fields of 0–40 bytes, in
    /// hex and in base64 surroundings, gives what the byte-by-byte rule gives.
    @Test func byteClassGuessMatchesTheByteRule() {
        func reference(_ b: [UInt8]) -> HashByteClass {
            let hex = !b.isEmpty && b.count % 2 == 0 && b.allSatisfy { HashEncoding.hexValue($0) != nil }
            let url = b.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
            return hex ? .hex : url ? .urlSafe : .standard
        }
        for filler in [UInt8(ascii: "a"), UInt8(ascii: "Z")] {
            for length in [0, 1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40] {
                for position in 0..<Swift.max(length, 1) {
                    for value in 0...255 {
                        var field = [UInt8](repeating: filler, count: length)
                        if length > 0 { field[position] = UInt8(value) }
                        let guessed = ([0x2D, 0x5F] + field + [0x2D, 0x5F]).withUnsafeBytes {
                            HashByteClass.guess(UnsafeRawBufferPointer(rebasing: $0[2..<(2 + length)]))
                        }
                        #expect(guessed == reference(field), "length \(length) position \(position) byte \(value)")
                    }
                }
            }
        }
    }

    /// The cached shapes compare parts with `ByteRuns.equal`: a difference at any position of runs of 0–40 bytes is
    /// seen, equal runs are equal, and no byte past the run is read (the bytes after each side differ).
    @Test func byteRunsEqualAgreesWithMemcmp() {
        for length in 0...40 {
            let a = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) } + [1, 2, 3, 4, 5, 6, 7, 8]
            var same = Array(a[0..<length]) + [9, 9, 9, 9, 9, 9, 9, 9]
            a.withUnsafeBytes { x in same.withUnsafeBytes { y in
                #expect(ByteRuns.equal(UnsafeRawBufferPointer(rebasing: x[0..<length]), UnsafeRawBufferPointer(rebasing: y[0..<length])),
                        "equal runs of \(length)")
            } }
            for position in 0..<length {
                same = Array(a[0..<length]) + [1, 2, 3, 4, 5, 6, 7, 8]
                same[position] ^= 0x80
                a.withUnsafeBytes { x in same.withUnsafeBytes { y in
                    #expect(!ByteRuns.equal(x.baseAddress!, y.baseAddress!, count: length), "length \(length) position \(position)")
                } }
            }
        }
        // Different lengths are never equal, even over a shared prefix.
        let long: [UInt8] = Array("argon2id".utf8)
        long.withUnsafeBytes { b in #expect(!ByteRuns.equal(UnsafeRawBufferPointer(rebasing: b[0..<6]), b)) }
    }
}
