@testable import Migration
import Testing

@Suite struct CSVPreflightScanTests {
    /// The word-at-a-time printable test agrees with a byte loop for every byte value at every position.
    @Test func printableASCIIMatchesAByteLoop() {
        for length in [1, 7, 8, 9, 16, 17, 30] {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: 0x41, count: length)
                    bytes[position] = UInt8(value)
                    let expected = value >= 0x20 && value < 0x7F
                    bytes.withUnsafeBytes { b in
                        #expect(CSVPreflightScan.isPrintableASCII(b) == expected, "length \(length) position \(position) byte \(value)")
                    }
                }
            }
        }
    }
}
