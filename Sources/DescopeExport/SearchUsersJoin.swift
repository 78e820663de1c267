#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Search Users side of a join, in bounded memory. Each record is kept on disk, encoded (`UserViewCodec`), in an
/// unlinked temporary file; its keys (userId, email and login ids, case-folded) become 64-bit fingerprints that point
/// at it. When every fingerprint fits the memory budget, one hash table answers each row of the other side as it
/// streams by. Past the budget the fingerprints are split into partitions by their top bits (a Grace hash join): the
/// other side's keys are read once ahead, each partition in turn answers the keys that fall in it, and the rows then
/// stream in their own order with their candidates merged back. Either way every candidate is read back and its key
/// compared exactly, and a row takes, by userId, else email, else each login id in order, the first record under that
/// key no row took yet (else the first): the same answers in both modes, in the rows' order.
final class SearchUsersJoin {
    enum JoinKey: UInt8 { case userId = 0, email = 1, loginId = 2 }

    private let records: JoinFile
    private let entries: JoinFile
    private var recordCount = 0
    private var entryCount = 0
    /// Bytes a record read starts with: twice the mean encoded record, within 256 B–2 KiB (a longer one takes a
    /// second read). Every matched row reads its record back: reading 2 KiB for a 400-byte record was most of the
    /// join's system time.
    private var readGuess = 2048
    private var encodedBytes = 0
    /// Bit `seq` set: a row took record `seq`.
    private var matched: [UInt64] = []
    private let budget: Int
    private var table: JoinTable?
    /// Partitioned mode: the other side's keys, then the candidates each partition found for them.
    private var partitions = 1
    private var keys: JoinFile?
    private var candidates: CandidateMerge?
    /// Partitioned mode: the candidates each partition found, in row order per file (read again by `rewind`).
    private var candidateFiles: [JoinFile] = []
    private let arena = ViewArena()
    private var encoded: [UInt8] = []
    private var found: [Candidate] = []

    init(directory: String?, memoryBudget: Int) throws(ExportError) {
        records = try JoinFile(directory: directory)
        entries = try JoinFile(directory: directory)
        budget = max(memoryBudget, 1 << 16)
    }

    // MARK: Building

    /// Keeps one Search Users record and its keys.
    func add(_ view: UserView, input: Int) throws(ExportError) {
        encoded.removeAll(keepingCapacity: true)
        UserViewCodec.encode(view, into: &encoded)
        let offset = records.size
        try records.append(value: RecordHeader(seq: UInt32(recordCount), input: UInt16(input), element: UInt32(view.source.line),
                                               length: UInt32(encoded.count)))
        try records.append(encoded)
        encodedBytes += encoded.count
        var logins: [UInt64] = []
        try Self.forEachKey(view) { (kind, _, key) throws(ExportError) in
            let fp = Self.fingerprint(kind, key)
            if kind == .loginId {
                // A record answers for each of its login ids once.
                if logins.contains(fp) { return }
                logins.append(fp)
            }
            try entries.append(value: (fp, UInt64(offset)))
            entryCount += 1
        }
        recordCount += 1
    }

    /// Every record is in: builds the table, or says the other side's keys must be read first (`needsKeys`).
    func finishBuilding() throws(ExportError) {
        try records.flush(); try entries.flush()
        matched = Array(repeating: 0, count: (recordCount + 63) / 64)
        if recordCount > 0 { readGuess = min(2048, max(256, (2 * encodedBytes / recordCount + 255) / 256 * 256)) }
        partitions = max(1, (JoinTable.bytes(forEntries: entryCount) + budget - 1) / budget)
        if partitions == 1 { table = try buildTable(partition: 0) }
    }

    /// True when rows must hand their keys over first (`addKeys`, then `finishKeys`).
    var needsKeys: Bool { partitions > 1 && candidates == nil }

    /// One row's keys, in the rows' order (partitioned mode).
    func addKeys(of view: UserView, row: Int) throws(ExportError) {
        if keys == nil { keys = try JoinFile(directory: records.directory) }
        let file = keys!
        try Self.forEachKey(view) { (kind, order, key) throws(ExportError) in
            try file.append(value: KeyEntry(row: UInt32(row), kind: kind.rawValue, order: UInt8(min(order, 255)),
                                            fingerprint: Self.fingerprint(kind, key)))
        }
    }

    /// Each partition answers the keys that fall in it; the candidates are then merged back in row order.
    func finishKeys() throws(ExportError) {
        let keys: JoinFile
        if let existing = self.keys { keys = existing } else { keys = try JoinFile(directory: records.directory) }
        try keys.flush()
        var files: [JoinFile] = []
        for p in 0..<partitions {
            let table = try buildTable(partition: p)
            let out = try JoinFile(directory: records.directory)
            try keys.forEach(KeyEntry.self) { (k) throws(ExportError) in
                guard self.partition(of: k.fingerprint) == p else { return }
                try table.forEachCandidate(k.fingerprint) { (offset) throws(ExportError) in
                    try out.append(value: Candidate(row: k.row, kind: k.kind, order: k.order, offset: offset))
                }
            }
            try out.flush()
            files.append(out)
        }
        self.keys = nil
        candidateFiles = files
        candidates = try CandidateMerge(files)
    }

