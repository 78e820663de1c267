// The Search Users / batch-create JSON reader on outside bytes (every envelope, NDJSON). Oracle: the simdjson path
// (structural scan + On-Demand reads through the C shim, 64-byte read blocks) gives, element by element, the users and
// problems the JSONParser path gives (1 MiB blocks); and the element bytes it hands over are the reference's.
@testable import DescopeExport
import FuzzSupport

private let scratch = ScratchFile("json")

/// A user as a view can hold it: a "" tenant name is no name.
private func viewable(_ user: DescopeUser) -> DescopeUser {
    var u = user
    u.tenants = u.tenants.map { var t = $0; if t.tenantName == "" { t.tenantName = nil }; return t }
    return u
}

/// The reference: the element stream without a taker, each element read by JSONParser into `DescopeUser`.
private func referenceNext(_ stream: JSONRecordStream) -> (item: ExportItem, raw: [UInt8])? {
    guard let record = stream.next() else { return nil }
    let path = scratch.path
    switch record {
    case .problem(let number, let message):
        return (.problem(ExportProblem(location: SourceLocation(file: path, line: number),
                                       code: ExportProblem.Code.invalidJSON, message: message)), [])
    case .record(let number, let value, let raw):
        let location = SourceLocation(file: path, line: number)
        if let user = DescopeUser(searchUsersJSON: value, source: location) { return (.user(user), raw) }
        return (.problem(ExportProblem(location: location, code: ExportProblem.Code.notAUser,
                                       message: "element \(number): not a user object")), [])
    case .taken(let number, _, _):
        fatalError("fuzz oracle: element \(number) taken without a taker")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSearchUsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.write(inputBytes(data, size))
    var small = ExportOptions()
    small.readBlockSize = 64
    guard let fast = try? SearchUsersViewReader(path: scratch.path, options: small),
          let blocks = try? ByteBlocks(path: scratch.path, blockSize: 1 << 20, maxRecordBytes: small.maxRecordBytes) else {
        fatalError("cannot open \(scratch.path)")
    }
    let reference = JSONRecordStream(blocks: blocks, arrayKey: "users", singleKey: "user")
    var k = 0
    while let item = fast.next() {
        k += 1
        guard let (want, raw) = referenceNext(reference) else { fatalError("fuzz oracle: item \(k) only on the simdjson path: \(item)") }
        switch (item, want) {
        case (.user(let view), .user(let user)):
            require(DescopeUser(view) == viewable(user), "element \(k): the simdjson path reads another user")
            require(Array(fast.element) == raw, "element \(k): the simdjson path hands over other element bytes")
        case (.problem(let p), .problem(let q)):
            require(p == q, "element \(k): the problems differ: \(p) against the reference's \(q)")
        default:
            fatalError("fuzz oracle: element \(k): \(item) against the reference's \(want)")
        }
    }
    if let extra = referenceNext(reference) { fatalError("fuzz oracle: the reference path has more items: \(extra.item)") }
    return 0
}
