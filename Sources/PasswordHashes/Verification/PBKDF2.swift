import COpenSSL

/// PBKDF2-HMAC (RFC 8018 §5.2) with the HMAC inner and outer states computed once, then two bare
/// compression-function calls per iteration on pre-padded blocks. OpenSSL 3.0's PKCS5_PBKDF2_HMAC
/// re-enters the EVP/HMAC layers every iteration and is ~2.2× slower (hash-formats.md §4).
public enum PBKDF2 {
    public enum Digest: String, Sendable, CaseIterable {
        case sha1, sha256, sha512

        var outputSize: Int {
            switch self {
            case .sha1: SHA1Compression.digestSize
            case .sha256: SHA256Compression.digestSize
            case .sha512: SHA512Compression.digestSize
            }
        }
    }

    /// The derived key of `keyLength` bytes. `iterations` ≥ 1 and `keyLength` ≥ 1 are the caller's to check.
    public static func deriveKey(password: [UInt8], salt: [UInt8], iterations: UInt32,
                                 digest: Digest, keyLength: Int) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: max(keyLength, 0))
        password.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                key.withUnsafeMutableBytes { out in
                    switch digest {
                    case .sha1: derive(SHA1Compression.self, password: p, salt: s, iterations: iterations, into: out)
                    case .sha256: derive(SHA256Compression.self, password: p, salt: s, iterations: iterations, into: out)
                    case .sha512: derive(SHA512Compression.self, password: p, salt: s, iterations: iterations, into: out)
                    }
                }
            }
        }
        return key
    }

    static func derive<H: SHACompression>(_ hash: H.Type, password: UnsafeRawBufferPointer,
                                          salt: UnsafeRawBufferPointer, iterations: UInt32,
                                          into out: UnsafeMutableRawBufferPointer) {
        guard out.count > 0, iterations > 0 else { return }
        let blockSize = H.blockSize, digestSize = H.digestSize
        let wordSize = MemoryLayout<H.Word>.size, words = H.stateWords
        let contextSize = (MemoryLayout<H.Context>.size + 15) & ~15
        let digestSlot = (digestSize + 15) & ~15

        // One zeroed scratch area for every intermediate secret; wiped on every exit path.
        let scratch = ScratchBuffer(count: 4 * blockSize + 3 * contextSize + 4 * digestSlot)
        defer { scratch.release() }
        var cursor = scratch.base
        func take(_ n: Int) -> UnsafeMutableRawPointer { defer { cursor += n }; return cursor }
        let hmacKey = take(blockSize), pad = take(blockSize)
        let innerBlock = take(blockSize), outerBlock = take(blockSize)
        let innerContext = take(contextSize).bindMemory(to: H.Context.self, capacity: 1)
        let outerContext = take(contextSize).bindMemory(to: H.Context.self, capacity: 1)
        let work = take(contextSize).bindMemory(to: H.Context.self, capacity: 1)
        let innerState = take(digestSlot), outerState = take(digestSlot)
        let accumulator = take(digestSlot), u = take(digestSlot)
        let workState = UnsafeMutableRawPointer(work)
        let uBytes = u.assumingMemoryBound(to: UInt8.self)

        // HMAC key: the password, or its digest when longer than a block; zero-padded to a block.
        if password.count > blockSize {
            H.initialize(work)
            H.update(work, password.baseAddress!, password.count)
            H.finish(work, hmacKey.assumingMemoryBound(to: UInt8.self))
        } else if password.count > 0 {
            hmacKey.copyMemory(from: password.baseAddress!, byteCount: password.count)
        }
        for (context, padByte) in [(innerContext, UInt8(0x36)), (outerContext, UInt8(0x5c))] {
            for i in 0..<blockSize {
                pad.storeBytes(of: hmacKey.load(fromByteOffset: i, as: UInt8.self) ^ padByte,
                               toByteOffset: i, as: UInt8.self)
            }
            H.initialize(context)
            H.update(context, pad, blockSize)
        }
        innerState.copyMemory(from: innerContext, byteCount: digestSize)
        outerState.copyMemory(from: outerContext, byteCount: digestSize)

        // Both iteration blocks hold a digest followed by fixed SHA padding for a (block + digest)-byte message.
        for block in [innerBlock, outerBlock] {
            block.storeBytes(of: 0x80, toByteOffset: digestSize, as: UInt8.self)
            block.storeBytes(of: UInt64((blockSize + digestSize) * 8).bigEndian,
                             toByteOffset: blockSize - 8, as: UInt64.self)
        }
        let innerBlockBytes = UnsafePointer(innerBlock.assumingMemoryBound(to: UInt8.self))
        let outerBlockBytes = UnsafePointer(outerBlock.assumingMemoryBound(to: UInt8.self))

        var blockIndex: UInt32 = 1
        var written = 0
        while written < out.count {
            // U1 = HMAC(P, S ‖ INT(blockIndex)) through the ordinary buffered update path.
            var indexBytes = blockIndex.bigEndian
            UnsafeMutableRawPointer(work).copyMemory(from: innerContext, byteCount: MemoryLayout<H.Context>.size)
            if salt.count > 0 { H.update(work, salt.baseAddress!, salt.count) }
            withUnsafeBytes(of: &indexBytes) { H.update(work, $0.baseAddress!, 4) }
            H.finish(work, uBytes)
            UnsafeMutableRawPointer(work).copyMemory(from: outerContext, byteCount: MemoryLayout<H.Context>.size)
            H.update(work, u, digestSize)
            H.finish(work, uBytes)
            innerBlock.copyMemory(from: u, byteCount: digestSize)
            for w in 0..<words {
                accumulator.storeBytes(of: H.Word(bigEndian: u.load(fromByteOffset: w * wordSize, as: H.Word.self)),
                                       toByteOffset: w * wordSize, as: H.Word.self)
            }

            // U2…Uc: each is inner compression then outer compression, straight from the saved states.
            var remaining = iterations - 1
            while remaining > 0 {
                remaining -= 1
                for w in 0..<words {
                    workState.storeBytes(of: innerState.load(fromByteOffset: w * wordSize, as: H.Word.self),
                                         toByteOffset: w * wordSize, as: H.Word.self)
                }
                H.compress(work, innerBlockBytes)
                for w in 0..<words {
                    let s = workState.load(fromByteOffset: w * wordSize, as: H.Word.self)
                    outerBlock.storeBytes(of: s.bigEndian, toByteOffset: w * wordSize, as: H.Word.self)
                }
                for w in 0..<words {
                    workState.storeBytes(of: outerState.load(fromByteOffset: w * wordSize, as: H.Word.self),
                                         toByteOffset: w * wordSize, as: H.Word.self)
                }
                H.compress(work, outerBlockBytes)
                for w in 0..<words {
                    let s = workState.load(fromByteOffset: w * wordSize, as: H.Word.self)
                    innerBlock.storeBytes(of: s.bigEndian, toByteOffset: w * wordSize, as: H.Word.self)
                    let a = accumulator.load(fromByteOffset: w * wordSize, as: H.Word.self)
                    accumulator.storeBytes(of: a ^ s, toByteOffset: w * wordSize, as: H.Word.self)
                }
            }

            // T_blockIndex, big-endian, truncated for the last block.
            for w in 0..<words {
                let a = accumulator.load(fromByteOffset: w * wordSize, as: H.Word.self)
                u.storeBytes(of: a.bigEndian, toByteOffset: w * wordSize, as: H.Word.self)
            }
            let n = min(digestSize, out.count - written)
            out.baseAddress!.advanced(by: written).copyMemory(from: u, byteCount: n)
            written += n
            blockIndex &+= 1
        }
    }
}
