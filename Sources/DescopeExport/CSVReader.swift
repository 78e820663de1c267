/// Why a CSV record could not be split into fields cleanly.
public enum CSVRecordProblem: Sendable, Hashable {
    /// A quoted field was still open at the end of the input; reading resumes on the record's second line.
    case unterminatedQuote
    /// Text after a closing quote (`"ab"c`) in the given 0-based field.
    case textAfterClosingQuote(field: Int)
    /// The record is longer than the reader's limit; it was skipped up to the next line break.
    case recordTooLarge(limit: Int)
    /// `read(2)` failed; reading stops.
    case readFailed(String)
}

/// A byte-level RFC 4180 reader: quoted fields, `""` escapes, embedded line breaks, CRLF or LF, a UTF-8 BOM,
/// blank lines skipped. Records are split in place in a large read window; a field is a byte range and a
/// String is made only when asked for. The current record's fields stay valid until the next `nextRecord()`.
/// Most records are split by `CSVPlainSplit` (bit masks, 64 bytes at a time); a record it refuses — a line
/// break in quotes, a stray quote — goes through the general split below, which also words problems.
///
///     let csv = try CSVReader(path: "users.csv")
///     while csv.nextRecord() { let email = csv.string(at: 2) }
public final class CSVReader {
    public static let defaultBlockSize = 1 << 20
    public static let defaultMaxRecordBytes = 16 << 20

    @usableFromInline
    struct Span {
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        @usableFromInline var flags: UInt8

        @inlinable init(start: Int, end: Int, flags: UInt8) { self.start = start; self.end = end; self.flags = flags }
    }
    @usableFromInline static var quotedFlag: UInt8 { 1 }
    /// The field holds `""`: its bytes must be unescaped before use.
    @usableFromInline static var escapedQuotesFlag: UInt8 { 2 }

    // Inlinable into the fast paths of other modules: a field is read without a call per field.
    @usableFromInline let blocks: ByteBlocks
    @usableFromInline @exclusivity(unchecked) var spans: UnsafeMutablePointer<Span>
    @usableFromInline @exclusivity(unchecked) var spanCapacity = 64
    /// Number of fields in the current record.
    public var fieldCount: Int { storedFieldCount }
    @usableFromInline @exclusivity(unchecked) var storedFieldCount = 0
    /// 1-based line on which the current record starts.
    public var line: Int { storedLine }
    @usableFromInline @exclusivity(unchecked) var storedLine = 0
    /// Set when the current record could not be split cleanly (its fields may then be partial).
    @exclusivity(unchecked) public private(set) var problem: CSVRecordProblem?
    @usableFromInline @exclusivity(unchecked) var nextLine = 1
    @usableFromInline @exclusivity(unchecked) var startedReading = false
    @usableFromInline @exclusivity(unchecked) var finished = false
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// The structure masks of the current window, kept from one record to the next.
    @exclusivity(unchecked) private var scan: CSVStructureScan
    /// The split for plain records, tried first; the general `split()` takes every other record.
    @usableFromInline @exclusivity(unchecked) var plain = CSVPlainSplit()
    /// Off only in tests, which hold the two splits to the same result.
    @usableFromInline @exclusivity(unchecked) var usesPlainSplit = true

    public var path: String { blocks.path }
    /// Bytes consumed so far (progress reporting).
    public var bytesConsumed: Int { blocks.discardedBytes + blocks.start }

    public init(path: String, blockSize: Int = CSVReader.defaultBlockSize,
                maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) throws(ExportError) {
        blocks = try ByteBlocks(path: path, blockSize: blockSize, maxRecordBytes: maxRecordBytes)
        spans = .allocate(capacity: spanCapacity)
        scan = CSVStructureScan(base: blocks.base, limit: 0, generation: -1)
    }

    /// Reads from memory (tests, small inputs).
    public init(bytes: [UInt8], name: String = "<memory>", maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) {
        blocks = ByteBlocks(bytes: bytes, name: name, maxRecordBytes: maxRecordBytes)
        spans = .allocate(capacity: spanCapacity)
        scan = CSVStructureScan(base: blocks.base, limit: 0, generation: -1)
    }

    deinit { spans.deallocate() }

    // MARK: Fields of the current record

