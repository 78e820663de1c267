import COpenSSL

/// Constant-time equality and wiping, through libcrypto so the compiler cannot short-cut them.
enum SecretBytes {
    /// True when both buffers have the same length and contents; time depends only on the length.
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress, a.count > 0 else { return true }
        return CRYPTO_memcmp(pa, pb, a.count) == 0
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in equal(pa, pb) } }
    }

    static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress, buffer.count > 0 { OPENSSL_cleanse(base, buffer.count) }
    }

    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
    }
}

/// A heap buffer for intermediate secrets: zeroed on allocation, wiped and freed by `release()`.
struct ScratchBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(count: Int, alignment: Int = 16) {
        bytes = .allocate(byteCount: max(count, 1), alignment: alignment)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    var base: UnsafeMutableRawPointer { bytes.baseAddress! }

    func release() {
        SecretBytes.wipe(bytes)
        bytes.deallocate()
    }
}