    private func partition(of fingerprint: UInt64) -> Int { Int(fingerprint >> 58) % partitions }

    private func buildTable(partition p: Int) throws(ExportError) -> JoinTable {
        var count = 0
        try entries.forEach((UInt64, UInt64).self) { (e) throws(ExportError) in if self.partition(of: e.0) == p { count += 1 } }
        var table = JoinTable(entries: count)
        try entries.forEach((UInt64, UInt64).self) { (e) throws(ExportError) in if self.partition(of: e.0) == p { table.insert(e.0, offset: e.1) } }
        return table
    }

    // MARK: Matching

    /// The Search Users record of a row (its `row` number counts the rows of the joined side from 0), marked as
    /// taken; the record's view is valid until the next call.
    func match(_ user: UserView, row: Int) throws(ExportError) -> (UserView, JoinKey)? {
        arena.reset()
        found.removeAll(keepingCapacity: true)
        if let table {
            try Self.forEachKey(user) { (kind, order, key) throws(ExportError) in
                try table.forEachCandidate(Self.fingerprint(kind, key)) { self.found.append(Candidate(row: 0, kind: kind.rawValue, order: UInt8(min(order, 255)), offset: $0)) }
            }
        } else if let candidates {
            found = try candidates.take(row: UInt32(row))
        }
        guard !found.isEmpty else { return nil }
        // By kind, then login order, then record order: the first key that finds a record decides.
        found.sort { ($0.kind, $0.order, $0.offset) < ($1.kind, $1.order, $1.offset) }
        var keysByOrder: [TextSpan] = []
        try Self.forEachKey(user) { (_, _, key) throws(ExportError) in keysByOrder.append(key) }
        var i = 0
        while i < found.count {
            let kind = JoinKey(rawValue: found[i].kind) ?? .loginId, order = found[i].order
            var first: UserView?
            while i < found.count, found[i].kind == kind.rawValue, found[i].order == order {
                if let (view, seq) = try read(at: found[i].offset), Int(order) < keysByOrder.count,
                   Self.has(view, kind, keysByOrder[Int(order)]) {
                    if !isMatched(seq) { setMatched(seq); return (view, kind) }
                    if first == nil { first = view }
                }
                i += 1
            }
            if let first { return (first, kind) }
        }
        return nil
    }

    /// True when the join can serve another pass of the same rows (`rewind`): its table, or its partitions' candidates.
    var canRewind: Bool { table != nil || !candidateFiles.isEmpty }

    /// Every record untaken again, for another pass of the same rows in the same order (a partitioned join reads
    /// its candidates from the start again).
    func rewind() throws(ExportError) {
        for i in matched.indices { matched[i] = 0 }
        arena.reset()
        if !candidateFiles.isEmpty { candidates = try CandidateMerge(candidateFiles) }
    }

    /// Records no row took, in their order; nil at the end.
    func nextUnmatched(_ position: inout Int64) throws(ExportError) -> UserView? {
        while position < records.size {
            arena.reset()
            guard let (view, _, length) = try readWithLength(at: UInt64(position), skipMatched: true) else { return nil }
            position += Int64(MemoryLayout<RecordHeader>.size + length)
            if let view { return view }
        }
        return nil
    }

    private func read(at offset: UInt64) throws(ExportError) -> (UserView, Int)? {
        guard let (view, seq, _) = try readWithLength(at: offset), let view else { return nil }
        return (view, seq)
    }

    /// The record at `offset`: its view (nil when `skipMatched` and a row took it), sequence number and length.
    private func readWithLength(at offset: UInt64, skipMatched: Bool = false) throws(ExportError) -> (UserView?, Int, Int)? {
        // One read for most records: the header and `readGuess` bytes of body.
        let headerSize = MemoryLayout<RecordHeader>.size
        let guess = Int(min(Int64(headerSize + readGuess), records.size - Int64(offset)))
        guard guess >= headerSize else { return nil }
        var raw = arena.allocate(UInt8.self, count: guess)
        try records.read(into: UnsafeMutableRawBufferPointer(start: raw, count: guess), at: Int64(offset))
        let header = UnsafeRawPointer(raw).loadUnaligned(as: RecordHeader.self)
        let length = Int(header.length), seq = Int(header.seq)
        if skipMatched, isMatched(seq) { return (nil, seq, length) }
        if headerSize + length > guess {
            raw = arena.allocate(UInt8.self, count: headerSize + length)
            try records.read(into: UnsafeMutableRawBufferPointer(start: raw, count: headerSize + length), at: Int64(offset))
        }
        let source = SourceLocation(file: inputNames[Int(header.input)] ?? "", line: Int(header.element))
        guard let view = UserViewCodec.decode(UnsafeRawBufferPointer(start: raw + headerSize, count: length), source: source, arena: arena) else {
            throw .joinIndex("a kept Search Users record does not read back")
        }
        return (view, seq, length)
    }

