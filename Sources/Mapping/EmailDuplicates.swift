#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DescopeExport
import Synchronization

/// Finds emails that occur on more than one row, in bounded memory, for exports of any size.
///
/// Each row adds a 64-bit fingerprint of its lower-cased email and a packed row reference (16 bytes), into
/// one of 256 buckets chosen by the fingerprint's top byte. A full bucket spills, unsorted, to one unlinked
/// temporary file; `finish()` then takes the buckets one at a time — its spilled segments and what is still in
/// memory, about rows / 256 entries — sorts them in cache and keeps fingerprints seen twice. Nothing is sorted
/// at full size and nothing is merged, and an export that fits the buffer never touches the disk. Memory:
/// 16 × `capacity` bytes (4 MiB at the default, 16 MiB for inspect and convert, in huge pages where the system
/// offers them; at least 4 entries per bucket) + 16 KiB of unfinished lines + 2 × 16 bytes × the largest bucket while finishing (rows / 256 each) + the duplicate groups
/// found; temporary disk: up to 16 bytes per row. Two different emails share a fingerprint with probability
/// about n² / 2⁶⁵ over n rows (3·10⁻⁸ at 1M rows, 4·10⁻⁷ at 4M): that is the only inexactness.
public final class DuplicateEmailFinder {
    /// A fingerprint and where it was seen.
    struct Entry { var fingerprint: UInt64; var ref: RowRef }

    static let bucketCount = 256

    public let capacity: Int
    /// Entries each bucket holds in memory.
    private let regionSize: Int
    private let temporaryDirectory: String
    /// `bucketCount` regions of `regionSize` entries.
    private let buffer: UnsafeMutablePointer<Entry>
    private let bufferIsMapped: Bool
    /// Entries per bucket in memory (its region, then its line in `staging`).
    private let filled: UnsafeMutablePointer<Int>
    /// Each bucket's last, unfinished cache line (4 entries). A finished line goes to the region in one
    /// streaming write: rows land in random buckets, so an ordinary store would wait for memory to read a
    /// line it is about to overwrite whole, and hold up every store after it.
    private let staging: UnsafeMutablePointer<Entry>
    private static let lineEntries = 4
    private var spillFile: Int32 = -1
    private var spillEnd: off_t = 0
    /// Per bucket, the spilled segments (file offset, entries).
    private var segments: [[(offset: off_t, count: Int)]]
    // Confined to its one run: the per-row state skips dynamic exclusivity checks.
    @exclusivity(unchecked) private var files: [String] = []
    @exclusivity(unchecked) public private(set) var rowsAdded = 0

