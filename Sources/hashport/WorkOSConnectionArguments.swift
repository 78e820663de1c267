import ArgumentParser
import Foundation
import WorkOS

/// The WorkOS connection options `import`, `reconcile` and `undo` share: where WorkOS is, the key (from the
/// environment or a file, never argv), how fast to go, and how long an outage is waited out.
struct WorkOSConnectionArguments: ParsableArguments {
    @Option(help: ArgumentHelp("WorkOS API base URL (staging, or a local `hashport emulator`).", valueName: "url"))
    var baseURL = "https://api.workos.com"

    @Option(help: ArgumentHelp("Read the WorkOS API key from this file instead of WORKOS_API_KEY.", valueName: "file"))
    var apiKeyFile: String?

    @Option(help: ArgumentHelp(
        "Requests per second, at most: writes for import and undo (default 45; WorkOS allows 500 per 10 s), "
            + "reads for reconcile (default 90; WorkOS allows 1,000 per 10 s). Paced 2% under it, so that jitter "
            + "never crosses WorkOS's window.", valueName: "n"))
    var rate: Double?

    @Option(name: .customLong("max-outage"), help: ArgumentHelp(
        "How long to wait out WorkOS not answering (the run pauses and retries with backoff) before stopping "
            + "as interrupted, resumable: e.g. 90s, 15m, 1h30m.", valueName: "duration"))
    var maxOutage = OutageLimit(seconds: 15 * 60)

    /// Usage problems: a key on the command line, a rate out of range.
    func check(command: String) throws {
        do { try APIKey.refuseCommandLineKey(in: CommandLine.arguments) } catch {
            throw CommandFailure.usage(error.description)
        }
        if let rate, !(rate > 0 && rate.isFinite && rate <= 10_000) {
            throw CommandFailure.usage("--rate must be > 0 and at most 10000")
        }
        guard URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) == true,
              URL(string: baseURL)?.host?.isEmpty == false else {
            throw CommandFailure.usage("--base-url \(baseURL): expected an http(s) URL such as https://api.workos.com")
        }
    }

    /// A client with the breaker's limit from `--max-outage`; writes or reads paced by `--rate`.
    func client(writesPerSecond: Double? = nil, readsPerSecond: Double? = nil,
                maxConnections: Int = 28) throws -> WorkOSClient {
        let key: APIKey
        do { key = try APIKey.load(file: apiKeyFile) } catch { throw CommandFailure.usage(error.description) }
        var breaker = CircuitBreaker.Policy.default
        breaker.maxOutage = .seconds(maxOutage.seconds)
        return WorkOSClient(apiKey: key, configuration: WorkOSClientConfiguration(
            baseURL: baseURL, writesPerSecond: writesPerSecond ?? rate ?? 45, readsPerSecond: readsPerSecond ?? 90,
            circuitBreaker: breaker, maxConnections: maxConnections))
    }

    /// The read that proves address and key before anything is written; exit 2 naming the cause when it fails.
    static func connect(_ client: WorkOSClient) async throws -> WorkOSConnection {
        do {
            return try await client.checkConnection()
        } catch let problem as WorkOSConnectionProblem {
            throw CommandFailure.usage(problem.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CommandFailure.usage("cannot reach WorkOS at \(client.baseURL): \(error)")
        }
    }
}

/// `--max-outage`: `90s`, `15m`, `1h30m`, or plain seconds.
struct OutageLimit: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.lowercased()
        if let plain = Double(text), plain > 0 { seconds = plain; return }
        var total = 0.0, number = ""
        for c in text {
            if c.isNumber || c == "." { number.append(c); continue }
            guard let value = Double(number) else { return nil }
            switch c {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, total > 0 else { return nil }
        seconds = total
    }

    var description: String {
        let s = Int(seconds)
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }

    var defaultValueDescription: String { description }
}

/// A yes/no question on the terminal, before something that cannot be taken back.
enum Confirmation {
    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// True when the user typed `yes`. Without a terminal nobody can answer: the caller refuses.
    static func ask(_ question: String) -> Bool {
        FileHandle.standardError.write(Data((question + " Type yes to go on: ").utf8))
        guard let answer = readLine(strippingNewline: true) else { return false }
        return answer.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
    }
}
