import CArgon2
import COpenSSL
import CXCrypt
import Foundation
import PasswordHashes

/// Per-call verify time of PasswordVerifier next to the direct C call it wraps (DESIGN §4 targets):
/// bcrypt cost 10 vs crypt_rn, argon2id m=65536,t=3,p=4 vs argon2_verify, PBKDF2-SHA256 600,000 vs PKCS5_PBKDF2_HMAC.
enum VerifyBenchmarks {
    static let password = Array("correct horse battery staple".utf8)

    static func run(_ table: inout BenchTable) {
        if table.wants("bcrypt cost 10") { bcrypt(&table) }
        if table.wants("argon2id m=65536,t=3,p=4") { argon2(&table) }
        if table.wants("PBKDF2-SHA256 600,000") { pbkdf2(&table) }
    }

    static func detect(_ text: String) -> PasswordHash {
        switch HashDetector.detect(text) {
        case .success(let hash): return hash
        case .failure(let problem): fatalError("benchmark hash not readable: \(problem.code)")
        }
    }

    static func expectMatch(_ hash: PasswordHash) {
        guard case .success(true) = PasswordVerifier.verify(password, against: hash) else {
            fatalError("benchmark hash does not verify: \(PasswordVerifier.verify(password, against: hash))")
        }
    }

    static func bcrypt(_ table: inout BenchTable) {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { data.deallocate() }
        memset(data, 0, size)
        let phrase = password.map { CChar(bitPattern: $0) } + [0]
        let setting = Array("$2b$10$abcdefghijklmnopqrstuu".utf8CString)
        guard let out = crypt_rn(phrase, setting, data, Int32(size)) else { fatalError("crypt_rn failed") }
        let stored = String(cString: out)
        let storedC = Array(stored.utf8CString)
        let hash = detect(stored)
        expectMatch(hash)
        let t = interleaved(rounds: 15, ours: {
            _ = PasswordVerifier.verify(password, against: hash)
        }, reference: {
            guard let r = crypt_rn(phrase, storedC, data, Int32(size)), strcmp(r, storedC) == 0 else { fatalError("crypt_rn mismatch") }
        })
        table.add(BenchRow(suite: "verify", name: "bcrypt cost 10", ours: t.ours, reference: t.reference,
                           referenceName: "crypt_rn (libxcrypt) + strcmp", target: 1.05))
    }

    static func argon2(_ table: inout BenchTable) {
        let salt = Array("hashport-bench-s".utf8)
        var encoded = [CChar](repeating: 0, count: 256)
        let rc = argon2id_hash_encoded(3, 65536, 4, password, password.count, salt, salt.count, 32, &encoded, encoded.count)
        guard rc == ARGON2_OK.rawValue else { fatalError("argon2id_hash_encoded: \(rc)") }
        let hash = detect(encoded.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        expectMatch(hash)
        let t = interleaved(rounds: 11, ours: {
            _ = PasswordVerifier.verify(password, against: hash)
        }, reference: {
            guard argon2_verify(encoded, password, password.count, Argon2_id) == ARGON2_OK.rawValue else { fatalError("argon2_verify") }
        })
        table.add(BenchRow(suite: "verify", name: "argon2id m=65536,t=3,p=4", ours: t.ours, reference: t.reference,
                           referenceName: "argon2_verify (libargon2)", target: 1.05))
    }

    static func pbkdf2(_ table: inout BenchTable) {
        let salt = Array("hashport-bench-salt".utf8)
        let iterations: Int32 = 600_000
        var dk = [UInt8](repeating: 0, count: 32)
        guard PKCS5_PBKDF2_HMAC(password.map { CChar(bitPattern: $0) }, Int32(password.count), salt, Int32(salt.count),
                                iterations, EVP_sha256(), 32, &dk) == 1 else { fatalError("PKCS5_PBKDF2_HMAC") }
        func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "") }
        let hash = detect("$pbkdf2$i=\(iterations),d=sha256$\(b64(salt))$\(b64(dk))")
        expectMatch(hash)
        let phrase = password.map { CChar(bitPattern: $0) }
        var out = [UInt8](repeating: 0, count: 32)
        let t = interleaved(rounds: 9, ours: {
            _ = PasswordVerifier.verify(password, against: hash)
        }, reference: {
            guard PKCS5_PBKDF2_HMAC(phrase, Int32(phrase.count), salt, Int32(salt.count), iterations, EVP_sha256(), 32, &out) == 1,
                  CRYPTO_memcmp(out, dk, 32) == 0 else { fatalError("PKCS5_PBKDF2_HMAC mismatch") }
        })
        table.add(BenchRow(suite: "verify", name: "PBKDF2-SHA256 600,000", ours: t.ours, reference: t.reference,
                           referenceName: "PKCS5_PBKDF2_HMAC (libcrypto 3)", target: 0.5))
    }
}
