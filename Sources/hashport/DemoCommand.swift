import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
