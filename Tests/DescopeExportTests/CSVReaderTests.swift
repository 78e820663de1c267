import Testing
@testable import DescopeExport

/// Every record of `text` as (line, fields, problem).
func records(_ text: String, maxRecordBytes: Int = 1 << 20) -> [(line: Int, fields: [String], problem: CSVRecordProblem?)] {
    let csv = CSVReader(bytes: Array(text.utf8), maxRecordBytes: maxRecordBytes)
    var out: [(Int, [String], CSVRecordProblem?)] = []
    while csv.nextRecord() {
        out.append((csv.line, (0..<csv.fieldCount).map { csv.string(at: $0) ?? "<invalid>" }, csv.problem))
    }
    return out
}

@Suite struct CSVReaderTests {
    @Test func plainFieldsLFAndCRLF() {
        let r = records("a,b,c\r\n1,2,3\n4,,6")
        #expect(r.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"], ["4", "", "6"]])
        #expect(r.map(\.line) == [1, 2, 3])
        #expect(r.allSatisfy { $0.problem == nil })
    }

    @Test func quotedFieldsEscapesAndEmbeddedNewlines() {
        let r = records("h1,h2\n\"a,b\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\r\nlast,\"\"\n")
        #expect(r.map(\.fields) == [["h1", "h2"], ["a,b", "say \"hi\""], ["multi\nline", "x"], ["last", ""]])
        #expect(r.map(\.line) == [1, 2, 3, 5])
    }

    @Test func bomBlankLinesAndSpreadsheetGuard() {
        let r = records("\u{FEFF}email,hash\n\n'=cmd,'$2b$10$x\r\n\r\nb,c\n")
        #expect(r.map(\.fields) == [["email", "hash"], ["=cmd", "$2b$10$x"], ["b", "c"]])
        #expect(r.map(\.line) == [1, 3, 5])
    }

    @Test func unterminatedQuoteCostsOneRecord() {
        let r = records("a,b\n1,\"open\n2,3\n")
        #expect(r.count == 3)
        #expect(r[1].problem == .unterminatedQuote)
        #expect(r[1].line == 2)
        #expect(r[2].fields == ["2", "3"])
        #expect(r[2].line == 3)
    }

    @Test func textAfterClosingQuoteIsFlagged() {
        let r = records("a,b\n\"x\"y,z\n")
        #expect(r[1].problem == .textAfterClosingQuote(field: 0))
    }

    @Test func oversizedRecordIsSkippedToTheNextLine() throws {
        let big = String(repeating: "x", count: 5000)
        let file = try TemporaryFile(contents: "a,b\n\(big),1\nok,2\n")
        defer { withExtendedLifetime(file) {} }
        let path = file.path
        let csv = try CSVReader(path: path, blockSize: 64, maxRecordBytes: 1024)
        #expect(csv.nextRecord() && csv.problem == nil)
        #expect(csv.nextRecord())
        #expect(csv.problem == .recordTooLarge(limit: 1024))
        #expect(csv.line == 2)
        #expect(csv.nextRecord())
        #expect(csv.problem == nil && csv.line == 3 && csv.string(at: 0) == "ok" && csv.string(at: 1) == "2")
        #expect(!csv.nextRecord())
    }

    @Test func recordsAcrossSmallBlocksMatchInMemoryReading() throws {
        var text = "id,hash,name\n"
        for i in 0..<200 {
            text += "U\(i),\"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$\(i)\",\"name \"\"\(i)\"\"\nsecond line\"\r\n"
        }
        let file = try TemporaryFile(contents: text)
        defer { withExtendedLifetime(file) {} }
        let path = file.path
        let csv = try CSVReader(path: path, blockSize: 64)
        var fromFile: [[String]] = []
        var lines: [Int] = []
        while csv.nextRecord() {
            #expect(csv.problem == nil)
            fromFile.append((0..<csv.fieldCount).map { csv.string(at: $0) ?? "<invalid>" })
            lines.append(csv.line)
        }
        #expect(fromFile == records(text).map(\.fields))
        #expect(fromFile.count == 201)
        #expect(fromFile[5] == ["U4", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$4", "name \"4\"\nsecond line"])
        #expect(lines[5] == 10)
    }

    @Test func invalidUTF8FieldReadsAsNil() {
        let csv = CSVReader(bytes: Array("a,b\n".utf8) + [0x61, 0xFF, 0x2C, 0x62, 0x0A])
        #expect(csv.nextRecord() && csv.nextRecord())
        #expect(csv.string(at: 0) == nil)
        #expect(csv.string(at: 1) == "b")
    }
}

@Suite struct CSVRecordASCIITests {
    @Test func recordIsASCIISeesAnyHighByteInAnyField() {
        let csv = CSVReader(bytes: Array("a,b\nplain,fields here\nx,caf\u{E9} au lait\n\"quoted, long ascii\",y\n".utf8))
        var flags: [Bool] = []
        while csv.nextRecord() { flags.append(csv.recordIsASCII) }
        #expect(flags == [true, true, false, true])
    }
}
