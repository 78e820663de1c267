@testable import Migration
import Testing

@Suite struct CSVPreflightScanTests {
    /// The printable test agrees with a byte loop for every byte value at every position; the bytes past the
    /// field (64 readable, as in a plain record, here refused ones) never change the answer.
    @Test func printableASCIIMatchesAByteLoop() {
        for length in [1, 7, 8, 9, 15, 16, 17, 30, 33] {
            for position in 0..<length {
                for value in 0...255 {
                    for after: UInt8 in [0x00, 0x7F, 0x41] {
                        var bytes = [UInt8](repeating: 0x41, count: length) + [UInt8](repeating: after, count: 64)
                        bytes[position] = UInt8(value)
                        let expected = value >= 0x20 && value < 0x7F
                        bytes.withUnsafeBytes { raw in
                            let b = UnsafeRawBufferPointer(rebasing: raw[0..<length])
                            #expect(CSVPreflightScan.isPrintableASCII(b) == expected, "length \(length) position \(position) byte \(value)")
                        }
                    }
                }
            }
        }
    }
}

@Suite struct CSVPreflightWordTests {
    /// The word literals are the words of the accepted spellings.
    @Test func acceptedValuesAreTheirWords() {
        #expect(CSVPreflightScan.enabled == CSVPreflightScan.wordValue("enabled"))
        #expect(CSVPreflightScan.invited == CSVPreflightScan.wordValue("invited"))
        #expect(CSVPreflightScan.trueWord == CSVPreflightScan.wordValue("true"))
        #expect(CSVPreflightScan.falseWord == CSVPreflightScan.wordValue("false"))
    }

    /// `word` and `isDigits` read whole words across the field's end; bytes there (64 readable, as in a plain
    /// record) never change the answer, which agrees with a byte loop for every byte at every position.
    @Test func wordsAndDigitsIgnoreBytesPastTheField() {
        for length in 0...18 {
            for position in 0..<max(length, 1) {
                for value in 0...255 {
                    for after: UInt8 in [0x31, 0x78] { check(length: length, position: position, value: UInt8(value), after: after) }
                }
            }
        }
    }

    private func check(length: Int, position: Int, value: UInt8, after: UInt8) {
        var bytes = [UInt8](repeating: 0x37, count: length) + [UInt8](repeating: after, count: 64)
        if length > 0 { bytes[position] = value }
        let field = Array(bytes[0..<length])
        bytes.withUnsafeBytes { raw in
            let b = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            #expect(CSVPreflightScan.isDigits(b) == field.allSatisfy { $0 >= 0x30 && $0 <= 0x39 },
                    "length \(length) position \(position) byte \(value) then \(after)")
            if length <= 8 {
                let expected = field.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
                #expect(CSVPreflightScan.word(b) == expected, "length \(length) position \(position) byte \(value)")
            }
        }
    }
}
