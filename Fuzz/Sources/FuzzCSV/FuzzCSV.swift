// The support-CSV reader on outside bytes. Oracles: the plain (bit-mask) split and the general split give the same
// records; reading from a file in 64-byte blocks gives the same records as reading from memory; and the user reader
// (header layout, every record checked, mapped fields read) gives the same users and problems either way.
@testable import DescopeExport
import FuzzSupport

private let scratch = ScratchFile("csv")

private struct Record: Equatable {
    var line: Int
    var problem: CSVRecordProblem?
    var fields: [[UInt8]]
    var quoted: [Bool]
}

private func records(_ csv: CSVReader) -> [Record] {
    var out: [Record] = []
    while csv.nextRecord() {
        out.append(Record(line: csv.line, problem: csv.problem,
                          fields: (0..<csv.fieldCount).map { i in csv.withField(i) { Array($0) } },
                          quoted: (0..<csv.fieldCount).map { csv.isQuoted($0) }))
    }
    return out
}

private func users(_ csv: CSVReader) -> [ExportItem]? {
    guard let reader = try? CSVUserReader(csv: csv) else { return nil }
    var out: [ExportItem] = []
    while let item = reader.next() { out.append(item) }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    scratch.write(bytes)

    let plain = records(CSVReader(bytes: bytes, name: scratch.path))
    let general = CSVReader(bytes: bytes, name: scratch.path)
    general.usesPlainSplit = false
    require(records(general) == plain, "the general split disagrees with the plain split")
    guard let blocked = try? CSVReader(path: scratch.path, blockSize: 64) else { fatalError("cannot open \(scratch.path)") }
    require(records(blocked) == plain, "reading in 64-byte blocks disagrees with reading from memory")

    let fromMemory = users(CSVReader(bytes: bytes, name: scratch.path))
    let fromFile = (try? CSVReader(path: scratch.path, blockSize: 64)).flatMap(users)
    require(fromMemory == fromFile, "the user reader reads the file differently in 64-byte blocks")
    return 0
}
