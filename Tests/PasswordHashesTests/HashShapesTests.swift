import Foundation
import Testing
@testable import PasswordHashes

/// The shape cache must say exactly what the detector says, row by row, for every spelling and container — and
/// take the detector's way for anything it cannot vouch for. Checked on the round-trip cases and on mutations
/// of them (characters flipped in salts and digests, lengths and padding changed, other parameter texts), fed
/// through one cache in a seeded random order so shapes are learnt from one row and applied to others.
@Suite struct HashShapesTests {
    /// A row's hash fields as text (what a CSV gives).
    struct Row: CustomStringConvertible {
        var hash = "", type = "", salt = "", iterations = "", memory = "", threads = "", digest = "", signerKey = "", saltSeparator = ""
        var cells: [(String, String, String)] = []
        var description: String { "hash=\(hash) type=\(type) salt=\(salt) i=\(iterations) m=\(memory) p=\(threads) d=\(digest) cells=\(cells)" }

        func withBytes<R>(_ body: (HashFieldBytes) -> R) -> R {
            var storage: [[UInt8]] = [hash, type, salt, iterations, memory, threads, digest, signerKey, saltSeparator].map { Array($0.utf8) }
            storage += cells.flatMap { [Array($0.0.utf8), Array($0.1.utf8), Array($0.2.utf8)] }
            let buffers = storage.map { bytes -> UnsafeMutableRawBufferPointer in
                let p = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
                p.copyBytes(from: bytes)
                return p
            }
            defer { buffers.forEach { $0.deallocate() } }
            let b = buffers.map { UnsafeRawBufferPointer($0) }
            var f = HashFieldBytes()
            f.hash = b[0]; f.type = b[1]; f.salt = b[2]; f.iterations = b[3]; f.memory = b[4]; f.threads = b[5]
            f.digest = b[6]; f.signerKey = b[7]; f.saltSeparator = b[8]
            let cellBytes = (0..<cells.count).map { HashObjectCellBytes(kind: b[9 + 3 * $0], field: b[10 + 3 * $0], value: b[11 + 3 * $0]) }
            return cellBytes.withUnsafeBufferPointer { cellBuffer in
                f.cells = cellBuffer
                return body(f)
            }
        }
    }

