import ArgumentParser

struct PHCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "phc", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
