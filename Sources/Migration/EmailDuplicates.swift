#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DescopeExport

/// Finds emails that occur on more than one row, in bounded memory, for exports of any size.
///
/// Each row adds a 64-bit fingerprint of its lower-cased email and a packed row reference (16 bytes).
/// Entries collect in a fixed buffer (`capacity` entries); a full buffer is radix-sorted and spilled to an
/// unlinked temporary file as a sorted run; `finish()` merges the runs with the last one, still in memory, and
/// keeps only fingerprints seen twice. Memory bound: 2 × 16 × `capacity` bytes (8 MiB at the default, 16 MiB
/// for inspect and convert) + 64 KiB per run while merging + the
/// duplicate groups found; temporary disk: 16 bytes per row. Two different emails share a fingerprint with
/// probability about n² / 2⁶⁵ over n rows (3·10⁻⁸ at 1M rows, 4·10⁻⁷ at 4M): that is the only inexactness.
public final class DuplicateEmailFinder {
    /// A fingerprint and where it was seen.
    struct Entry { var fingerprint: UInt64; var ref: RowRef }

    public let capacity: Int
    private let temporaryDirectory: String
    private var buffer: UnsafeMutablePointer<Entry>
    private var scratch: UnsafeMutablePointer<Entry>
    private var count = 0
    private var runs: [(fd: Int32, count: Int)] = []
    private var files: [String] = []
    public private(set) var rowsAdded = 0

