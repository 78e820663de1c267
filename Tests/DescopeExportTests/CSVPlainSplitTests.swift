import Testing
@testable import DescopeExport

@Suite struct CSVPlainSplitTests {
    /// One record through `CSVPlainSplit` alone: its fields (quotes removed), or nil when it refuses the record.
    private func plainFields(_ text: String) -> (fields: [String], next: Int, ascii: Bool, escaped: [Bool])? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes += [UInt8](repeating: 0, count: ByteBlocks.padding)
        return bytes.withUnsafeBytes { raw -> ([String], Int, Bool, [Bool])? in
            var split = CSVPlainSplit()
            var list = CSVReader.SpanList(spans: .allocate(capacity: 2), capacity: 2)
            defer { list.spans.deallocate() }
            guard let r = split.split(base: raw.baseAddress!, start: 0, limit: count, generation: 0, into: &list) else { return nil }
            let fields = (0..<list.count).map { k in
                String(decoding: raw[list.spans[k].start..<list.spans[k].end], as: UTF8.self)
            }
            let escaped = (0..<list.count).map { list.spans[$0].flags & CSVReader.escapedQuotesFlag != 0 }
            return (fields, r.next, r.ascii, escaped)
        }
    }

    @Test func takesPlainRecordsAndFindsEveryField() throws {
        let a = try #require(plainFields("u1,a@b.io,\"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA\",x\nnext"))
        #expect(a.fields == ["u1", "a@b.io", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "x"])
        #expect(a.next == 59 && a.ascii)
        let crlf = try #require(plainFields("a,\"b\"\r\n"))
        #expect(crlf.fields == ["a", "b"] && crlf.next == 7)
        let unquotedCR = try #require(plainFields("a,b\r\n"))
        #expect(unquotedCR.fields == ["a", "b"])
        #expect(try #require(plainFields("\"\",,\"é\"\n")).fields == ["", "", "é"])
        #expect(try #require(plainFields("x,\"é\"\n")).ascii == false)
        // A record longer than 64 bytes whose quoted field spans three chunks.
        let long = String(repeating: "p", count: 150)
        #expect(try #require(plainFields("\"\(long),\(long)\",z\n")).fields == ["\(long),\(long)", "z"])
    }

    @Test func refusesWhatOnlyTheGeneralSplitReadsRight() {
        for text in ["a,\"b\nc\"\n",            // line break inside quotes
                     "a,b\"c\n",                // quote inside an unquoted field
                     "a,\"b\"c,d\n",            // text after the closing quote
                     "a,\"b\"\r,c\n",           // a CR after the closing quote, not a CRLF
                     "a,b",                      // no line break before the end of the window
                     "a,\"b,c\n"] {             // unterminated quote
            #expect(plainFields(text) == nil, "\(text.debugDescription)")
        }
    }

    /// Closing quotes, `\r` and `\n` at every offset, across the 64-byte chunk boundary included.
    @Test func closingQuoteRulesHoldAcrossChunkBoundaries() throws {
        for k in 0..<140 {
            let pad = String(repeating: "a", count: k)
            let crlf = try #require(plainFields(pad + ",\"q\"\r\n"), "offset \(k)")
            #expect(crlf.fields == [pad, "q"], "offset \(k)")
            let unquoted = try #require(plainFields(pad + ",q\r\n"), "offset \(k)")
            #expect(unquoted.fields == [pad, "q"], "offset \(k)")
            #expect(try #require(plainFields(pad + ",\"q\",z\n")).fields == [pad, "q", "z"], "offset \(k)")
            #expect(plainFields(pad + ",\"q\"x\n") == nil, "offset \(k)")
            #expect(plainFields(pad + ",\"q\"\rx\n") == nil, "offset \(k)")
            #expect(plainFields(pad + ",\"q\"\"\n") == nil, "offset \(k)")
            // `""` escapes anywhere, their two quotes in one chunk or in two: taken, and only their field flagged.
            let escaped = try #require(plainFields(pad + ",\"a\"\"b\"\"\",\"c\",\"\"\"\"\"\"\n"), "offset \(k)")
            #expect(escaped.fields == [pad, "a\"\"b\"\"", "c", "\"\"\"\""], "offset \(k)")
            #expect(escaped.escaped == [false, true, false, true], "offset \(k)")
            #expect(plainFields(pad + ",\"a\"\"b\"\"c\n") == nil, "offset \(k)")
            #expect(plainFields(pad + ",a\"\"b\n") == nil, "offset \(k)")
        }
    }

    /// A Descope object in a cell (`""` escapes every few bytes, over several chunks), then plain records.
    @Test func takesEscapedJSONCells() throws {
        let cell = #"{""argon2"":{""hash"":""6GBWaa3mRJQ6kDzT2UEwaP+d3IvkgyGuIuNbj1J2zcs="",""salt"":""5MWjihOygM2ADnUXp0AoyA=="",""iterations"":3}}"#
        let r = try #require(plainFields("U1,a@b.io,\"\(cell)\"\n"))
        #expect(r.fields == ["U1", "a@b.io", cell] && r.escaped == [false, false, true])
    }

    /// Every record read with the plain split first and with the general split alone: the same fields, flags,
    /// lines, problems and ASCII verdicts, in memory and through windows that cut records anywhere.
    @Test(arguments: [0, 64, 100, 257])
    func readerGivesTheSameRecordsWithAndWithoutIt(blockSize: Int) throws {
        let pieces = ["a", "bb", "é", "\"q\"", "\"\"", "\"x,y\"", "\"x\"\"y\"",
                      "\"{\"\"k\"\":\"\"" + String(repeating: "v", count: 60) + "\"\",\"\"n\"\":3}\"", "\"l1\nl2\"", "k\"m", "\"t\"u",
                      "", "\r", "'g", String(repeating: "z", count: 70), "\"" + String(repeating: "w,", count: 40) + "\""]
        for seed in 1...30 as ClosedRange<UInt64> {
            var state = seed
            func random(_ n: Int) -> Int {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int(state >> 33) % n
            }
            var text = random(4) == 0 ? "\u{FEFF}" : ""
            for _ in 0..<150 {
                // Mostly plain records, some with the pieces the plain split refuses.
                let plain = random(3) != 0
                let fields = (0..<(1 + random(7))).map { _ in plain ? pieces[random(8)] : pieces[random(pieces.count)] }
                text += fields.joined(separator: ",") + (random(5) == 0 ? "\r\n" : "\n")
                if random(20) == 0 { text += "\n" }
            }
            if random(2) == 0 { text += "last,\"record" }
            let file = try TemporaryFile(contents: text)
            func reader() throws -> CSVReader {
                blockSize == 0 ? CSVReader(bytes: Array(text.utf8)) : try CSVReader(path: file.path, blockSize: blockSize)
            }
            // The plain split first through `nextRecord()`, and inlined through `nextRecordPlainFirst()`.
            let fast = try reader(), inlined = try reader(), general = try reader()
            general.usesPlainSplit = false
            var records = 0
            while true {
                let more = fast.nextRecord()
                #expect(more == general.nextRecord(), "seed \(seed) record \(records)")
                #expect(more == inlined.nextRecordPlainFirst(), "seed \(seed) record \(records)")
                guard more else { break }
                for (name, r) in [("nextRecord", fast), ("nextRecordPlainFirst", inlined)] {
                    let context = "seed \(seed) record \(records) block \(blockSize) \(name)"
                    #expect(r.line == general.line, "\(context)")
                    #expect(r.problem == general.problem, "\(context)")
                    #expect(r.fieldCount == general.fieldCount, "\(context)")
                    #expect(r.recordIsASCII == general.recordIsASCII, "\(context)")
                    for k in 0..<max(r.fieldCount, general.fieldCount) {
                        #expect(r.withField(k) { Array($0) } == general.withField(k) { Array($0) }, "\(context) field \(k)")
                        #expect(r.isQuoted(k) == general.isQuoted(k), "\(context) field \(k)")
                    }
                }
                records += 1
            }
            #expect(records > 100, "seed \(seed)")
        }
    }
}
