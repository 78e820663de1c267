#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif
import DescopeExport
import PasswordHashes

/// `inspect`'s fast path over one support CSV: rows are checked in place in the reader's window, from the
/// field bytes, without making a `DescopeUser`. A row qualifies when everything that could change its outcome
/// is plain (ASCII fields, a valid email, a printable user id, an enabled user, a hash of a known shape, no
/// JSON, tenant, phone or split-hash cells); every other row is mapped the general way by `UserMapper`, so both
/// paths give the same outcome (the tests hold the two against each other on every sample export).
struct CSVPreflightScan {
    let reader: CSVUserReader
    let mapper: UserMapper
    let canaries: CanaryCheck?
    let hashes: HashShapeCache

    // Field indices (-1: no such column).
    let email, userId, status, test, emailVerified, phoneVerified, createdAt, hash, loginIds, middleName: Int
    let name, givenName, familyName: Int
    /// Columns that make a row take the general path whenever they are not empty.
    let generalIfPresent: [Int]
    let canaryEmails: Set<UInt64>
    let checksCanaryEmails: Bool
    let columnCount: Int

    init(reader: CSVUserReader, mapper: UserMapper, canaries: CanaryCheck?, hashes: HashShapeCache? = nil) {
        self.reader = reader; self.mapper = mapper; self.canaries = canaries
        self.hashes = hashes ?? HashShapeCache(saltEncoding: mapper.options.saltEncoding)
        let layout = reader.layout
        func index(_ c: ExportColumn) -> Int { layout[c] ?? -1 }
        email = index(.email); userId = index(.userId); status = index(.status); test = index(.test)
        emailVerified = index(.emailVerified); phoneVerified = index(.phoneVerified); createdAt = index(.createdAt); loginIds = index(.loginIds)
        middleName = index(.middleName)
        name = index(.name); givenName = index(.givenName); familyName = index(.familyName)
        // The hash is in `password_hash`, else in `password` (when it is not a true/false flag column).
        let hashColumn = layout[.passwordHash] ?? layout[.password] ?? -1
        hash = hashColumn
        var general: [Int] = []
        for c: ExportColumn in [.phone, .projectRoles, .tenants, .customAttributes, .passwordHashType, .passwordSalt,
                                .passwordIterations, .passwordMemory, .passwordThreads, .passwordDigest,
                                .passwordSignerKey, .passwordSaltSeparator] {
            if let i = layout[c] { general.append(i) }
        }
        if layout[.passwordHash] != nil, let flag = layout[.password] { general.append(flag) }
        general += layout.customAttributeFields.map(\.index)
        general += layout.hashObjectFields.map(\.index)
        generalIfPresent = general
        canaryEmails = canaries?.emailFingerprints ?? []
        checksCanaryEmails = !canaryEmails.isEmpty
        columnCount = layout.headers.count
    }

    /// What the in-place rows add up to, folded into the report at the end.
    struct PlainTally {
        var users = 0
        var outcomes = PreflightReport.Outcomes()
        var noHashCount = 0
        var noHashRows: [Int] = []
    }

    /// Reads the whole file into `report` and `finder`.
    func run(into report: inout PreflightReport, finder: DuplicateEmailFinder,
                      progress: (@Sendable (Int) -> Void)?) throws(DuplicateEmailError) {
        let csv = reader.csv
        let file = finder.fileIndex(for: csv.path)
        let fastPathOn = userId >= 0 && email >= 0 && mapper.options.saltEncoding == .auto
            && canaries?.hasUserIdCanaries != true
        var tally = PlainTally()
        while true {
            // Plain rows go by in their own loop; it stops at a row the general path must take, or at the end.
            if fastPathOn {
                guard try readInPlace(csv, &tally, report: &report, finder: finder, file: file, progress: progress) else { break }
            } else {
                guard csv.nextRecord() else { break }
                tally.users += 1
                if let progress, tally.users & 0xFFFF == 0 { progress(report.users + tally.users) }
            }
            // The general path, for this row only.
            switch reader.currentItem() {
            case .problem(let problem):
                tally.users -= 1
                report.add(problem)
            case .user(let user):
                tally.users -= 1
                let mapped = mapper.map(user, hashes: hashes)
                report.add(mapped)
                if let key = mapper.duplicateKey(for: user) {
                    try finder.add(fingerprint: EmailAddress.fingerprint(key), file: file, line: user.source.line,
                                   tag: Preflight.tag(mapped.status))
                }
                if let canaries, canaries.wants(email: mapped.user.email, userId: user.userId) { canaries.check(mapped) }
            }
        }
        report.users += tally.users
        report.outcomes.ready += tally.outcomes.ready
        report.outcomes.readyWithoutPassword += tally.outcomes.readyWithoutPassword
        for (shape, count) in zip(hashes.shapes, hashes.rows) where count > 0 {
            report.countHash(family: shape.family, label: shape.label, importable: shape.importable, count: count)
        }
        if tally.noHashCount > 0 {
            let p = UserMapper.noPasswordHash
            if report.problems[p.code] == nil {
                report.problems[p.code] = PreflightReport.ProblemCount(code: p.code, severity: p.severity, message: p.message)
            }
            report.problems[p.code]!.count += tally.noHashCount
            // Rows stay in input order: general-path rows of this code were noted as they came.
            let merged = (report.problems[p.code]!.rows + tally.noHashRows).sorted()
            report.problems[p.code]!.rows = Array(merged.prefix(PreflightReport.rowsPerProblem))
        }
    }

