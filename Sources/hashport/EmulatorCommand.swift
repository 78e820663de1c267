import ArgumentParser

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "emulator", abstract: "(not built yet)")

    func run() async throws {
        throw ExitCode(2)
    }
}