    /// Input index → path, for the records' locations.
    var inputNames: [Int: String] = [:]

    private func isMatched(_ seq: Int) -> Bool { matched[seq >> 6] & (1 << UInt64(seq & 63)) != 0 }
    private func setMatched(_ seq: Int) { matched[seq >> 6] |= 1 << UInt64(seq & 63) }

    // MARK: Keys

    /// A record's or row's keys in order: userId as it is, email and login ids trimmed and lower-cased (as a join
    /// compares them); `order` numbers them so a row tries its login ids in order.
    static func forEachKey(_ v: UserView, _ body: (_ kind: JoinKey, _ order: Int, _ key: TextSpan) throws(ExportError) -> Void) throws(ExportError) {
        var order = 0
        if !v.userId.isEmpty { try body(.userId, order, v.userId); order += 1 }
        if !v.email.isEmpty { try body(.email, order, v.email); order += 1 }
        for login in v.loginIds { try body(.loginId, order, login); order += 1 }
    }

    /// The fingerprint of a key (emails and login ids folded: trimmed of spaces and tabs, lower-cased).
    static func fingerprint(_ kind: JoinKey, _ key: TextSpan) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(kind.rawValue)
        if kind == .userId {
            for b in key.buffer { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        } else {
            let s = key.trimmingSpaces
            if s.buffer.allSatisfy({ $0 < 0x80 }) {
                for b in s.buffer { h = (h ^ UInt64(TextSpan.lower(b))) &* 0x100_0000_01b3 }
            } else {
                for b in s.string.lowercased().utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            }
        }
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33; h = h &* 0xc4ce_b9fe_1a85_ec53; h ^= h >> 33
        return h
    }

    /// True when two keys of `kind` are the same key (userId exactly; emails and login ids folded).
    static func same(_ kind: JoinKey, _ a: TextSpan, _ b: TextSpan) -> Bool {
        if kind == .userId { return a.equals(b) }
        let x = a.trimmingSpaces, y = b.trimmingSpaces
        if x.buffer.allSatisfy({ $0 < 0x80 }) && y.buffer.allSatisfy({ $0 < 0x80 }) { return x.equalsIgnoringCase(y) }
        return x.string.lowercased() == y.string.lowercased()
    }

    /// True when record `v` has `key` under `kind`.
    static func has(_ v: UserView, _ kind: JoinKey, _ key: TextSpan) -> Bool {
        switch kind {
        case .userId: return same(.userId, v.userId, key)
        case .email: return !v.email.isEmpty && same(.email, v.email, key)
        case .loginId: return v.loginIds.contains { same(.loginId, $0, key) }
        }
    }

    struct RecordHeader {
        var seq: UInt32 = 0
        var input: UInt16 = 0
        var element: UInt32 = 0
        var length: UInt32 = 0
    }
    struct KeyEntry { var row: UInt32; var kind: UInt8; var order: UInt8; var fingerprint: UInt64 }
    struct Candidate { var row: UInt32; var kind: UInt8; var order: UInt8; var offset: UInt64 }
}

/// Fingerprint → record offsets, open addressing: one 8-byte slot per key (a 24-bit tag of the fingerprint and the
/// 40-bit offset), so a million users' keys take about 40 MB. A tag can collide: callers compare the key itself.
struct JoinTable {
    private var slots: [UInt64]
    private let mask: Int

    static func capacity(forEntries n: Int) -> Int {
        var c = 16
        while c * 5 < n * 8 { c <<= 1 }   // load factor ≤ 0.625
        return c
    }
    static func bytes(forEntries n: Int) -> Int { capacity(forEntries: n) * 8 }

    init(entries n: Int) {
        let c = Self.capacity(forEntries: n)
        slots = Array(repeating: 0, count: c)
        mask = c - 1
    }

    private static func tag(_ fp: UInt64) -> UInt64 { (fp >> 40) & 0xFF_FFFF }

    mutating func insert(_ fp: UInt64, offset: UInt64) {
        var i = Int(truncatingIfNeeded: fp) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Self.tag(fp) << 40 | (offset + 1)
    }

    /// Offsets under `fp`'s tag, in the order they were inserted.
    func forEachCandidate(_ fp: UInt64, _ body: (UInt64) throws(ExportError) -> Void) throws(ExportError) {
        var i = Int(truncatingIfNeeded: fp) & mask
        let tag = Self.tag(fp)
        while slots[i] != 0 {
            if slots[i] >> 40 == tag { try body((slots[i] & 0xFF_FFFF_FFFF) - 1) }
            i = (i + 1) & mask
        }
    }
}
