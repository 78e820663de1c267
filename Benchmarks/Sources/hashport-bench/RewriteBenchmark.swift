import Glibc
import PasswordHashes

/// Hash rewrites per second (HashDetector.detect + workOSForm, the inner loop of `hashport inspect`), one core.
/// Each row: thread CPU time for 1,000 rewrites next to the 1 ms that 1,000,000 rewrites/s allows (target ratio ≤ 1).
enum RewriteBenchmarks {
    /// From TestVectors/roundtrip.json (real hashes of "correct horse battery staple").
    static let samples: [(name: String, hash: String)] = [
        ("bcrypt", "$2b$10$abcdefghijklmnopqrstuuGGgFFcYeueaAql8Z7U7CnCTRw4DR77W"),
        ("argon2id", "$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g"),
        ("pbkdf2 (Django)", "pbkdf2_sha256$600000$Qm7vXc2LpR9sTe4w$0OGmOeHzwjldXmfoCd/bk+xcU2qJvxj8r7pFBmu2dpU="),
        ("pbkdf2 (WorkOS form)", "$pbkdf2$i=600000,d=sha256$jypMbhs9X3CSpMbo+x0/UA$u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0"),
    ]
    static let batch = 1_000

    static func run(_ table: inout BenchTable) {
        for (name, hash) in samples where table.wants("rewrite " + name) {
            // Distinct String objects, as a reader would hand over, so nothing is shared between calls.
            let inputs = (0..<batch).map { _ in String(decoding: Array(hash.utf8), as: UTF8.self) }
            var sink = 0
            let oneBatch = {
                for s in inputs {
                    if case .success(let h) = HashDetector.detect(s), case .success(let form) = h.workOSForm() {
                        sink &+= form.string.utf8.count
                    }
                }
            }
            oneBatch()
            guard sink > 0 else { print("rewrite \(name): the sample does not rewrite"); continue }
            // Thread CPU time: on a shared machine, time spent descheduled is not the code's cost.
            var times: [Double] = []
            for _ in 0..<200 {
                let start = threadCPUTime()
                oneBatch()
                times.append(threadCPUTime() - start)
            }
            table.add(BenchRow(suite: "rewrite", name: "rewrite " + name, ours: median(times), reference: 0.001,
                               referenceName: "1,000,000 rewrites/s (1 ms per 1,000)", target: 1.0, unit: "ms/1000 rewrites"))
        }
    }
}

/// CPU seconds this thread has run.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
