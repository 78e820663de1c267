import ArgumentParser
import Foundation
import PasswordHashes

struct SelftestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every known-answer vector and round-trip case on this machine's C libraries.",
        discussion: """
        Runs TestVectors/known-answer-vectors.json (published vectors: each is parsed, compared with its \
        components, verified with its password through libxcrypt/libargon2/libcrypto, and its WorkOS \
        rewrite verified too) and TestVectors/roundtrip.json (one case per spelling: the WorkOS string \
        must match byte for byte and verify with the password).

        The vectors are looked for in --vectors, then ./TestVectors, then next to the executable and in \
        each directory above it. Prints one line per failure; the last line is `N passed, N failed`.
        Exit status: 0 all passed, 1 any failed, 2 vectors not found or unreadable.
        """)

    @Option(help: ArgumentHelp("Directory holding known-answer-vectors.json and roundtrip.json.", valueName: "dir"))
    var vectors: String?

    func run() throws {
        guard let directory = VectorDirectory.locate(explicit: vectors) else {
            FileHandle.standardError.write(Data("hashport selftest: no TestVectors directory found (use --vectors DIR)\n".utf8))
            throw ExitStatus.usage
        }
        let known: [[String: Any]], roundTrips: [[String: Any]]
        do {
            known = try VectorDirectory.load(directory.appendingPathComponent("known-answer-vectors.json")) as? [[String: Any]] ?? []
            roundTrips = (try VectorDirectory.load(directory.appendingPathComponent("roundtrip.json")) as? [String: Any])?["cases"]
                as? [[String: Any]] ?? []
        } catch {
            FileHandle.standardError.write(Data("hashport selftest: cannot read the vectors in \(directory.path): \(error.localizedDescription)\n".utf8))
            throw ExitStatus.usage
        }
        guard !known.isEmpty, !roundTrips.isEmpty else {
            FileHandle.standardError.write(Data("hashport selftest: the vector files in \(directory.path) hold no vectors\n".utf8))
            throw ExitStatus.usage
        }
        let checks = known.map { Check(suite: "known-answer", vector: $0, run: KnownAnswerCheck.run) }
            + roundTrips.map { Check(suite: "roundtrip", vector: $0, run: RoundTripCheck.run) }
        // Vectors are independent and some cost seconds (16.7M PBKDF2 rounds, 1 GiB Argon2): use every core.
        let outcomes = Outcomes(count: checks.count)
        DispatchQueue.concurrentPerform(iterations: checks.count) { k in outcomes.set(k, checks[k].run(checks[k].vector)) }
        var passed = 0, failed = 0
        for (k, check) in checks.enumerated() {
            if let why = outcomes.get(k) {
                failed += 1
                print("FAIL \(check.suite) \(check.vector["id"] as? String ?? "?"): \(why)")
            } else {
                passed += 1
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitStatus.somethingFailed }
    }
}

/// One vector and the check that runs it. (Vectors are read-only JSON values.)
struct Check: @unchecked Sendable {
    var suite: String
    var vector: [String: Any]
    var run: @Sendable ([String: Any]) -> String?
}

/// Results written by concurrent checks, each into its own slot.
final class Outcomes: @unchecked Sendable {
    private var slots: [String?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ v: String?) { lock.lock(); slots[k] = v; lock.unlock() }
    func get(_ k: Int) -> String? { lock.lock(); defer { lock.unlock() }; return slots[k] }
}

enum VectorDirectory {
    static let marker = "known-answer-vectors.json"

    static func locate(explicit: String?) -> URL? {
        let fm = FileManager.default
        func holdsVectors(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent(marker).path) }
        if let explicit { let u = URL(fileURLWithPath: explicit); return holdsVectors(u) ? u : nil }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("TestVectors")
        if holdsVectors(cwd) { return cwd }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent("TestVectors")
            if holdsVectors(candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static func load(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: url)) }
}

