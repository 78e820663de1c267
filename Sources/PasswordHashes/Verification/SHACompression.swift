import COpenSSL

/// One of libcrypto's SHA compression functions. Each context struct starts with its chaining state
/// (`stateWords` host-order words), which the PBKDF2 loop reads and writes directly.
protocol SHACompression {
    associatedtype Context
    associatedtype Word: FixedWidthInteger & UnsignedInteger
    static var blockSize: Int { get }
    static var digestSize: Int { get }
    /// Bytes at the end of the last block that hold the message length in bits.
    static var lengthFieldSize: Int { get }
    static func initialize(_ context: UnsafeMutablePointer<Context>)
    static func update(_ context: UnsafeMutablePointer<Context>, _ data: UnsafeRawPointer, _ count: Int)
    static func finish(_ context: UnsafeMutablePointer<Context>, _ digest: UnsafeMutablePointer<UInt8>)
    /// Compresses exactly one block into the chaining state; no buffering, no padding.
    static func compress(_ context: UnsafeMutablePointer<Context>, _ block: UnsafePointer<UInt8>)
}

extension SHACompression {
    static var stateWords: Int { digestSize / MemoryLayout<Word>.size }

    /// The plain digest of the concatenation of `parts`.
    static func digest(_ parts: UnsafeRawBufferPointer...) -> [UInt8] {
        let context = UnsafeMutablePointer<Context>.allocate(capacity: 1)
        defer {
            OPENSSL_cleanse(context, MemoryLayout<Context>.size)
            context.deallocate()
        }
        initialize(context)
        for part in parts where part.count > 0 { update(context, part.baseAddress!, part.count) }
        var out = [UInt8](repeating: 0, count: digestSize)
        out.withUnsafeMutableBufferPointer { finish(context, $0.baseAddress!) }
        return out
    }
}

enum SHA1Compression: SHACompression {
    typealias Context = SHA_CTX
    typealias Word = UInt32
    static var blockSize: Int { 64 }
    static var digestSize: Int { 20 }
    static var lengthFieldSize: Int { 8 }
    static func initialize(_ c: UnsafeMutablePointer<SHA_CTX>) { SHA1_Init(c) }
    static func update(_ c: UnsafeMutablePointer<SHA_CTX>, _ d: UnsafeRawPointer, _ n: Int) { SHA1_Update(c, d, n) }
    static func finish(_ c: UnsafeMutablePointer<SHA_CTX>, _ out: UnsafeMutablePointer<UInt8>) { SHA1_Final(out, c) }
    static func compress(_ c: UnsafeMutablePointer<SHA_CTX>, _ b: UnsafePointer<UInt8>) { SHA1_Transform(c, b) }
}

enum SHA256Compression: SHACompression {
    typealias Context = SHA256_CTX
    typealias Word = UInt32
    static var blockSize: Int { 64 }
    static var digestSize: Int { 32 }
    static var lengthFieldSize: Int { 8 }
    static func initialize(_ c: UnsafeMutablePointer<SHA256_CTX>) { SHA256_Init(c) }
    static func update(_ c: UnsafeMutablePointer<SHA256_CTX>, _ d: UnsafeRawPointer, _ n: Int) { SHA256_Update(c, d, n) }
    static func finish(_ c: UnsafeMutablePointer<SHA256_CTX>, _ out: UnsafeMutablePointer<UInt8>) { SHA256_Final(out, c) }
    static func compress(_ c: UnsafeMutablePointer<SHA256_CTX>, _ b: UnsafePointer<UInt8>) { SHA256_Transform(c, b) }
}

enum SHA512Compression: SHACompression {
    typealias Context = SHA512_CTX
    typealias Word = UInt64
    static var blockSize: Int { 128 }
    static var digestSize: Int { 64 }
    static var lengthFieldSize: Int { 16 }
    static func initialize(_ c: UnsafeMutablePointer<SHA512_CTX>) { SHA512_Init(c) }
    static func update(_ c: UnsafeMutablePointer<SHA512_CTX>, _ d: UnsafeRawPointer, _ n: Int) { SHA512_Update(c, d, n) }
    static func finish(_ c: UnsafeMutablePointer<SHA512_CTX>, _ out: UnsafeMutablePointer<UInt8>) { SHA512_Final(out, c) }
    static func compress(_ c: UnsafeMutablePointer<SHA512_CTX>, _ b: UnsafePointer<UInt8>) { SHA512_Transform(c, b) }
}
