import DescopeAPI
import DescopeEmulator
import Foundation

/// Step 0 of the demo: the bundled Search Users sample, served by a local Descope in this process and pulled
/// from it as `hashport pull` does; the rest of the demo reads the pulled files.
enum DemoPull {
    struct Pulled {
        var users: String
        var tenants: String
    }

    static func run(_ data: DemoData, into work: String) async throws -> Pulled {
        let projectId = "P2hashportDemo"
        let key = "K2demo" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let store = try DescopeStore(users: try read(data.searchUsers), tenants: try read(data.tenants))
        let emulator = DescopeEmulatorServer(store: store, configuration: DescopeEmulatorConfiguration(
            projectId: projectId, managementKey: key))
        let port = try await emulator.start(host: "127.0.0.1", port: 0)
        print("0. Pull from Descope (`hashport pull`, from a Descope emulator on http://127.0.0.1:\(port) serving "
              + "the bundled users)")
        let client = DescopeClient(credentials: try ManagementCredentials(projectId: projectId, managementKey: key),
                                   configuration: DescopeClientConfiguration(baseURL: "http://127.0.0.1:\(port)"))
        let outcome: UserPull.Outcome
        do {
            outcome = try await UserPull(client: client, options: PullOptions(directory: work + "/pull")).run()
        } catch {
            try? await client.shutdown(); try? await emulator.shutdown()
            throw error
        }
        try? await client.shutdown()
        try? await emulator.shutdown()
        print(outcome.summary.render(ending: outcome.ending).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
        print("")
        guard outcome.ending == .finished, outcome.summary.users == store.count else {
            throw DemoPullError(message: "the pull gave \(outcome.summary.users) of the \(store.count) bundled users")
        }
        return Pulled(users: outcome.summary.directory + "/" + UserPull.usersFileName,
                      tenants: outcome.summary.directory + "/" + UserPull.tenantsFileName)
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DemoPullError(message: "cannot read \(path)")
        }
        return Array(data)
    }

    struct DemoPullError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