    /// Reads rows and takes each in place while `fastRow` can; returns true with the first row it cannot take
    /// as the reader's current record (counted in `users`), false at the end of the input. A loop of its own,
    /// small enough that the row checks are inlined into it.
    @inline(never)
    private func readInPlace(_ csv: CSVReader, _ tally: inout PlainTally, report: inout PreflightReport,
                             finder: DuplicateEmailFinder, file: UInt8,
                             progress: (@Sendable (Int) -> Void)?) throws(DuplicateEmailError) -> Bool {
        while csv.nextRecordPlainFirst() {
            tally.users += 1
            if let progress, tally.users & 0xFFFF == 0 { progress(report.users + tally.users) }
            guard let (fingerprint, shape) = fastRow(csv) else { return true }
            let tag: UInt8
            if shape < 0 {
                tag = 1
                tally.outcomes.readyWithoutPassword += 1
                tally.noHashCount += 1
                if tally.noHashRows.count < PreflightReport.rowsPerProblem { tally.noHashRows.append(csv.line) }
            } else if hashes.isRefused(shape) {
                tag = 1
                tally.outcomes.readyWithoutPassword += 1
                report.note(hashes.shapes[shape].refusal!, row: csv.line)
            } else {
                tag = 0
                tally.outcomes.ready += 1
            }
            try finder.add(fingerprint: fingerprint, file: file, line: csv.line, tag: tag)
            report.rowsReadInPlace += 1
        }
        return false
    }

    /// The email fingerprint and hash shape (-1: no hash) of a plain row; nil when the row needs the general path.
    @_transparent   // always inlined into readInPlace's loop (`@inline(__always)` is only a hint there)
    func fastRow(_ csv: CSVReader) -> (UInt64, Int)? {
        // A plain record (no problem, no `""`; words may be loaded across field ends) whose every field is ASCII
        // (the general path checks UTF-8 of each recognised column; ASCII is stricter).
        guard let f = csv.plainFields, csv.recordIsASCII, f.count == columnCount else { return nil }
        if !generalIfPresent.isEmpty { for i in generalIfPresent where csv.rawLength(i) != 0 { return nil } }
        // Email: present and valid (so without spaces or tabs to trim).
        guard let fingerprint = EmailAddress.fingerprintIfValid(followedByPadding: f[email]) else { return nil }
        if checksCanaryEmails, canaryEmails.contains(fingerprint) { return nil }
        // User id: 1–128 printable ASCII (the external_id rule).
        let id = f[userId]
        guard id.count > 0, id.count <= 128, Self.isPrintableASCII(id) else { return nil }
        if status >= 0, !Self.isActiveStatus(f[status]) { return nil }
        if test >= 0, !Self.isNotTest(f[test]) { return nil }
        if emailVerified >= 0, !Self.isEmptyOrBoolean(f[emailVerified]) { return nil }
        if phoneVerified >= 0, !Self.isEmptyOrBoolean(f[phoneVerified]) { return nil }
        if createdAt >= 0 {
            let b = f[createdAt]
            guard b.count <= 18, Self.isDigits(b) else { return nil }
        }
        if middleName >= 0, csv.rawLength(middleName) > MetadataBuilder.maxValueLength { return nil }
        // Login ids: none, or exactly the email (then they add one short metadata value and no SMS login).
        if loginIds >= 0, csv.rawLength(loginIds) != 0 {
            let l = f[loginIds], e = f[email]
            guard l.count == e.count, memcmp(l.baseAddress!, e.baseAddress!, l.count) == 0 else { return nil }
        }
        guard hash >= 0, csv.rawLength(hash) != 0 else { return (fingerprint, -1) }
        guard let shape = hashes.classify(f[hash]) else { return nil }
        return (fingerprint, shape)
    }

