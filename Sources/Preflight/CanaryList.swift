import Mapping
import DescopeExport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The canaries file (`--canaries F`) as `inspect` and `import` both read it: accounts whose passwords are
/// known, CSV `email,password` or `user_id,password`, through DescopeExport's CSV reader (quotes, `""`,
/// CRLF, a BOM, the spreadsheet guard `'`). A header naming the first column (`email`, `user_id`, `id`,
/// `login_id`) says what it holds; without one, an account with `@` is an email and anything else a user id.
///
/// The passwords are bytes in one buffer of this list's own, never Strings, and wiped when the list goes.
/// (The reader's read block held them too; it is freed, not wiped.)
public final class CanaryList {
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// Line of the file the canary is on.
        public var line: Int
        /// The email or Descope user id, as written.
        public var account: String
        public var isEmail: Bool
        fileprivate var offset: Int
        fileprivate var count: Int
        public var description: String { "canary \(account) (line \(line))" }
    }

    /// Largest canaries file read (it lists a handful of test accounts, not users).
    public static let maxBytes = 1 << 20

    public let path: String
    public let entries: [Entry]
    private let passwords: UnsafeMutableRawBufferPointer

    public init(path: String) throws(CanaryListError) {
        self.path = path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= Self.maxBytes else {
            throw CanaryListError(path: path, line: 0,
                                  reason: "larger than \(Self.maxBytes) bytes; a canaries file lists a few accounts")
        }
        let csv: CSVReader
        do { csv = try CSVReader(path: path) } catch { throw CanaryListError(path: path, line: 0, reason: "\(error)") }
        var entries: [Entry] = []
        let passwords = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 1)
        passwords.initializeMemory(as: UInt8.self, repeating: 0)
        var used = 0
        var headerKind: Bool? = nil   // true: emails, false: user ids
        var first = true
        do throws(CanaryListError) {
            while csv.nextRecord() {
                if let problem = csv.problem { throw CanaryListError(path: path, line: csv.line, reason: "not valid CSV (\(problem))") }
                guard let account = csv.string(at: 0)?.trimmingASCIIWhitespace else {
                    throw CanaryListError(path: path, line: csv.line, reason: "the account is not valid UTF-8")
                }
                if first {
                    first = false
                    let header = ExportColumn.normalise(account)
                    if ["email", "emailaddress", "loginid"].contains(header) { headerKind = true; continue }
                    if ["userid", "id", "descopeuserid"].contains(header) { headerKind = false; continue }
                }
                guard csv.fieldCount == 2 else {
                    throw CanaryListError(path: path, line: csv.line, reason: "expected 2 fields (account,password), "
                                          + "found \(csv.fieldCount); quote a password that holds a comma")
                }
                guard !account.isEmpty else { throw CanaryListError(path: path, line: csv.line, reason: "the account is empty") }
                let count = csv.withField(1) { field -> Int in
                    // The file's size bounds every field, so the buffer never overflows.
                    if let base = field.baseAddress, field.count > 0, used + field.count <= passwords.count {
                        (passwords.baseAddress! + used).copyMemory(from: base, byteCount: field.count)
                    }
                    return field.count
                }
                guard count > 0 else { throw CanaryListError(path: path, line: csv.line, reason: "the password is empty") }
                entries.append(Entry(line: csv.line, account: account, isEmail: headerKind ?? account.contains("@"),
                                     offset: used, count: count))
                used += count
            }
            guard !entries.isEmpty else { throw CanaryListError(path: path, line: 1, reason: "no canary in the file") }
        } catch {
            Self.wipe(passwords)
            passwords.deallocate()
            throw error
        }
        self.entries = entries
        self.passwords = passwords
    }

    deinit {
        Self.wipe(passwords)
        passwords.deallocate()
    }

    public var count: Int { entries.count }

    /// The entry's password; valid while this list lives. Never print it.
    public func password(_ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: passwords[entry.offset..<(entry.offset + entry.count)])
    }

    private static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
    }
}

/// Why the canaries file cannot be used; never echoes a password field.
public struct CanaryListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// 0 when the problem is the file as a whole.
    public var line: Int
    public var reason: String
    public var description: String { "canaries file \(path)\(line > 0 ? ":\(line)" : ""): \(reason)" }
}
