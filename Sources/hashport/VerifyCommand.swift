import ArgumentParser

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