    // Little-endian words of the accepted values (literals: a `static let` costs a lazy-initialisation check per use).
    static var enabled: UInt64 { 0x0064_656C_6261_6E65 }
    static var invited: UInt64 { 0x0064_6574_6976_6E69 }
    static var trueWord: UInt64 { 0x6575_7274 }
    static var falseWord: UInt64 { 0x65_736C_6166 }

    /// The field's first min(8, count) bytes as a little-endian word. Plain records only: the load may run past
    /// the field's end, which stays inside the reader's window there.
    @inline(__always) static func word(_ b: UnsafeRawBufferPointer) -> UInt64 {
        let w = b.baseAddress!.loadUnaligned(as: UInt64.self)
        return b.count >= 8 ? w : w & ((1 &<< UInt64(truncatingIfNeeded: 8 &* b.count)) &- 1)
    }

    static func wordValue(_ s: StaticString) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<min(8, s.utf8CodeUnitCount) { w |= UInt64(s.utf8Start[k]) << UInt64(8 * k) }
        return w
    }

    /// `status` empty, `enabled` or `invited`: a user the export imports (plain records only, like `word`).
    @inline(__always) static func isActiveStatus(_ b: UnsafeRawBufferPointer) -> Bool {
        b.count == 0 || (b.count == 7 && (word(b) == enabled || word(b) == invited))
    }

    /// `test` empty or `false` (plain records only).
    @inline(__always) static func isNotTest(_ b: UnsafeRawBufferPointer) -> Bool {
        b.count == 0 || (b.count == 5 && word(b) == falseWord)
    }

    @inline(__always) static func isEmptyOrBoolean(_ b: UnsafeRawBufferPointer) -> Bool {
        b.count == 0 || (b.count == 4 && word(b) == trueWord) || (b.count == 5 && word(b) == falseWord)
    }

    /// Every byte `0`–`9` (plain records only, like `word`: the loads run past the field's end).
    @inline(__always) static func isDigits(_ b: UnsafeRawBufferPointer) -> Bool {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        return everyLane(b) { v in _mm_andnot_si128(ByteVector.inRange(v, 0x30, 0x39), _mm_set1_epi8(-1)) }
        #else
        let zeros: UInt64 = 0x3030_3030_3030_3030, high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        var i = 0
        while i < b.count {
            let k = b.count &- i
            let keep: UInt64 = k >= 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: 8 &* k)) &- 1
            // Bytes past the field read as `0`; a digit keeps high nibble 3 with and without +6.
            let w = (b.baseAddress!.loadUnaligned(fromByteOffset: i, as: UInt64.self) & keep) | (zeros & ~keep)
            if w & high != zeros || (w &+ 0x0606_0606_0606_0606) & high != zeros { return false }
            i &+= 8
        }
        return true
        #endif
    }

    /// Every byte in 0x20–0x7E (plain records only, like `word`).
    @inline(__always) static func isPrintableASCII(_ b: UnsafeRawBufferPointer) -> Bool {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        // Signed bytes: below 0x20 takes in every byte from 0x80 too; then DEL.
        return everyLane(b) { v in _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), ByteVector.equal(v, 0x7F)) }
        #else
        let n = b.count
        guard n >= 8 else { return b.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
        var i = 0
        while true {
            let start = min(i, n - 8)
            let w = b.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            // High bit: non-ASCII; below 0x20 (exact as an "any", borrows only follow a true hit); DEL.
            let below20 = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            if (w & 0x8080_8080_8080_8080) | below20 | ByteScan.zeroBytes(w ^ 0x7F7F_7F7F_7F7F_7F7F) != 0 { return false }
            if start == n - 8 { return true }
            i += 8
        }
        #endif
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics)
    /// True when `refused` marks no lane of `b`'s bytes, 16 at a time; lanes past the field are ignored.
    @inline(__always)
    static func everyLane(_ b: UnsafeRawBufferPointer, refused: (__m128i) -> __m128i) -> Bool {
        let n = b.count
        var offset = 0
        while offset < n {
            let v = unsafeBitCast(b.baseAddress!.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self), to: __m128i.self)
            let left = n &- offset
            let lanes: Int32 = left >= 16 ? 0xFFFF : (1 &<< Int32(truncatingIfNeeded: left)) &- 1
            if _mm_movemask_epi8(refused(v)) & lanes != 0 { return false }
            offset &+= 16
        }
        return true
    }
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
