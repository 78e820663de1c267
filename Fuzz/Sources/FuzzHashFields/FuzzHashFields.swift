// Hash detection from split fields (hash, type, salt, iterations, memory, threads, digest, signer key, salt separator)
// and from the cells of a flattened Descope hash object (`hashedPassword.<kind>.<field>` columns).
// Input: the first byte picks the salt encoding; then up to 4 rows, one a line. A row is its fields in that order,
// separated by tabs; a row that starts with `@` is flattened cells instead, as kind, field, value, kind, ….
// Oracles: the round trip of every hash WorkOS takes, and the shape cache against the detector row by row.
import FuzzSupport
import HashOracles
import PasswordHashes

private let tab = UInt8(ascii: "\t")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHashFields(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let encoding = SaltEncoding.allCases[Int(data[0]) % SaltEncoding.allCases.count]
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let shapes = HashShapes(saltEncoding: encoding)
    for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).prefix(4) {
        var fields = HashFieldBytes()
        var cells: [HashObjectCellBytes] = []
        if line.first == UInt8(ascii: "@") {
            let parts = line.dropFirst().split(separator: tab, omittingEmptySubsequences: false).map(UnsafeRawBufferPointer.init(rebasing:))
            for k in stride(from: 0, to: parts.count - 2, by: 3) {
                cells.append(HashObjectCellBytes(kind: parts[k], field: parts[k + 1], value: parts[k + 2]))
            }
        } else {
            let parts = line.split(separator: tab, omittingEmptySubsequences: false).map(UnsafeRawBufferPointer.init(rebasing:))
            func part(_ k: Int) -> UnsafeRawBufferPointer { k < parts.count ? parts[k] : HashFieldBytes.none }
            fields.hash = part(0); fields.type = part(1); fields.salt = part(2); fields.iterations = part(3)
            fields.memory = part(4); fields.threads = part(5); fields.digest = part(6); fields.signerKey = part(7)
            fields.saltSeparator = part(8)
        }
        cells.withUnsafeBufferPointer { cellBuffer in
            fields.cells = cellBuffer
            if !fields.isEmpty, case .success(let hash) = HashAssessment.detect(fields, saltEncoding: encoding) {
                checkRoundTrip(hash)
            }
            checkShapeCache(shapes, fields)
        }
    }
    return 0
}