    public init(capacity: Int = 1 << 18, temporaryDirectory: String? = nil) {
        regionSize = max(Self.lineEntries, (capacity / Self.bucketCount + Self.lineEntries - 1) / Self.lineEntries * Self.lineEntries)
        self.capacity = regionSize * Self.bucketCount
        self.temporaryDirectory = temporaryDirectory ?? (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        (buffer, bufferIsMapped) = Self.allocateBuffer(entries: self.capacity)
        filled = .allocate(capacity: Self.bucketCount)
        filled.initialize(repeating: 0, count: Self.bucketCount)
        staging = .allocate(capacity: Self.bucketCount * Self.lineEntries)
        segments = Array(repeating: [], count: Self.bucketCount)
    }

    deinit {
        if bufferIsMapped { munmap(buffer, capacity * MemoryLayout<Entry>.stride) } else { buffer.deallocate() }
        filled.deallocate(); staging.deallocate()
        if spillFile >= 0 { close(spillFile) }
    }

    /// The index to pass to `add(fingerprint:file:line:tag:)` for rows of `path` (at most 255 inputs).
    public func fileIndex(for path: String) -> UInt8 {
        if let last = files.last, last == path { return UInt8(truncatingIfNeeded: min(files.count - 1, 255)) }
        if let i = files.firstIndex(of: path) { return UInt8(truncatingIfNeeded: i) }
        files.append(path)
        return UInt8(truncatingIfNeeded: min(files.count - 1, 255))
    }

    /// Adds one row's email (case is ignored).
    public func add(email: String, at location: SourceLocation) throws(DuplicateEmailError) {
        try add(fingerprint: EmailAddress.fingerprint(email), file: fileIndex(for: location.file), line: location.line, tag: 0)
    }

    /// The fast path: a fingerprint from `EmailAddress.fingerprint(_:)`; `tag` (0–15) travels with the row
    /// (inspect keeps the row's provisional outcome there).
    @inline(__always)
    public func add(fingerprint: UInt64, file: UInt8, line: Int, tag: UInt8) throws(DuplicateEmailError) {
        let bucket = Int(truncatingIfNeeded: fingerprint >> 56)
        if filled[bucket] == regionSize { try spill(bucket) }
        let n = filled[bucket], last = Self.lineEntries - 1
        let pending = staging + bucket &* Self.lineEntries
        pending[n & last] = Entry(fingerprint: fingerprint, ref: RowRef(file: file, line: line, tag: tag))
        if n & last == last {
            let lineStart: Int = bucket &* regionSize &+ n &- last
            Self.writeLine(pending, to: buffer + lineStart)
        }
        filled[bucket] = n &+ 1
        rowsAdded &+= 1
    }

    /// Copies a finished line of 4 entries to its region, around the caches where the platform allows.
    @inline(__always)
    private static func writeLine(_ line: UnsafeMutablePointer<Entry>, to target: UnsafeMutablePointer<Entry>) {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        let from = UnsafeRawPointer(line), to = UnsafeMutableRawPointer(target)
        for k in 0..<lineEntries {
            let v = unsafeBitCast(from.loadUnaligned(fromByteOffset: 16 * k, as: SIMD16<UInt8>.self), to: __m128i.self)
            _mm_stream_si128(to + 16 * k, v)
        }
        #else
        target.update(from: line, count: lineEntries)
        #endif
    }

    /// Makes every entry readable in its region: unfinished lines are copied in, and a fence orders the
    /// streaming writes before a spill writes a region out or `finish` reads them.
    private func settleRegions() {
        for b in 0..<Self.bucketCount {
            let unfinished = filled[b] & (Self.lineEntries - 1)
            if unfinished > 0 {
                (buffer + b * regionSize + (filled[b] - unfinished)).update(from: staging + b * Self.lineEntries, count: unfinished)
            }
        }
        atomicMemoryFence(ordering: .sequentiallyConsistent)
    }

    /// Finds every group of rows that share an email, bucket by bucket.
    public func finish() throws(DuplicateEmailError) -> DuplicateEmailIndex {
        settleRegions()
        var groups: [UInt64: [RowRef]] = [:]
        var largest = 0
        for b in 0..<Self.bucketCount { largest = max(largest, filled[b] + segments[b].reduce(0) { $0 + $1.count }) }
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(1, largest))
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: max(1, largest))
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * Self.radixBuckets)
        defer { entries.deallocate(); scratch.deallocate(); counts.deallocate() }
        for b in 0..<Self.bucketCount {
            var n = 0
            for segment in segments[b] {
                try read(segment, into: entries + n)
                n += segment.count
            }
            let region = buffer + b * regionSize
            if n == 0 {
                // Nothing spilled: sort straight from the region.
                n = filled[b]
                Self.radixSort(from: region, into: entries, scratch: scratch, counts: counts, n)
            } else {
                (entries + n).update(from: region, count: filled[b])
                n += filled[b]
                Self.radixSort(from: entries, into: entries, scratch: scratch, counts: counts, n)
            }
            var i = 0
            while i < n {
                var j = i + 1
                while j < n, entries[j].fingerprint == entries[i].fingerprint { j += 1 }
                if j - i > 1 { groups[entries[i].fingerprint] = (i..<j).map { entries[$0].ref } }
                i = j
            }
            filled[b] = 0
            segments[b].removeAll()
        }
        return DuplicateEmailIndex(groups: groups, files: files)
    }

    /// The entry buffer as anonymous pages, in 2 MiB pages where transparent huge pages are on for asking
    /// (8 page faults instead of 4,096 for 16 MiB); from the heap if mapping fails.
    private static func allocateBuffer(entries: Int) -> (UnsafeMutablePointer<Entry>, mapped: Bool) {
        let bytes = entries * MemoryLayout<Entry>.stride
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            return (.allocate(capacity: entries), false)
        }
        #if os(Linux)
        _ = madvise(p, bytes, MADV_HUGEPAGE)
        #endif
        return (p.bindMemory(to: Entry.self, capacity: entries), true)
    }

    /// Appends one full bucket's entries to the temporary file (created unlinked on first use).
    private func spill(_ b: Int) throws(DuplicateEmailError) {
        if spillFile < 0 {
            var template = Array("\(temporaryDirectory)/hashport-emails-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw .temporaryFile(String(cString: strerror(errno))) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            spillFile = fd
        }
        // A full region has no unfinished line; its streaming writes only need the fence.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        let bytes = filled[b] * MemoryLayout<Entry>.stride
        let source = UnsafeRawPointer(buffer + b * regionSize)
        var done = 0
        while done < bytes {
            let n = pwrite(spillFile, source + done, bytes - done, spillEnd + off_t(done))
            if n < 0 { if errno == EINTR { continue }; throw .temporaryFile(String(cString: strerror(errno))) }
            done += n
        }
        segments[b].append((spillEnd, filled[b]))
        spillEnd += off_t(bytes)
        filled[b] = 0
    }

    private func read(_ segment: (offset: off_t, count: Int), into target: UnsafeMutablePointer<Entry>) throws(DuplicateEmailError) {
        let bytes = segment.count * MemoryLayout<Entry>.stride
        var got = 0
        while got < bytes {
            let n = pread(spillFile, UnsafeMutableRawPointer(target) + got, bytes - got, segment.offset + off_t(got))
            if n < 0 { if errno == EINTR { continue }; throw .temporaryFile(String(cString: strerror(errno))) }
            if n == 0 { throw .temporaryFile("the temporary file ended early") }
            got += n
        }
    }

    static let radixBuckets = 1 << 11

    /// Sorts one bucket's `n` entries from `source` into `a` by fingerprint: LSD radix on the 22 bits below the
    /// bucket's top byte in two passes of 11 bits (2,048 counters stay in cache; two passes end in `a`, so
    /// nothing is copied back), then the rare runs that share those bits are finished by insertion sort on the
    /// whole key. `source` may be `a`; `scratch` holds `n` entries, `counts` 2 × 2,048.
    static func radixSort(from source: UnsafeMutablePointer<Entry>, into a: UnsafeMutablePointer<Entry>,
                          scratch: UnsafeMutablePointer<Entry>, counts c: UnsafeMutablePointer<Int32>, _ n: Int) {
        guard n >= 2, n <= Int(Int32.max) else {
            // One entry, or more than 32-bit counters hold (billions of rows with one email): no radix.
            if source != a { a.update(from: source, count: n) }
            var all = UnsafeMutableBufferPointer(start: a, count: n)
            if n >= 2 { all.sort { $0.fingerprint < $1.fingerprint } }
            return
        }
        let buckets = radixBuckets
        @inline(__always) func digit(_ k: UInt64, _ d: Int) -> Int { Int(truncatingIfNeeded: (k &>> UInt64(34 &+ 11 &* d)) & 0x7FF) }
        c.initialize(repeating: 0, count: 2 * buckets)
        for i in 0..<n {
            let k = source[i].fingerprint
            c[digit(k, 0)] &+= 1; c[buckets &+ digit(k, 1)] &+= 1
        }
        for d in 0..<2 {
            var sum: Int32 = 0
            for i in (d * buckets)..<((d + 1) * buckets) { let t = c[i]; c[i] = sum; sum &+= t }
        }
        for i in 0..<n {
            let e = source[i]
            let slot = digit(e.fingerprint, 0)
            scratch[Int(c[slot])] = e
            c[slot] &+= 1
        }
        for i in 0..<n {
            let e = scratch[i]
            let slot = buckets &+ digit(e.fingerprint, 1)
            a[Int(c[slot])] = e
            c[slot] &+= 1
        }
        // Entries equal in the top 30 bits are adjacent now; order each such run by the whole fingerprint.
        var i = 0
        while i < n {
            var j = i + 1
            while j < n, a[j].fingerprint &>> 34 == a[i].fingerprint &>> 34 { j += 1 }
            if j - i > 1 {
                for x in (i + 1)..<j {
                    let e = a[x]
                    var y = x
                    while y > i, a[y - 1].fingerprint > e.fingerprint { a[y] = a[y - 1]; y -= 1 }
                    a[y] = e
                }
            }
            i = j
        }
    }

}

