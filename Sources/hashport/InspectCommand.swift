import ArgumentParser
import DescopeExport
import Foundation
import Import
import Mapping
import Preflight

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Pre-flight an export: what WorkOS will take, what it will refuse and why, per row.",
        discussion: """
        Reads the export once and maps every user as `convert` and `import` would, without writing anything \
        or calling WorkOS. Prints a summary: users by outcome (ready with a password, ready without one, \
        rejected), password hashes by family and parameters, problems grouped by code with their first rows, \
        and the login methods that will not carry over (SMS, passkeys, TOTP, SSO; social logins re-link by email).

        --canaries names accounts whose passwords you know (CSV email,password or user_id,password): each \
        one's WorkOS hash string is read back and the password verified against it on this machine's C \
        libraries — proof, before any import, that the rewrite is right. Neither hashes nor passwords are printed.

        --resets writes the users WorkOS will hold without their old password (no hash, a hash WorkOS refuses, \
        passwordless sign-in) as CSV email,workos_user_id,reason,code,row — the list for the team that sends \
        password resets; `import --resets` writes the same list with the WorkOS user ids.

        Exit status: 0 everything importable with its password; 1 some row rejected, a hash refused or a \
        canary failed; 2 usage error or unreadable input.
        """)

    @OptionGroup var mapping: MappingArguments

    @Option(name: .long, help: ArgumentHelp("Also write the findings as JSON (users, outcomes, by_family, problems, canaries).", valueName: "file.json"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Accounts whose passwords are known: CSV email,password or user_id,password.", valueName: "file"))
    var canaries: String?

    @Option(name: .long, help: ArgumentHelp("Write the users who will need a password reset to this CSV (created 0600).", valueName: "file.csv"))
    var resets: String?

    func run() async throws {
        do {
            let (exportOptions, mappingOptions) = try mapping.resolved()
            var preflight = Preflight(inputs: mapping.inputs, exportOptions: exportOptions,
                                      mapper: UserMapper(options: mappingOptions))
            if let canaries {
                do { preflight.canaries = try CanaryCheck(path: canaries) } catch { throw CommandFailure.usage(error.description) }
            }
            preflight.progress = Terminal.progress(for: mapping.inputs, verb: "inspecting")
            let result = try Terminal.reading(progress: preflight.progress) { () throws(Preflight.Failure) in try preflight.run() }
            if let report {
                do {
                    let file = try OutputFile(path: report)
                    try file.append { $0.append(contentsOf: result.json()); $0.append(0x0A) }
                    try file.finish()
                } catch { throw CommandFailure.unreadable(error.description) }
            }
            print(result.summary(), terminator: "")
            if let resets {
                do {
                    // Read again as `import` reads it, so the list is the one an import would produce.
                    let input = try ImportInputReader.open(inputs: mapping.inputs, mapping: mappingOptions,
                                                           export: exportOptions)
                    let count = try ResetListWriter.write(input, to: resets)
                    print("Reset list: \(count) user\(count == 1 ? "" : "s") will need a password reset: \(resets)")
                } catch { throw CommandFailure.unreadable("\(error)") }
            }
            if result.problems["read_error"] != nil { throw ExitStatus.usage }
            if result.somethingFailed { throw ExitStatus.somethingFailed }
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            throw failure.exitCode
        }
    }
}
