import ArgumentParser
import PasswordHashes
import Glibc

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check whether a password matches a password hash, on the C crypto libraries.",
        discussion: """
        The password is read from standard input (exactly one trailing newline is removed; every other \
        byte counts), never from the command line. HASH is any spelling `hashport phc` reads: a hash string, \
        Descope's hashedPassword object ({"pbkdf2":{…}}), or a JSON object of split fields named as in a Descope export (password_hash, password_hash_type, \
        password_salt, password_iterations, password_memory, password_threads, password_digest, and \
        signerKey/saltSeparator for Firebase).

        Example:
          printf '%s\\n' "$PASSWORD" | hashport verify --password-stdin '$2b$10$…'

        Prints `match` or `mismatch` and the hash family; neither the password nor the hash is ever printed.
        Exit status: 0 match, 1 mismatch, 2 the hash cannot be read or verified, or usage.
        """)

    /// Passwords longer than this are not passwords; stop reading instead of buffering a whole stream.
    static let maximumPasswordBytes = 64 * 1024

    @Flag(help: "Read the password from standard input (required: a password is never taken from argv).")
    var passwordStdin = false

    @Option(help: ArgumentHelp("How to read a salt whose spelling does not fix it (Clerk's pbkdf2_sha256$ salts are base64, Django's are text).",
                               valueName: "auto|base64|base64url|hex|text"))
    var saltEncoding: String = "auto"

    @Argument(help: ArgumentHelp("The hash, Descope's hashedPassword object, or a JSON object of split hash fields.", valueName: "HASH"))
    var hash: String?

    func run() throws {
        guard passwordStdin else {
            fail("the password is read from standard input: pass --password-stdin and pipe it in.")
            throw ExitStatus.usage
        }
        guard let hash, !hash.isEmpty else {
            fail("give the hash to check as the HASH argument.")
            throw ExitStatus.usage
        }
        guard let encoding = SaltEncoding(rawValue: saltEncoding) else {
            fail("--salt-encoding must be one of auto, base64, base64url, hex, text.")
            throw ExitStatus.usage
        }
        let parsed: PasswordHash
        switch HashDetector.detect(hash, saltEncoding: encoding) {
        case .success(let value): parsed = value
        case .failure(let problem):
            fail("cannot read the hash: \(problem.message) [\(problem.code)]")
            throw ExitStatus.usage
        }
        guard var password = Self.readPassword() else {
            fail("could not read the password from standard input (unreadable, or over \(Self.maximumPasswordBytes) bytes).")
            throw ExitStatus.usage
        }
        let result = PasswordVerifier.verify(password, against: parsed)
        password.withUnsafeMutableBytes { bytes in
            for i in bytes.indices { bytes[i] = 0 }
        }
        switch result {
        case .success(true):
            print("match\t\(parsed.family.rawValue)")
        case .success(false):
            print("mismatch\t\(parsed.family.rawValue)")
            throw ExitStatus.somethingFailed
        case .failure(let problem):
            fail("cannot verify this \(parsed.family.rawValue) hash: \(problem.message) [\(problem.code)]")
            throw ExitStatus.usage
        }
    }

    /// All of standard input up to the cap, minus one trailing "\n". Nil when unreadable or too long.
    static func readPassword() -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maximumPasswordBytes + 4096 + 1)  // never reallocates, so no stray copies of the password
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { for i in chunk.indices { chunk[i] = 0 } }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maximumPasswordBytes + 1 { return nil }
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes.count <= maximumPasswordBytes ? bytes : nil
    }

    private func fail(_ message: String) {
        var stderr = StandardError()
        print("hashport verify: \(message)", to: &stderr)
    }
}

/// Standard error as a `TextOutputStream`, for `print(_:to:)`.
private struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