    public init(capacity: Int = 1 << 18, temporaryDirectory: String? = nil) {
        self.capacity = max(16, capacity)
        self.temporaryDirectory = temporaryDirectory ?? (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        buffer = .allocate(capacity: self.capacity)
        scratch = .allocate(capacity: self.capacity)
    }

    deinit {
        buffer.deallocate(); scratch.deallocate()
        for run in runs { close(run.fd) }
    }

    /// The index to pass to `add(fingerprint:file:line:tag:)` for rows of `path` (at most 255 inputs).
    public func fileIndex(for path: String) -> UInt8 {
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
        if count == capacity { try spill() }
        buffer[count] = Entry(fingerprint: fingerprint, ref: RowRef(file: file, line: line, tag: tag))
        count += 1
        rowsAdded += 1
    }

    /// Merges everything added into the groups of rows that share an email.
    public func finish() throws(DuplicateEmailError) -> DuplicateEmailIndex {
        var groups: [UInt64: [RowRef]] = [:]
        if runs.isEmpty {
            Self.radixSort(buffer, scratch, count)
            var i = 0
            while i < count {
                var j = i + 1
                while j < count, buffer[j].fingerprint == buffer[i].fingerprint { j += 1 }
                if j - i > 1 { groups[buffer[i].fingerprint] = (i..<j).map { buffer[$0].ref } }
                i = j
            }
        } else {
            // The last run stays in memory: merged from the buffer, never written and read back.
            Self.radixSort(buffer, scratch, count)
            try mergeRuns(into: &groups, lastRun: count)
        }
        count = 0
        return DuplicateEmailIndex(groups: groups, files: files)
    }

    private func spill() throws(DuplicateEmailError) {
        Self.radixSort(buffer, scratch, count)
        var template = Array("\(temporaryDirectory)/hashport-emails-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .temporaryFile(String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var offset = 0
        let total = count * MemoryLayout<Entry>.stride
        while offset < total {
            let n = write(fd, UnsafeRawPointer(buffer) + offset, total - offset)
            if n < 0 { if errno == EINTR { continue }; close(fd); throw .temporaryFile(String(cString: strerror(errno))) }
            offset += n
        }
        runs.append((fd, count))
        count = 0
    }

    /// k-way merge of the sorted runs (k = rows / capacity, small), reading each through a 64 KiB window.
    private func mergeRuns(into groups: inout [UInt64: [RowRef]], lastRun: Int) throws(DuplicateEmailError) {
        let window = 4096
        var readers: [RunReader] = []
        for run in runs { readers.append(RunReader(fd: run.fd, total: run.count, window: window)) }
        if lastRun > 0 { readers.append(RunReader(memory: buffer, count: lastRun)) }
        defer { for r in readers { r.deallocate() } }
        for r in readers { try r.refill() }
        // The front key of each run in a plain array, so choosing the next entry touches no reader.
        let k = readers.count
        var heads = [UInt64](repeating: 0, count: k)
        var live = [Bool](repeating: false, count: k)
        for i in 0..<k where readers[i].hasEntry { heads[i] = readers[i].peek.fingerprint; live[i] = true }
        var previous = Entry(fingerprint: 0, ref: RowRef(file: 0, line: 0, tag: 0))
        var havePrevious = false
        var current: [RowRef] = []
        while true {
            var best = -1
            var bestKey: UInt64 = 0
            for i in 0..<k where live[i] && (best < 0 || heads[i] < bestKey) { best = i; bestKey = heads[i] }
            if best < 0 { break }
            let reader = readers[best]
            let entry = reader.peek
            try reader.advance()
            if reader.hasEntry { heads[best] = reader.peek.fingerprint } else { live[best] = false }
            // A group is built only when a fingerprint repeats; unique rows cost a compare.
            if havePrevious, entry.fingerprint == previous.fingerprint {
                if current.isEmpty { current.append(previous.ref) }
                current.append(entry.ref)
            } else {
                if !current.isEmpty { groups[previous.fingerprint] = current; current.removeAll(keepingCapacity: true) }
                previous = entry
                havePrevious = true
            }
        }
        if !current.isEmpty { groups[previous.fingerprint] = current }
    }

    /// Sorts by fingerprint: LSD radix on the top 33 bits in three passes of 11 bits (2,048 buckets stay in
    /// cache), then the rare runs that share those bits are finished by insertion sort on the whole key.
    static func radixSort(_ a: UnsafeMutablePointer<Entry>, _ b: UnsafeMutablePointer<Entry>, _ n: Int) {
        guard n > 1 else { return }
        let buckets = 1 << 11
        var counts = [Int](repeating: 0, count: 3 * buckets)
        counts.withUnsafeMutableBufferPointer { c in
            @inline(__always) func digit(_ k: UInt64, _ d: Int) -> Int { Int(truncatingIfNeeded: (k >> UInt64(31 + 11 * d)) & 0x7FF) }
            for i in 0..<n {
                let k = a[i].fingerprint
                c[digit(k, 0)] &+= 1; c[buckets &+ digit(k, 1)] &+= 1; c[2 &* buckets &+ digit(k, 2)] &+= 1
            }
            var src = a, dst = b
            for d in 0..<3 {
                let base = d * buckets
                var sum = 0
                for i in 0..<buckets { let t = c[base + i]; c[base + i] = sum; sum &+= t }
                for i in 0..<n {
                    let e = src[i]
                    let slot = base &+ digit(e.fingerprint, d)
                    dst[c[slot]] = e
                    c[slot] &+= 1
                }
                swap(&src, &dst)
            }
            if src != a { a.update(from: src, count: n) }
        }
        // Entries equal in the top 33 bits are adjacent now; order each such run by the whole fingerprint.
        var i = 0
        while i < n {
            var j = i + 1
            while j < n, a[j].fingerprint >> 31 == a[i].fingerprint >> 31 { j += 1 }
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

    final class RunReader {
        let fd: Int32
        var remaining: Int
        let window: Int
        let storage: UnsafeMutablePointer<Entry>
        var position = 0
        var available = 0
        var fileOffset: off_t = 0

        private let ownsStorage: Bool

        init(fd: Int32, total: Int, window: Int) {
            self.fd = fd; self.remaining = total; self.window = window
            storage = .allocate(capacity: window)
            ownsStorage = true
        }

        /// A sorted run still in memory: one window holding all of it.
        init(memory: UnsafeMutablePointer<Entry>, count: Int) {
            fd = -1; remaining = 0; window = count
            storage = memory
            available = count
            ownsStorage = false
        }

        func deallocate() { if ownsStorage { storage.deallocate() } }

        var hasEntry: Bool { position < available }
        var peek: Entry { storage[position] }

        func advance() throws(DuplicateEmailError) {
            position += 1
            if position == available { try refill() }
        }

        func refill() throws(DuplicateEmailError) {
            guard ownsStorage else { return }
            position = 0
            available = 0
            let want = min(window, remaining)
            guard want > 0 else { return }
            let bytes = want * MemoryLayout<Entry>.stride
            var got = 0
            while got < bytes {
                let n = pread(fd, UnsafeMutableRawPointer(storage) + got, bytes - got, fileOffset + off_t(got))
                if n < 0 { if errno == EINTR { continue }; throw .temporaryFile(String(cString: strerror(errno))) }
                if n == 0 { throw .temporaryFile("a temporary run file ended early") }
                got += n
            }
            fileOffset += off_t(bytes)
            remaining -= want
            available = want
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
        guard !groups.isEmpty, let group = groups[EmailAddress.fingerprint(email)] else { return nil }
        let locations = group.map(location)
        guard locations.contains(row) else { return nil }
        let others = locations.filter { $0 != row }
        return others.isEmpty ? nil : others
    }

    /// The problem every row of a group gets (the mapper and `inspect` word it the same way).
    static func problem(others: [SourceLocation], row: SourceLocation) -> MigrationProblem {
        let shown = others.prefix(10).map { $0.file == row.file ? "\($0.line)" : $0.description }
        let more = others.count > 10 ? " and \(others.count - 10) more" : ""
        return MigrationProblem(
            "duplicate_email",
            "the same email address (ignoring case) is on \(others.count == 1 ? "row" : "rows") \(shown.joined(separator: ", "))\(more); none of them is imported until that is resolved",
            severity: .error)
    }
}