    /// The field's bytes with quotes removed, `""` unescaped and a leading spreadsheet guard `'` dropped.
    @inlinable
    public func withField<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let span = content(index) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        if span.flags & Self.escapedQuotesFlag == 0 {
            return try body(UnsafeRawBufferPointer(start: blocks.base + span.start, count: span.end - span.start))
        }
        return try withUnescapedField(span, body)
    }

    /// The field as a span valid until the next record: in the window, or (holding `""`) unescaped into `arena`.
    @inlinable
    public func field(_ index: Int, arena: ViewArena) -> TextSpan {
        guard let span = content(index) else { return .empty }
        if span.flags & Self.escapedQuotesFlag != 0 {
            return arena.write(capacity: span.end - span.start) { unescape(span, into: $0) }
        }
        return TextSpan(base: UnsafePointer(blocks.base.assumingMemoryBound(to: UInt8.self) + span.start), count: span.end - span.start)
    }

    /// Field `index`'s span without a leading spreadsheet guard `'`; nil past the record's fields.
    @inlinable @inline(__always)
    func content(_ index: Int) -> Span? {
        guard index >= 0, index < fieldCount else { return nil }
        var span = spans[index]
        if span.start < span.end, blocks.byte(span.start) == UInt8(ascii: "'") { span.start += 1 }
        return span
    }

    /// Writes a field holding `""` with each `""` as one `"` to `out` (room for the span's length); returns the count.
    @usableFromInline
    func unescape(_ span: Span, into out: UnsafeMutablePointer<UInt8>) -> Int {
        // Byte by byte: a Descope object cell is `""`-escaped JSON, a quote every few bytes.
        let base = UnsafeRawPointer(blocks.base).assumingMemoryBound(to: UInt8.self)
        var n = 0, i = span.start
        while i < span.end {
            let c = base[i]
            out[n] = c
            n &+= 1
            i &+= c == UInt8(ascii: "\"") && i &+ 1 < span.end && base[i &+ 1] == UInt8(ascii: "\"") ? 2 : 1
        }
        return n
    }

    /// A field holding `""`, unescaped into the scratch buffer.
    @usableFromInline
    func withUnescapedField<R>(_ span: Span, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard span.end > span.start else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: span.end - span.start))
        let n = scratch.withUnsafeMutableBufferPointer { unescape(span, into: $0.baseAddress!) }
        return try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The field as a String; nil when it is not valid UTF-8. A missing field reads as "".
    public func string(at index: Int) -> String? {
        withField(index) { UTF8Text.string($0) }
    }

    @inlinable
    public func isQuoted(_ index: Int) -> Bool {
        index >= 0 && index < fieldCount && spans[index].flags & 1 != 0
    }

    /// Length in bytes of the raw field (before unescaping).
    @inlinable
    public func rawLength(_ index: Int) -> Int {
        guard index >= 0, index < fieldCount else { return 0 }
        return spans[index].end - spans[index].start
    }

    /// True when every byte of the current record is ASCII (so each field is valid UTF-8), from the masks
    /// the split already computed (inspect's fast path); false for a record with a problem.
    public var recordIsASCII: Bool { storedRecordIsASCII }
    @usableFromInline @exclusivity(unchecked) var storedRecordIsASCII = false

    // MARK: Reading

    /// `nextRecord()` for a loop over mostly plain records (inspect's in-place rows): the plain split is
    /// inlined into the caller's loop. The first record, and any record the plain split refuses, a blank line
    /// or one after a problem, go through `nextRecord()`, which gives the same result.
    @inlinable @inline(__always)
    public func nextRecordPlainFirst() -> Bool {
        if startedReading, usesPlainSplit, !finished, case .none = problem, blocks.start < blocks.end {
            if let record = splitPlain(), storedFieldCount > 1 || spans[0].start != spans[0].end {
                acceptPlain(next: record.next, ascii: record.ascii)
                return true
            }
        }
        return nextRecord()
    }

    /// Makes the record the plain split has just taken the current one.
    @inlinable @inline(__always)
    func acceptPlain(next: Int, ascii: Bool) {
        storedRecordIsASCII = ascii
        blocks.start = next
        storedLine = nextLine
        nextLine &+= 1
    }

    /// Advances to the next non-blank record. Returns false at the end of the input.
    public func nextRecord() -> Bool {
        if finished { return false }
        if !startedReading {
            startedReading = true
            if case .failed(let reason) = fillOrFail() { return failRead(reason) }
            if blocks.end - blocks.start >= 3, blocks.byte(0) == 0xEF, blocks.byte(1) == 0xBB, blocks.byte(2) == 0xBF {
                blocks.start = 3
            }
        }
        while true {
            if case .some = problem { problem = nil }   // most records had none: no release to make
            if blocks.start >= blocks.end {
                if blocks.atEOF { finished = true; return false }
                switch blocks.fill() {
                case .failed(let reason): return failRead(reason)
                default: continue
                }
            }
            if usesPlainSplit, let record = splitPlain() {
                acceptPlain(next: record.next, ascii: record.ascii)
                if fieldCount == 1, spans[0].start == spans[0].end, spans[0].flags == 0 { continue }
                return true
            }
            switch split() {
            case .record(let next, let lineBreaks):
                storedRecordIsASCII = problem == nil && scan.recordIsASCII(upTo: next)
                blocks.start = next
                storedLine = nextLine
                nextLine += lineBreaks
                // A blank line is one empty unquoted field: skip it.
                if fieldCount == 1, spans[0].start == spans[0].end, spans[0].flags == 0, problem == nil { continue }
                return true
            case .needMore:
                switch blocks.fill() {
                case .filled, .endOfInput: continue
                case .failed(let reason): return failRead(reason)
                case .recordTooLarge:
                    storedRecordIsASCII = false
                    storedLine = nextLine
                    storedFieldCount = 0
                    problem = .recordTooLarge(limit: blocks.maxRecordBytes)
                    skipOversizedRecord()
                    return true
                }
            case .unterminatedQuote:
                // Resume on the record's second line so one stray quote costs one record, not the rest of the file.
                storedRecordIsASCII = false
                storedLine = nextLine
                storedFieldCount = 0
                problem = .unterminatedQuote
                let nl = ByteScan.first(ByteScan.broadcast(10), ByteScan.broadcast(10), in: blocks.base,
                                        from: blocks.start, limit: blocks.end)
                blocks.start = min(nl + 1, blocks.end)
                nextLine += 1
                return true
            }
        }
    }

    private func fillOrFail() -> ByteBlocks.FillResult { blocks.fill() }

    private func failRead(_ reason: String) -> Bool {
        storedRecordIsASCII = false
        finished = true
        storedLine = nextLine
        storedFieldCount = 0
        problem = .readFailed(reason)
        return true
    }

    /// Drops bytes up to and including the next line break, ignoring quotes (they cannot be trusted here).
    private func skipOversizedRecord() {
        var lineBreaksSkipped = 0
        while true {
            let nl = ByteScan.first(ByteScan.broadcast(10), ByteScan.broadcast(10), in: blocks.base,
                                    from: blocks.start, limit: blocks.end)
            if nl < blocks.end { blocks.start = nl + 1; lineBreaksSkipped += 1; break }
            blocks.discardAll()
            if case .filled = blocks.fill() { continue }
            break
        }
        nextLine += lineBreaksSkipped
    }

    /// The current record through `CSVPlainSplit`; nil when the general split must take it.
    @inlinable @inline(__always)
    func splitPlain() -> (next: Int, ascii: Bool)? {
        var list = SpanList(spans: spans, capacity: spanCapacity)
        defer { spans = list.spans; spanCapacity = list.capacity; storedFieldCount = list.count }
        return plain.split(base: UnsafeRawPointer(blocks.base), start: blocks.start, limit: blocks.end,
                           generation: blocks.generation, into: &list)
    }

    private enum SplitResult { case record(next: Int, lineBreaks: Int), needMore, unterminatedQuote }

    /// The current record's spans while splitting; a local value so the loop needs no exclusivity checks.
    @usableFromInline
    struct SpanList {
        @usableFromInline var spans: UnsafeMutablePointer<Span>
        @usableFromInline var capacity: Int
        @usableFromInline var count = 0

        @inlinable init(spans: UnsafeMutablePointer<Span>, capacity: Int) {
            self.spans = spans; self.capacity = capacity
        }

        @inline(__always) mutating func append(_ start: Int, _ end: Int, _ flags: UInt8) {
            if count == capacity { grow() }
            appendReserved(start, end, flags)
        }

        /// Appends where `reserve` has made room.
        @inlinable @inline(__always) mutating func appendReserved(_ start: Int, _ end: Int, _ flags: UInt8) {
            spans[count] = Span(start: start, end: end, flags: flags)
            count &+= 1
        }

        /// Room for `more` appends without a check each.
        @inlinable @inline(__always) mutating func reserve(_ more: Int) {
            while count &+ more > capacity { grow() }
        }

        /// Doubles the buffer (a record with more fields than any before it).
        @usableFromInline mutating func grow() {
            let grown = UnsafeMutablePointer<Span>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: spans, count: count)
            spans.deallocate()
            spans = grown
            capacity *= 2
        }
    }

    /// Splits the record at `blocks.start` into spans. Pure over the window: on `.needMore` nothing is consumed.
    private func split() -> SplitResult {
        let base = UnsafeRawPointer(blocks.base)
        let limit = blocks.end
        let eof = blocks.atEOF
        // The scan carries over from the previous record unless the window changed.
        var scan = self.scan
        if scan.generation != blocks.generation || scan.base != base || scan.limit != limit {
            scan = CSVStructureScan(base: base, limit: limit, generation: blocks.generation)
        }
        scan.beginRecord(at: blocks.start)
        defer { self.scan = scan }
        let q8 = UInt8(ascii: "\""), c8 = UInt8(ascii: ","), n8: UInt8 = 10, r8: UInt8 = 13
        // Locals, written back once: class properties in the loop would cost an exclusivity check each.
        var list = SpanList(spans: self.spans, capacity: self.spanCapacity)
        defer { self.spans = list.spans; self.spanCapacity = list.capacity; self.storedFieldCount = list.count }
        var lineBreaks = 1
        var p = blocks.start
        while true {
            if p < limit, base.load(fromByteOffset: p, as: UInt8.self) == q8 {
                // Quoted field: only `"` ends it; line breaks inside are counted.
                var flags = Self.quotedFlag
                var q = p + 1
                while true {
                    let i = scan.next(from: q)
                    if i == limit { return eof ? .unterminatedQuote : .needMore }
                    let s = base.load(fromByteOffset: i, as: UInt8.self)
                    if s == c8 { q = i + 1; continue }
                    if s == n8 { lineBreaks += 1; q = i + 1; continue }
                    if i + 1 >= limit {
                        guard eof else { return .needMore }
                        list.append(p + 1, i, flags)
                        return .record(next: limit, lineBreaks: lineBreaks)
                    }
                    let c = base.load(fromByteOffset: i + 1, as: UInt8.self)
                    if c == q8 { flags |= Self.escapedQuotesFlag; q = i + 2; continue }
                    list.append(p + 1, i, flags)
                    if c == c8 { p = i + 2; break }
                    if c == n8 { return .record(next: i + 2, lineBreaks: lineBreaks) }
                    if c == r8 {
                        if i + 2 >= limit {
                            guard eof else { return .needMore }
                            return .record(next: limit, lineBreaks: lineBreaks)
                        }
                        if base.load(fromByteOffset: i + 2, as: UInt8.self) == n8 {
                            return .record(next: i + 3, lineBreaks: lineBreaks)
                        }
                    }
                    // `"ab"c`: keep the quoted part, flag the record, skip to the field's end.
                    if problem == nil { problem = .textAfterClosingQuote(field: list.count - 1) }
                    var j = scan.next(from: i + 1)
                    while j < limit, base.load(fromByteOffset: j, as: UInt8.self) == q8 { j = scan.next(from: j + 1) }
                    if j == limit {
                        guard eof else { problem = nil; return .needMore }
                        return .record(next: limit, lineBreaks: lineBreaks)
                    }
                    if base.load(fromByteOffset: j, as: UInt8.self) == c8 { p = j + 1; break }
                    return .record(next: j + 1, lineBreaks: lineBreaks)
                }
                continue
            }
            // Unquoted field: a `"` inside it is data.
            var i = scan.next(from: p)
            while i < limit, base.load(fromByteOffset: i, as: UInt8.self) == q8 { i = scan.next(from: i + 1) }
            if i == limit {
                guard eof else { return .needMore }
                var e = limit
                if e > p, base.load(fromByteOffset: e - 1, as: UInt8.self) == r8 { e -= 1 }
                list.append(p, e, 0)
                return .record(next: limit, lineBreaks: lineBreaks)
            }
            if base.load(fromByteOffset: i, as: UInt8.self) == c8 {
                list.append(p, i, 0)
                p = i + 1
                continue
            }
            var e = i
            if e > p, base.load(fromByteOffset: e - 1, as: UInt8.self) == r8 { e -= 1 }
            list.append(p, e, 0)
            return .record(next: i + 1, lineBreaks: lineBreaks)
        }
    }
}