/// Helpers to read vector fields.
extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func uint(_ key: String) -> UInt64? { (self[key] as? NSNumber)?.uint64Value }
    func hex(_ key: String) -> [UInt8] {
        let s = Array((self[key] as? String ?? "").utf8)
        guard s.count % 2 == 0 else { return [] }
        return stride(from: 0, to: s.count, by: 2).compactMap { UInt8(String(decoding: s[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }
}

/// One published vector: parse, compare with its components, verify (source spelling and WorkOS rewrite).
enum KnownAnswerCheck {
    static func run(_ v: [String: Any]) -> String? {
        let password = v.hex("password_hex")
        let expected = v["expected_valid"] as? Bool ?? false
        // libxcrypt reads C strings and refuses ≥512-byte phrases; vectors that say so may be "unverifiable", never "mismatch".
        let unverifiableAllowed = v["libxcrypt_expected_valid"] as? Bool == false
        let components = v["components"] as? [String: Any]
        var hashes: [(String, PasswordHash)] = []
        if let encoded = v.string("encoded") {
            switch HashDetector.detect(encoded) {
            case .failure(let p):
                return expected ? "a valid hash was refused when read (\(p.code))" : nil
            case .success(let h):
                // Like argon2_verify's type argument: a hash whose label contradicts the declared algorithm is refused.
                if !declared(v.string("algorithm") ?? "", matches: h) {
                    return expected ? "its label contradicts the declared algorithm" : nil
                }
                if let c = components, let why = mismatch(h, c) { return "read as different \(why) than its components" }
                hashes.append(("source", h))
                if let form = h.workOSForm().value {
                    // The rewrite must carry the same bytes and parameters, so it verifies exactly as the source does.
                    guard let again = HashDetector.detect(form.string).value else { return "its WorkOS rewrite does not read back" }
                    if again.family != h.family || again.variant != h.variant || again.params != h.params
                        || again.salt != h.salt || again.digest != h.digest || again.extras != h.extras {
                        return "its WorkOS rewrite reads back with different bytes or parameters"
                    }
                }
            }
        } else if let c = components {
            guard var h = fromComponents(v.string("algorithm") ?? "", c) else { return "unsupported raw components" }
            hashes.append(("components", h))
            if let phc = v.string("phc") {
                guard let p = HashDetector.detect(phc).value else { return "its PHC rendering does not read" }
                if let why = mismatch(p, c) { return "PHC rendering reads as different \(why)" }
                h = p
                let secret = c.hex("secret_hex")
                if !secret.isEmpty { h.extras.append(.init("secret", secret)) }
                hashes.append(("PHC rendering", h))
            }
        } else {
            return "vector has neither encoded nor components"
        }
        for (label, h) in hashes {
            switch PasswordVerifier.verify(password, against: h) {
            case .success(let ok) where ok != expected:
                return "\(label): verification said \(ok ? "match" : "mismatch"), expected \(expected ? "match" : "mismatch")"
            case .failure(let p) where expected && !unverifiableAllowed:
                return "\(label): could not be verified (\(p.code))"
            default: continue
            }
        }
        return nil
    }

    static func declared(_ algorithm: String, matches h: PasswordHash) -> Bool {
        if algorithm.hasPrefix("argon2") { return h.family == .argon2 && h.variant == algorithm }
        if algorithm.hasPrefix("pbkdf2-") { return h.family == .pbkdf2 && "pbkdf2-" + h.variant == algorithm }
        return algorithm != "bcrypt" || h.family == .bcrypt
    }

    static func fromComponents(_ algorithm: String, _ c: [String: Any]) -> PasswordHash? {
        if let prf = c.string("prf"), let i = c.uint("iterations") {
            let digest = prf.replacingOccurrences(of: "HMAC-", with: "").lowercased()
            return PasswordHash(family: .pbkdf2, variant: digest, params: [.init("i", i)], salt: c.hex("salt_hex"),
                                digest: c.hex("dk_hex"), spelling: "components")
        }
        if algorithm.hasPrefix("argon2"), let v = c.uint("version"), let m = c.uint("m_cost_kib"), let t = c.uint("t_cost"),
           let p = c.uint("lanes") {
            var extras: [PasswordHash.Extra] = []
            if !c.hex("secret_hex").isEmpty { extras.append(.init("secret", c.hex("secret_hex"))) }
            if !c.hex("ad_hex").isEmpty { extras.append(.init("data", c.hex("ad_hex"))) }
            return PasswordHash(family: .argon2, variant: algorithm, params: [.init("v", v), .init("m", m), .init("t", t), .init("p", p)],
                                salt: c.hex("salt_hex"), digest: c.hex("tag_hex"), extras: extras, spelling: "components")
        }
        return nil
    }

    /// Which part of `h` disagrees with the vector's components, or nil.
    static func mismatch(_ h: PasswordHash, _ c: [String: Any]) -> String? {
        if let prf = c.string("prf") {
            if h.variant != prf.replacingOccurrences(of: "HMAC-", with: "").lowercased() { return "digest" }
            if h.param("i") != c.uint("iterations") { return "iterations" }
            if h.salt != c.hex("salt_hex") { return "salt" }
            if h.digest != c.hex("dk_hex") { return "derived key" }
        } else if let prefix = c.string("prefix") {
            if h.variant != prefix || h.param("cost") != c.uint("cost") { return "prefix or cost" }
            if h.salt != c.hex("salt_hex") { return "salt" }
            if h.digest != c.hex("hash_hex_23B") { return "hash" }
        } else if c["version"] != nil {
            if h.param("v") != c.uint("version") || h.param("m") != c.uint("m_cost_kib") || h.param("t") != c.uint("t_cost")
                || h.param("p") != c.uint("lanes") { return "parameters" }
            if h.salt != c.hex("salt_hex") { return "salt" }
            if h.digest != c.hex("tag_hex") { return "tag" }
            if (h.extra("data") ?? []) != c.hex("ad_hex") { return "associated data" }
        }
        return nil
    }
}

/// One round-trip case: the WorkOS string byte for byte, the expected problems, and verification of both spellings.
enum RoundTripCheck {
    static func run(_ c: [String: Any]) -> String? {
        let report = PHCReport(input: c.string("input") ?? "",
                               saltEncoding: SaltEncoding(rawValue: c.string("salt_encoding") ?? "auto") ?? .auto)
        let expectedCodes = c["expected_problems"] as? [String] ?? []
        guard let h = report.hash else {
            return report.problems.map(\.code) == expectedCodes ? nil : "not read (\(report.problems.first?.code ?? "?"))"
        }
        if report.problems.map(\.code) != expectedCodes {
            return "problems \(report.problems.map(\.code)) instead of \(expectedCodes)"
        }
        let form = h.workOSForm().value
        guard form?.string == c.string("expected_workos_hash"), form?.type == c.string("expected_workos_type") else {
            return "WorkOS string differs from the expected one"
        }
        guard let form else { return nil }
        guard let rewritten = HashDetector.detect(form.string).value else { return "WorkOS string does not read back" }
        if rewritten.family != h.family || rewritten.params != h.params || rewritten.salt != h.salt || rewritten.digest != h.digest {
            return "WorkOS string reads back with different bytes or parameters"
        }
        guard c["verify"] as? Bool ?? false else { return nil }
        let password = c.hex("password_hex")
        // Same bytes and parameters as the source (checked above), so verifying the WorkOS string covers both.
        guard PasswordVerifier.verify(password, against: rewritten) == .success(true) else {
            return "WorkOS string does not verify with its password"
        }
        if PasswordVerifier.verify(password + [0x78], against: rewritten) != .success(false) {
            return "WorkOS string accepts a wrong password"
        }
        return nil
    }
}

fileprivate extension Result {
    var value: Success? { if case .success(let v) = self { return v }; return nil }
}
