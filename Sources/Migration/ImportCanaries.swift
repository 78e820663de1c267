import Foundation
import WorkOS

/// An account whose password is known (`--canaries F`: CSV `email,password` or `user_id,password`).
/// The password is never printed: `description` leaves it out.
public struct Canary: Sendable, CustomStringConvertible {
    /// Line in the canaries file.
    public var line: Int
    /// The email or Descope user id, as written.
    public var account: String
    public var isUserId: Bool
    public var password: String
    public var description: String { "canary \(account) (line \(line))" }
}

/// What a canary's login after the import showed.
public struct CanaryOutcome: Sendable, Hashable {
    public enum Result: String, Sendable, Hashable {
        /// Logged in with the old password: the hash survived the move.
        case passed
        /// WorkOS refused the old password (or the call failed): see `message`.
        case failed
        /// The user was imported without a password (a hash WorkOS refuses): a reset is needed.
        case needsReset = "needs_reset"
        /// The user is not in the journal as imported (rejected, skipped, failed, or not in the input).
        case notImported = "not_imported"
    }

    public var line: Int
    public var account: String
    public var email: String?
    public var result: Result
    public var message: String
    public var requestId: String?
}

public enum CanaryFile {
    /// Largest canaries file read (it lists a handful of test accounts, not users).
    public static let maxBytes = 1 << 20

    public static func load(path: String) throws -> [Canary] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CanaryFileError(path: path, line: 0, reason: "cannot open it")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else {
            throw CanaryFileError(path: path, line: 0, reason: "larger than \(maxBytes) bytes; a canaries file lists a few accounts")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw CanaryFileError(path: path, line: 1, reason: "not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var canaries: [Canary] = []
        var isUserId = false
        for (line, fields) in try records(text, path: path) {
            if fields.allSatisfy({ $0.isEmpty }) { continue }
            guard fields.count == 2 else {
                throw CanaryFileError(path: path, line: line,
                                      reason: "expected 2 fields (email,password or user_id,password), found \(fields.count)")
            }
            let head = fields[0].lowercased().filter { $0 != "_" && $0 != " " }
            if canaries.isEmpty && fields[1].lowercased() == "password" && ["email", "userid", "loginid"].contains(head) {
                isUserId = head == "userid"
                continue
            }
            guard !fields[0].isEmpty else { throw CanaryFileError(path: path, line: line, reason: "empty account") }
            canaries.append(Canary(line: line, account: fields[0], isUserId: isUserId || !fields[0].contains("@"),
                                   password: fields[1]))
        }
        return canaries
    }

    /// RFC 4180 records with their 1-based starting line; quoted fields may hold commas, quotes and line breaks.
    static func records(_ text: String, path: String) throws -> [(Int, [String])] {
        var out: [(Int, [String])] = []
        var fields: [String] = [], field = "", inQuotes = false, afterQuote = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append(c) } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: inQuotes = true
            case ",": fields.append(field); field = ""; afterQuote = false
            case "\r" where chars.first == "\n": continue
            case "\n":
                fields.append(field); out.append((recordLine, fields))
                fields = []; field = ""; afterQuote = false; line += 1; recordLine = line
            default:
                if afterQuote { throw CanaryFileError(path: path, line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw CanaryFileError(path: path, line: recordLine, reason: "unterminated quote") }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); out.append((recordLine, fields)) }
        return out
    }
}

public struct CanaryFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "canaries file \(path)\(line > 0 ? ":\(line)" : ""): \(reason)" }
}

/// Logs each canary in through `POST /user_management/authenticate` (grant_type password): the
/// end-to-end proof that the hashes survived the move.
public struct CanaryLogin: Sendable {
    public var client: WorkOSClient
    public var clientId: String
    public var journal: ImportJournal

    public init(client: WorkOSClient, clientId: String, journal: ImportJournal) {
        self.client = client; self.clientId = clientId; self.journal = journal
    }

    public func run(_ canaries: [Canary]) async throws -> [CanaryOutcome] {
        var outcomes: [CanaryOutcome] = []
        for canary in canaries {
            let record: JournalUser?
            if canary.isUserId {
                record = try await journal.user(sourceKey: "id:" + canary.account)
            } else {
                record = try await journal.user(email: canary.account)
            }
            guard let record, record.status == .created || record.status == .existing else {
                outcomes.append(CanaryOutcome(line: canary.line, account: canary.account, email: record?.email,
                                              result: .notImported,
                                              message: record.map { "user is \($0.status.rawValue) in the journal" }
                                                  ?? "user is not in the journal"))
                continue
            }
            let withoutPassword = record.outcome == "ready_without_password"
            do {
                let answer = try await client.authenticate(clientId: clientId, email: record.email,
                                                           password: canary.password)
                outcomes.append(CanaryOutcome(line: canary.line, account: canary.account, email: record.email,
                                              result: .passed, message: "logged in as \(answer.value.user.id)",
                                              requestId: answer.requestId))
            } catch let error as WorkOSError where !error.isAPIKeyRejected {
                outcomes.append(CanaryOutcome(
                    line: canary.line, account: canary.account, email: record.email,
                    result: withoutPassword ? .needsReset : .failed,
                    message: withoutPassword ? "imported without a password: send a reset" : error.description,
                    requestId: error.requestId))
            }
        }
        return outcomes
    }
}
