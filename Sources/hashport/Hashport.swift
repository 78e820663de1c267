import ArgumentParser
import DescopeAPI
import Foundation
import WorkOS

@main
struct Hashport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashport",
        abstract: "Move users with their passwords from Descope to WorkOS.",
        discussion: """
        The journey: `pull` the users, tenants and roles from Descope's Management API, `inspect` the \
        export (what WorkOS will take, per row), look at single hashes with `phc` and `verify`, write \
        normalized users with `convert`, and move them with `import` (rerun the same line to resume; at \
        cutover, `pull --since` then `import --delta`); `reconcile` reads WorkOS back and compares, and `undo` \
        removes what a rehearsal created. `emulator` and `descope-emulator` are a local WorkOS and a local \
        Descope to rehearse against; `demo` runs the whole journey on bundled data; `selftest` checks the \
        known-answer vectors on this machine.

        Exit codes: 0 success, 1 finished but something failed or was refused, 2 usage or unreadable \
        input, 3 interrupted (resumable).
        """,
        version: "0.1.0",
        subcommands: [
            PullCommand.self, InspectCommand.self, PHCCommand.self, VerifyCommand.self, ConvertCommand.self,
            ImportCommand.self, ReconcileCommand.self, UndoCommand.self, EmulatorCommand.self, DescopeEmulatorCommand.self,
            DemoCommand.self, SelftestCommand.self,
        ]
    )

    /// ArgumentParser exits 64 (EX_USAGE) on a usage error; the contract says 2.
    static func main() async {
        // First of all: a binary tuned for newer CPUs must not run into an illegal instruction.
        HostCPU.refuseIfTooOld()
        // Before parsing: `--api-key` is no option, and "unknown option" would not say why or what to do.
        if CommandLine.arguments.dropFirst().contains(where: { $0 == "--api-key" || $0.hasPrefix("--api-key=") }) {
            FileHandle.standardError.write(Data(("Error: " + APIKeyError.givenOnCommandLine.description + "\n").utf8))
            exit(withError: ExitStatus.usage)
        }
        // The same for Descope's key (and the parser's error would repeat `--management-key=<the key>`).
        if CommandLine.arguments.dropFirst().contains(where: ManagementCredentials.isCommandLineKey) {
            FileHandle.standardError.write(Data(
                ("Error: " + ManagementCredentialsError.givenOnCommandLine.description + "\n").utf8))
            exit(withError: ExitStatus.usage)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitStatus.usage)
        }
    }
}
