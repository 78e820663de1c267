import ArgumentParser

struct SelftestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "selftest", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
