import DescopeExport
import Glibc

/// The support-CSV reader on a generated export (HASHPORT_BENCH_CSV_ROWS rows, default 1,000,000, ~170 MB:
/// bcrypt, quoted Argon2id and PBKDF2 hashes). The reference is reading the same file in the same 1 MiB
/// blocks without parsing it (the I/O floor); the reader must stay within 4x of it (several GB/s on one core).
enum CSVReaderBenchmark {
    static func run(_ table: inout BenchTable) {
        let rows = Int(getenv("HASHPORT_BENCH_CSV_ROWS").map { String(cString: $0) } ?? "") ?? 1_000_000
        let path = "/tmp/hashport-bench-users-\(getpid()).csv"
        guard let bytes = generate(rows: rows, path: path) else { print("csv: cannot write \(path)"); return }
        defer { unlink(path) }
        let megabytes = Double(bytes) / 1e6
        var records = 0
        let t = interleaved(rounds: 5, ours: {
            guard let csv = try? CSVReader(path: path) else { return }
            var n = 0
            while csv.nextRecord() { n &+= csv.fieldCount }
            records = n
        }, reference: { readOnly(path) })
        table.add(BenchRow(suite: "csv", name: "CSVReader \(Int(megabytes)) MB: \(Int(megabytes / t.ours)) MB/s",
                           ours: t.ours, reference: t.reference, referenceName: "read(2) in 1 MiB blocks, no parsing",
                           target: 4.0, unit: "ms/file"))
        precondition(records == (rows + 1) * 7, "every field of every row read")
    }

    static func readOnly(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while read(fd, buffer, 1 << 20) > 0 {}
    }

    static func generate(rows: Int, path: String) -> Int? {
        guard let file = fopen(path, "w") else { return nil }
        defer { fclose(file) }
        let hashes = [
            "$2a$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
            "\"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\"",
            "$pbkdf2-sha256$600000$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ",
        ]
        var total = 0
        var line = "userId,email,verifiedEmail,givenName,familyName,createdTime,password_hash\n"
        for i in 0..<rows {
            total += fputs(line, file) >= 0 ? line.utf8.count : 0
            line = "U2iOCFIwsdgeGvusd\(i),user\(i)@example.com,true,Given\(i % 977),Family\(i % 1013),\(1_700_000_000 + i),\(hashes[i % 3])\n"
        }
        total += fputs(line, file) >= 0 ? line.utf8.count : 0
        return total
    }
}