public enum DuplicateEmailError: Error, CustomStringConvertible, Equatable {
    case temporaryFile(String)
    public var description: String {
        switch self { case .temporaryFile(let why): return "duplicate-email check: temporary file: \(why)" }
    }
}

/// A row reference packed in 8 bytes: input file index (8 bits), a 4-bit tag, line (52 bits).
public struct RowRef: Sendable, Hashable {
    public var raw: UInt64
    @inline(__always) public init(file: UInt8, line: Int, tag: UInt8) {
        raw = UInt64(file) << 56 | UInt64(tag & 0xF) << 52 | (UInt64(truncatingIfNeeded: max(0, line)) & 0xF_FFFF_FFFF_FFFF)
    }
    public var file: UInt8 { UInt8(truncatingIfNeeded: raw >> 56) }
    public var tag: UInt8 { UInt8(truncatingIfNeeded: raw >> 52) & 0xF }
    public var line: Int { Int(truncatingIfNeeded: raw & 0xF_FFFF_FFFF_FFFF) }
}

/// The rows that share an email with another row. Empty when no duplicate check was run.
public struct DuplicateEmailIndex: Sendable {
    public static let empty = DuplicateEmailIndex(groups: [:], files: [])

    /// Fingerprint → every row with that email, in input order.
    public let groups: [UInt64: [RowRef]]
    let files: [String]

