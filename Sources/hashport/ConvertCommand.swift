import ArgumentParser

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
