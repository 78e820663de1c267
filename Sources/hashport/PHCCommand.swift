import ArgumentParser
import Foundation
import Import
import Mapping
import Preflight
import PasswordHashes

struct PHCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phc",
        abstract: "Show what a password hash is and the exact string WorkOS takes for it.",
        discussion: """
        Reads the hashes given as arguments, or one per line from standard input. A line that starts \
        with `{` is a JSON object: Descope's own hash object ({"argon2":{"hash":…,"salt":…,"iterations":3,\
        "memory":65536,"threads":4}}, also wrapped as {"hashedPassword":{…}}), or split fields named as in a \
        Descope export (password_hash, password_hash_type, password_salt, password_iterations, password_memory, \
        password_threads, password_digest, and signerKey/saltSeparator for Firebase).

        Text output, one line per input:
          <password_hash_type><TAB><WorkOS password_hash>      WorkOS takes it
          refused<TAB><family><TAB><reason>                     recognised, but WorkOS cannot take it
          unknown<TAB><reason>                                  not a hash hashport can read

        The WorkOS string is printed because it is what you asked for; reasons never contain the hash.
        Exit status: 0 all accepted, 1 any refused or unknown, 2 usage.
        """)

    @Flag(help: "One JSON object per input: line, family, variant, params, password_hash_type, password_hash, workos_accepts, problems.")
    var json = false

    @Option(help: ArgumentHelp("How to read a salt whose spelling does not fix it (Clerk's pbkdf2_sha256$ salts are base64, Django's are text).",
                               valueName: "auto|base64|base64url|hex|text"))
    var saltEncoding: String = "auto"

    @Argument(help: "Hashes to look at (else one per line on standard input).")
    var hashes: [String] = []

    func validate() throws {
        guard SaltEncoding(rawValue: saltEncoding) != nil else {
            // Exit 2 (DESIGN §3 usage), not ArgumentParser's 64.
            FileHandle.standardError.write(Data("hashport phc: --salt-encoding must be one of auto, base64, base64url, hex, text.\n".utf8))
            throw ExitStatus.usage
        }
    }

    func run() throws {
        let encoding = SaltEncoding(rawValue: saltEncoding) ?? .auto
        var allAccepted = true
        var out = ""
        var line = 0
        func handle(_ input: String) {
            line += 1
            let report = PHCReport(input: input, saltEncoding: encoding)
            if !report.accepted { allAccepted = false }
            out += json ? report.json(line: line) : report.text
            out += "\n"
            if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
        }
        if hashes.isEmpty {
            while let input = readLine(strippingNewline: true) { handle(input) }
        } else {
            hashes.forEach(handle)
        }
        print(out, terminator: "")
        if !allAccepted { throw ExitStatus.somethingFailed }
    }
}

/// What `hashport phc` says about one input.
struct PHCReport {
    var hash: PasswordHash?
    var form: WorkOSPasswordHash?
    var problems: [HashProblem]

    init(input: String, saltEncoding: SaltEncoding) {
        let detected = HashDetector.detect(input, saltEncoding: saltEncoding)
        switch detected {
        case .failure(let p):
            problems = [p]
        case .success(let h):
            hash = h
            problems = WorkOSPolicy.problems(for: h)
            if problems.isEmpty, case .success(let f) = h.workOSForm() { form = f }
        }
    }

    var accepted: Bool { form != nil && problems.isEmpty }

    var text: String {
        if let form, problems.isEmpty { return "\(form.type)\t\(form.string)" }
        let reason = problems.map(\.message).joined(separator: " ")
        if let hash { return "refused\t\(hash.family.rawValue)\t\(reason)" }
        return "unknown\t\(reason)"
    }

    func json(line: Int) -> String {
        var o = "{\"line\":\(line),\"family\":"
        o += hash.map { JSONText.quote($0.family.rawValue) } ?? "null"
        o += ",\"variant\":" + (hash.map { JSONText.quote($0.variant) } ?? "null")
        o += ",\"params\":{"
        o += (hash?.params ?? []).map { "\(JSONText.quote($0.name)):\($0.value)" }.joined(separator: ",")
        o += "},\"password_hash_type\":" + (accepted ? JSONText.quote(form!.type) : "null")
        o += ",\"password_hash\":" + (accepted ? JSONText.quote(form!.string) : "null")
        o += ",\"workos_accepts\":\(accepted),\"problems\":["
        o += problems.map { "{\"code\":\(JSONText.quote($0.code)),\"message\":\(JSONText.quote($0.message))}" }.joined(separator: ",")
        return o + "]}"
    }
}
