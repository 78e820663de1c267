import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write the export's users as WorkOS create-user bodies (JSONL) or as the CSV WorkOS's migrations CLI reads.",
        discussion: """
        JSONL (-o users.jsonl): one line per row, whatever its outcome:
          {"row":2,"source_user_id":"U…","status":"ready|ready_without_password|rejected",
           "user":{WorkOS create-user body},"memberships":[{"tenant_id":"T…","role_slugs":["…"]}],"problems":[…]}
        CSV (-o users.csv): the rows to create, with the columns email, first_name, last_name, email_verified, \
        password_hash, password_hash_type, external_id, metadata, org_external_id, role_slugs (one line per \
        membership).

        The output holds password hashes: it is created readable by you only (mode 0600), and an existing \
        file others can read is refused. The input is read twice (duplicate emails first, in bounded memory).

        Exit status: 0 every row ready with its password; 1 some row rejected or without its password; \
        2 usage error or unreadable input.
        """)

    @OptionGroup var mapping: MappingArguments

    @Option(name: .shortAndLong, help: ArgumentHelp("The output file: .jsonl (or anything else) for JSONL, .csv for CSV.", valueName: "file"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Force the output format: jsonl or csv (default: from the file extension).", valueName: "format"))
    var format: String?

    func run() async throws {
        do {
            let (exportOptions, mappingOptions) = try mapping.resolved()
            var chosen: ConvertWriter.Format?
            if let format {
                guard let f = ConvertWriter.Format(rawValue: format.lowercased()) else {
                    throw CommandFailure.usage("--format \(format): use jsonl or csv")
                }
                chosen = f
            }
            var conversion = Conversion(inputs: mapping.inputs, exportOptions: exportOptions,
                                        mappingOptions: mappingOptions, outputPath: output, format: chosen)
            conversion.progress = Terminal.progress(for: mapping.inputs, verb: "converting")
            let result = try Terminal.reading(progress: conversion.progress) { () throws(Conversion.Failure) in try conversion.run() }
            let o = result.outcomes
            print("\(result.users) users → \(output) (\(conversion.format.rawValue)): \(o.ready) ready, "
                  + "\(o.readyWithoutPassword) ready without password, \(o.rejected) rejected")
            for p in result.sortedProblems where p.severity != .info {
                print("  \(p.severity.rawValue) \(p.code): \(p.count) (rows \(p.rows.prefix(10).map(String.init).joined(separator: ", "))\(p.count > 10 ? ", …" : ""))")
            }
            if result.problems["read_error"] != nil { throw ExitStatus.usage }
            if o.rejected > 0 || o.readyWithoutPassword > 0 { throw ExitStatus.somethingFailed }
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            throw failure.exitCode
        }
    }
}