    init(groups: [UInt64: [RowRef]], files: [String]) {
        self.groups = groups.mapValues { $0.sorted { ($0.file, $0.line) < ($1.file, $1.line) } }
        self.files = files
    }

    /// Number of rows that share their email with another row.
    public var duplicateRowCount: Int { groups.values.reduce(0) { $0 + $1.count } }

    public func location(_ ref: RowRef) -> SourceLocation {
        SourceLocation(file: Int(ref.file) < files.count ? files[Int(ref.file)] : "?", line: ref.line)
    }

    /// The other rows with this email, nil when the email is unique or `row` was not part of the check
    /// (a skipped user claims no email).
    public func otherRows(sharingEmail email: String, with row: SourceLocation) -> [SourceLocation]? {
        otherRows(sharing: EmailAddress.fingerprint(email), with: row)
    }

    /// `otherRows(sharingEmail:with:)` by the email's fingerprint.
    public func otherRows(sharing fingerprint: UInt64, with row: SourceLocation) -> [SourceLocation]? {
        guard !groups.isEmpty, let group = groups[fingerprint] else { return nil }
        let locations = group.map(location)
        guard locations.contains(row) else { return nil }
        let others = locations.filter { $0 != row }
        return others.isEmpty ? nil : others
    }

    /// The problem every row of a group gets (the mapper and `inspect` word it the same way).
    package static func problem(others: [SourceLocation], row: SourceLocation) -> MigrationProblem {
        MigrationProblem(problemCode, message(others: others, row: row), severity: problemSeverity)
    }

    package static let problemCode = "duplicate_email"
    package static let problemSeverity = MigrationProblem.Severity.error

    package static func message(others: [SourceLocation], row: SourceLocation) -> String {
        let shown = others.prefix(10).map { $0.file == row.file ? "\($0.line)" : $0.description }
        let more = others.count > 10 ? " and \(others.count - 10) more" : ""
        return "the same email address (ignoring case) is on \(others.count == 1 ? "row" : "rows") \(shown.joined(separator: ", "))\(more); none of them is imported until that is resolved"
    }
}