    static func baseRows() throws -> [Row] {
        var rows: [Row] = []
        for c in try TestData.roundTripCases {
            guard let input = c["input"] as? String, (c["salt_encoding"] as? String ?? "auto") == "auto" else { continue }
            if input.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any],
               object["password_hash"] != nil {
                func s(_ k: String) -> String { (object[k]).map { "\($0)" } ?? "" }
                rows.append(Row(hash: s("password_hash"), type: s("password_hash_type"), salt: s("password_salt"),
                                iterations: s("password_iterations"), memory: s("password_memory"), threads: s("password_threads"),
                                digest: s("password_digest"), signerKey: s("signerKey"), saltSeparator: s("saltSeparator")))
                continue
            }
            rows.append(Row(hash: input))
            // Descope objects also as flattened cells.
            if input.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(input.utf8)) as? [String: Any] {
                let inner = (object["hashedPassword"] as? [String: Any]) ?? object
                if inner.count == 1, let (kind, value) = inner.first, let fields = value as? [String: Any] {
                    rows.append(Row(cells: fields.sorted { $0.key < $1.key }.map { (kind.lowercased(), $0.key.lowercased(), "\($0.value)") }))
                }
            }
        }
        return rows
    }

    /// Variations of a row that keep or break its shape.
    static func mutations(_ row: Row, _ rng: inout SeededRandom) -> [Row] {
        func flip(_ s: String) -> String {
            var b = Array(s.utf8)
            guard !b.isEmpty else { return s }
            let i = Int(rng.next() % UInt64(b.count))
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=.-_$!".utf8)
            b[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            return String(decoding: b, as: UTF8.self)
        }
        var out: [Row] = []
        for _ in 0..<6 {
            var r = row
            switch rng.next() % 7 {
            case 0: r.hash = flip(r.hash)
            case 1: r.salt = flip(r.salt)
            case 2: r.hash = String(r.hash.dropLast())
            case 3: r.hash += "="
            case 4: r.iterations = r.iterations.isEmpty ? "" : String((Int(r.iterations) ?? 0) + 1)
            case 5: r.type = r.type.uppercased()
            default:
                if !r.cells.isEmpty { let k = Int(rng.next() % UInt64(r.cells.count)); r.cells[k].2 = flip(r.cells[k].2) } else { r.hash = flip(flip(r.hash)) }
            }
            out.append(r)
        }
        return out
    }

    @Test func everyRowGetsTheDetectorsVerdictAndString() throws {
        var rng = SeededRandom(seed: 11)
        var rows: [Row] = []
        for base in try Self.baseRows() {
            rows.append(base); rows.append(base)
            rows += Self.mutations(base, &rng)
        }
        // Seeded shuffle: shapes are learnt from one row and used for others.
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let cache = HashShapes()
        var fromCache = 0
        for row in rows {
            row.withBytes { f in
                guard !f.isEmpty else { return }
                let expected = HashAssessment.assess(f, saltEncoding: .auto)
                let verdict = cache.classify(f)
                let got = cache.assessment(verdict)
                if !verdict.isOwn { fromCache += 1 }
                #expect(got.family == expected.family && got.label == expected.label && got.spelling == expected.spelling, "\(row)")
                switch (expected.result, got.result) {
                case (.success(let want), .success):
                    #expect(cache.workOSHash(verdict) == want, "\(row)")
                case (.failure(let want), .failure(let problem)):
                    #expect(problem == want, "\(row)")
                default:
                    Issue.record("verdicts differ: \(row): \(expected.result) vs \(got.result)")
                }
            }
        }
        // Most rows must come from the cache: a cache that always asks the detector would pass the checks above.
        #expect(fromCache > rows.count / 3, "\(fromCache) of \(rows.count)")
    }

    @Test func splitFieldsAndObjectsAreCachedWithTheirOwnStrings() throws {
        let cache = HashShapes()
        // Two PBKDF2 rows of one shape (different bytes), as split fields, a Descope object and flattened cells.
        let salts = ["jypMbhs9X3CSpMbo+x0/UA==", "AAECAwQFBgcICQoLDA0ODw=="]
        let keys = ["u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0=", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="]
        for (salt, key) in zip(salts, keys) {
            let expected = "$pbkdf2$i=600000,d=sha256$\(salt.replacingOccurrences(of: "=", with: ""))$\(key.replacingOccurrences(of: "=", with: ""))"
            let rows = [
                Row(hash: key, type: "pbkdf2", salt: salt, iterations: "600000", digest: "sha256"),
                Row(hash: #"{"pbkdf2":{"hash":"\#(key)","salt":"\#(salt)","iterations":600000,"type":"sha256"}}"#),
                Row(cells: [("pbkdf2", "hash", key), ("pbkdf2", "salt", salt), ("pbkdf2", "iterations", "600000"), ("pbkdf2", "type", "sha256")]),
            ]
            for row in rows {
                row.withBytes { f in
                    let v = cache.classify(f)
                    #expect(cache.workOSHash(v)?.string == expected, "\(row)")
                    #expect(!v.isOwn, "\(row): taken by the detector")
                }
            }
        }
        // The object and its flattened cells are one shape (same kind, fields and texts); split fields another.
        #expect(cache.shapes.filter(\.cached).count == 2)
        #expect(cache.counts.map(\.rows).reduce(0, +) == 6)
    }
}

extension HashShapesTests {
    /// Once a shape is known, hashes that differ from its first row in one byte anywhere (fixed part, `$`, salt,
    /// digest, spare bits, padding) get exactly the detector's answer — from the cache or from the detector.
    @Test func knownShapesAnswerLikeTheDetectorForEveryOneByteChange() {
        let seeds = ["$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL.",
                     "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2E$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                     "$pbkdf2-sha256$29000$N2bs/R.iNKYUgtBaq5WSsg$dRAmGpZXfzFRTOKvOqmRqtyshXObLYrsmEu5wsUltIs",
                     "$pbkdf2$i=600000,d=sha256$c2FsdHNhbHQ$dRAmGpZXfzFRTOKvOqmRqtyshXObLYrsmEu5wsUltIs",
                     "pbkdf2_sha256$600000$pepperedsalt$uIPM0isJMTzzEqeI35Wxp9cKeo5KsV4DWxCZMrnxJ/g=",
                     #"{"argon2":{"hash":"CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc=","salt":"c29tZXNhbHRzb21lc2E=","iterations":3,"memory":65536,"threads":4}}"#,
                     #"{"pbkdf2":{"hash":"u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0=","salt":"jypMbhs9X3CSpMbo+x0/UA==","iterations":600000,"type":"sha256"}}"#,
                     #"{"hashed_Password": {"bcrypt":{"hash":"$2b$10$CceWENhHlTzbkBETbORXBunPb2shzRsc/xFV0LrfOkOjYmu.UXuL."}}}"#,
                     #"{"firebase":{"hash":"lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==","salt":"42xEC+ixf3L2lw==","signerKey":"jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==","saltSeparator":"Bw==","rounds":8,"memory":14}}"#]
        let cache = HashShapes()
        var fromCache = 0, compared = 0
        func check(_ row: Row) {
            if Self.classifiesLikeTheDetector(row, cache) { fromCache += 1 }
            compared += 1
        }
        for seed in seeds { check(Row(hash: seed)) }
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for position in bytes.indices {
                for replacement in Array("$=.+/-_Az9i,{\"".utf8) + [0x00, 0x80] where replacement != bytes[position] {
                    var changed = bytes
                    changed[position] = replacement
                    check(Row(hash: String(decoding: changed, as: UTF8.self)))
                }
            }
        }
        #expect(compared > 4_000 && fromCache > 1_000, "\(fromCache) of \(compared)")
    }
}

extension HashShapesTests {
    /// The same for split fields, matched in place by their texts, lengths, padding and guessed classes: every one-byte
    /// change in any field (hash, salt, type, digest, parameters) gets exactly the detector's answer.
    @Test func knownSplitShapesAnswerLikeTheDetectorForEveryOneByteChange() {
        let seeds = [Row(hash: "u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0=", type: "pbkdf2", salt: "jypMbhs9X3CSpMbo+x0/UA==",
                         iterations: "600000", digest: "sha256"),
                     Row(hash: "1c9a0e4b5f6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061", type: "argon2id",
                         salt: "00112233445566778899aabbccddeeff", iterations: "3", memory: "65536", threads: "4"),
                     Row(hash: "lSrfV15cpx95_sZS2W9c9Kp6i_LVgQNDNC_qzrCnh1Q", type: "pbkdf2", salt: "jypMbhs9X3CSpMbo-x0_UA",
                         iterations: "210000", digest: "sha512")]
        let cache = HashShapes()
        var fromCache = 0, compared = 0
        func check(_ row: Row) {
            if Self.classifiesLikeTheDetector(row, cache) { fromCache += 1 }
            compared += 1
        }
        func changed(_ s: String, _ position: Int, _ byte: UInt8) -> String {
            var b = Array(s.utf8)
            b[position] = byte
            return String(decoding: b, as: UTF8.self)
        }
        let replacements = Array("$=.+/-_Aaf9i,{\"".utf8) + [0x00, 0x80]
        for seed in seeds { check(seed) }
        for seed in seeds {
            for field in [\Row.hash, \Row.salt, \Row.type, \Row.digest, \Row.iterations, \Row.memory, \Row.threads] {
                let text = seed[keyPath: field]
                for position in Array(text.utf8).indices {
                    for replacement in replacements where replacement != Array(text.utf8)[position] {
                        var row = seed
                        row[keyPath: field] = changed(text, position, replacement)
                        check(row)
                    }
                }
            }
        }
        #expect(compared > 3_000 && fromCache > 200, "\(fromCache) of \(compared)")
    }
}

extension HashShapesTests {
    /// Classifies the row with `cache` and expects the detector's family, label and WorkOS string or problem; true when
    /// the cache answered (not the detector).
    static func classifiesLikeTheDetector(_ row: Row, _ cache: HashShapes) -> Bool {
        row.withBytes { f in
            let expected = HashAssessment.assess(f, saltEncoding: .auto)
            let v = cache.classify(f)
            let got = cache.assessment(v)
            #expect(got.family == expected.family && got.label == expected.label, "\(row)")
            switch (expected.result, got.result) {
            case (.success(let want), .success): #expect(cache.workOSHash(v) == want, "\(row)")
            case (.failure(let want), .failure(let problem)): #expect(problem == want, "\(row)")
            default: Issue.record("verdicts differ: \(row)")
            }
            return !v.isOwn
        }
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
