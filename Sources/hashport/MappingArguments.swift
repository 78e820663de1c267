import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight
import PasswordHashes

/// The inputs and mapping flags `inspect` and `convert` share.
struct MappingArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "The Descope export: support CSV(s) with password hashes and/or Search Users JSON (any envelope, or NDJSON).",
        discussion: "With both kinds, each CSV row is joined with its Search Users record by userId, else email, else login id.",
        valueName: "input"))
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("The tenants export (GET /v1/mgmt/tenant/all): organization names, and a check that every user's tenant exists.", valueName: "file"))
    var tenants: String?

    @Option(name: .customLong("map"), parsing: .singleValue, help: ArgumentHelp(
        "Read a column from a differently named header, e.g. --map password_hash=pwd --map email=Mail. Repeatable.",
        valueName: "canonical=Header"))
    var mappings: [String] = []

    @Option(name: .customLong("role-map"), help: ArgumentHelp(
        "Descope role → WorkOS role slug: JSON {\"Descope Role\": \"slug\"} or CSV role,slug (tenant_id,role,slug for one tenant). Unmapped roles get `member`.",
        valueName: "file"))
    var roleMap: String?

    @Option(name: .customLong("salt-encoding"), help: ArgumentHelp(
        "How to read salt text the hash format does not fix: auto, base64, base64url, hex or text.", valueName: "encoding"))
    var saltEncoding: String = "auto"

    @Flag(name: .customLong("include-disabled"), help: "Import disabled and expired users too (they are skipped by default).")
    var includeDisabled = false

    @Flag(name: .customLong("include-test"), help: "Import users Descope marks as test users (skipped by default).")
    var includeTest = false

    /// Everything the flags say, checked; a usage problem is printed and becomes exit status 2.
    func resolved() throws -> (export: ExportOptions, mapping: MappingOptions) {
        guard !inputs.isEmpty else {
            throw CommandFailure.usage("name at least one input: the support CSV and/or the Search Users JSON")
        }
        var overrides: [String: String] = [:]
        for mapping in mappings {
            guard let eq = mapping.firstIndex(of: "="), eq != mapping.startIndex, mapping.index(after: eq) != mapping.endIndex else {
                throw CommandFailure.usage("--map \(mapping): expected canonical=Header, e.g. --map password_hash=pwd")
            }
            overrides[String(mapping[..<eq])] = String(mapping[mapping.index(after: eq)...])
        }
        guard let encoding = SaltEncoding(rawValue: saltEncoding.lowercased()) else {
            throw CommandFailure.usage("--salt-encoding \(saltEncoding): use one of "
                + SaltEncoding.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var options = MappingOptions(saltEncoding: encoding, includeDisabled: includeDisabled, includeTest: includeTest)
        if let roleMap {
            do { options.roleMap = try RoleMap.load(path: roleMap) } catch { throw CommandFailure.usage(error.description) }
        }
        let exportOptions = ExportOptions(headerOverrides: overrides)
        if let tenants {
            do { options.tenants = try TenantDirectory.load(path: tenants, options: exportOptions) } catch {
                throw CommandFailure.unreadable(error.description)
            }
            if let first = options.tenants?.problems.first {
                Terminal.error("\(first.location): \(first.message) (\(options.tenants?.problems.count ?? 0) tenant record(s) unreadable)")
            }
        }
        return (exportOptions, options)
    }
}

/// A failure a command reports on stderr and turns into its exit status.
enum CommandFailure: Error {
    case usage(String)
    case unreadable(String)

    var exitCode: ExitCode { ExitStatus.usage }
    var message: String {
        switch self {
        case .usage(let m), .unreadable(let m): return m
        }
    }
}

/// stderr output: errors, and a progress line only when stderr is a terminal.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("hashport: " + message + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// A progress callback for big inputs (over 32 MB in total) when stderr is a terminal, else nil.
    static func progress(for inputs: [String], verb: String) -> (@Sendable (Int) -> Void)? {
        guard stderrIsTerminal else { return nil }
        let total = inputs.reduce(0) { sum, path in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        guard total > 32 << 20 else { return nil }
        return { rows in
            FileHandle.standardError.write(Data("\r\(verb) … \(rows) rows".utf8))
        }
    }

    static func endProgress(_ progress: (@Sendable (Int) -> Void)?) {
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Runs a read of the inputs (a pre-flight or a conversion) that reports to `progress`: the progress line
    /// is cleared after it, and a failure becomes "unreadable input" (exit 2) with the reader's message.
    static func reading<T, E: Error & CustomStringConvertible>(progress: (@Sendable (Int) -> Void)?,
                                                               _ body: () throws(E) -> T) throws(CommandFailure) -> T {
        defer { endProgress(progress) }
        do { return try body() } catch { throw CommandFailure.unreadable(error.description) }
    }
}
