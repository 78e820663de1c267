import Testing
@testable import DescopeExport

@Suite struct CSVStructureScanTests {
    /// Bytes drawn mostly from the structural set, so every bit position is exercised; 64 zero bytes of padding.
    private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        let alphabet: [UInt8] = Array(",\"\n\r a$=".utf8) + [0x2B, 0x80, 0xFF, 0x00]
        var bytes = (0..<count).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return alphabet[Int(state >> 33) % alphabet.count]
        }
        bytes += [UInt8](repeating: 0, count: 64)
        return bytes
    }

    private func naiveMask(_ b: [UInt8], at p: Int) -> UInt64 {
        var m: UInt64 = 0
        for i in 0..<64 where [0x2C, 0x22, 0x0A].contains(b[p + i]) { m |= 1 << UInt64(i) }
        return m
    }

    @Test func vectorAndIntegerMasksMatchAByteLoop() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let bytes = randomBytes(300, seed: seed)
            bytes.withUnsafeBytes { raw in
                for p in 0..<(300 - 64) {
                    let expected = naiveMask(bytes, at: p)
                    #expect(CSVStructureScan.mask(raw.baseAddress! + p) == expected)
                    #expect(CSVStructureScan.swarMask(raw.baseAddress! + p) == expected)
                }
            }
        }
    }

    @Test func nextFindsEveryStructuralByteAndStopsAtTheLimit() {
        let bytes = randomBytes(1_000, seed: 99)
        for limit in [0, 1, 63, 64, 65, 500, 1_000] {
            bytes.withUnsafeBytes { raw in
                var scan = CSVStructureScan(base: raw.baseAddress!, limit: limit)
                // Forward steps (the reader's use) and jumps back to earlier offsets both give the naive answer.
                for from in Array(0...limit) + [limit / 2, min(3, limit), limit / 3] {
                    let expected = (from..<limit).first { [0x2C, 0x22, 0x0A].contains(bytes[$0]) } ?? limit
                    #expect(scan.next(from: from) == expected, "from \(from), limit \(limit)")
                }
            }
        }
    }

    @Test func quotedFieldsSpanningChunksSplitCorrectly() {
        // Fields that cross 64-byte chunk boundaries, with commas, quotes and line breaks inside quotes.
        let argon = "$argon2id$v=19$m=65536,t=3,p=4$" + String(repeating: "c2FsdHNhbHQ", count: 5) + "$" + String(repeating: "aGFzaA", count: 9)
        let text = "id,email,hash\n" + (1...50).map { "u\($0),\"a\"\"\($0)@x.io\",\"\(argon)\n\(String(repeating: ",", count: $0))\"" }.joined(separator: "\r\n") + "\n"
        let got = records(text)
        #expect(got.count == 51)
        for (k, r) in got.dropFirst().enumerated() {
            let n = k + 1
            #expect(r.problem == nil)
            #expect(r.fields == ["u\(n)", "a\"\(n)@x.io", argon + "\n" + String(repeating: ",", count: n)])
        }
    }

    /// `recordIsASCII` (from the split's masks, carried across records and windows) against the record's text,
    /// in memory and through small read windows that cut records at every offset; every record read back whole.
    @Test(arguments: [0, 64, 100, 257])
    func recordIsASCIIMatchesTheRecordText(blockSize: Int) throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            var state = seed
            func random(_ n: Int) -> Int {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int(state >> 33) % n
            }
            var records: [String] = []
            for _ in 0..<200 {
                let fields = (0..<(1 + random(6))).map { _ -> String in
                    // Never an empty record: a blank line is skipped by design.
                    var text = String(repeating: "a", count: 1 + random(70))
                    if random(8) == 0 { text.insert(contentsOf: "é", at: text.startIndex) }
                    return random(2) == 0 ? "\"" + text + "\n,\"\"x\"" : text
                }
                records.append(fields.joined(separator: ","))
            }
            let text = records.joined(separator: "\n") + "\n"
            let file = try TemporaryFile(contents: text)
            let csv = blockSize == 0 ? CSVReader(bytes: Array(text.utf8)) : try CSVReader(path: file.path, blockSize: blockSize)
            var k = 0
            while csv.nextRecord() {
                guard k < records.count else { Issue.record("seed \(seed): more records than written"); break }
                #expect(csv.problem == nil, "seed \(seed) record \(k)")
                #expect(csv.fieldCount == records[k].split(separator: ",", omittingEmptySubsequences: false).count - records[k].components(separatedBy: "\n,").count + 1,
                        "seed \(seed) record \(k) block \(blockSize)")
                #expect(csv.recordIsASCII == records[k].utf8.allSatisfy { $0 < 0x80 }, "seed \(seed) record \(k), block \(blockSize)")
                k += 1
            }
            #expect(k == records.count, "seed \(seed) block \(blockSize)")
        }
    }
}
