import Foundation

/// Where an unfinished pull stands, in `DIR/.hashport-pull.json` (replaced atomically after every page).
/// The users file up to `usersBytes` is exactly the committed pages; anything after it is a page that was
/// being written when the process died, and is cut off on resume.
struct PullState: Codable, Sendable, Equatable {
    enum Phase: String, Codable, Sendable {
        /// Every user (`pull` without `--since`).
        case users
        /// Users created since `since`, then users modified since `since`.
        case createdSince = "created_since"
        case modifiedSince = "modified_since"
        case tenants
        case roles
        case done
    }

    static let fileName = ".hashport-pull.json"
    static let currentVersion = 1

    var version = currentVersion
    var projectId: String
    /// `--since` in epoch milliseconds; nil for a full pull.
    var since: Int64?
    var phase: Phase
    /// The next page of `phase` to ask for.
    var nextPage: Int
    /// Length of `users.ndjson` after the last committed page.
    var usersBytes: Int64
    /// Pages committed over every run of this pull.
    var pages: Int
    /// When the first run started (epoch ms): the `--since` for the cutover delta after a full pull.
    var startedAt: Int64
    var finishedAt: Int64?

    init(projectId: String, since: Int64?, startedAt: Int64) {
        self.projectId = projectId
        self.since = since
        self.phase = since == nil ? .users : .createdSince
        self.nextPage = 0
        self.usersBytes = 0
        self.pages = 0
        self.startedAt = startedAt
    }

    /// The first users phase of this pull (where a damaged users file makes it start again).
    var firstUsersPhase: Phase { since == nil ? .users : .createdSince }

    /// The phase after `phase`.
    var following: Phase {
        switch phase {
        case .users, .modifiedSince: return .tenants
        case .createdSince: return .modifiedSince
        case .tenants: return .roles
        case .roles, .done: return .done
        }
    }

    static func load(directory: String) throws(PullError) -> PullState? {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .localFile(path: path, reason: "cannot read it")
        }
        do {
            let state = try JSONDecoder().decode(PullState.self, from: data)
            guard state.version == currentVersion else {
                throw PullError.localFile(path: path, reason: "written by another version of hashport (state version "
                                          + "\(state.version)); pull into a new directory or pass --restart")
            }
            return state
        } catch let error as PullError {
            throw error
        } catch {
            throw .localFile(path: path, reason: "not a pull state file (\(error)); pass --restart to pull again")
        }
    }

    /// Replaces the state file atomically; `durable` also survives a power cut (at the end of a pull).
    func save(directory: String, durable: Bool = false) throws(PullError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw .localFile(path: directory + "/" + Self.fileName, reason: "cannot encode the state: \(error)")
        }
        try PullFiles.replace(directory + "/" + Self.fileName, with: Array(data) + [0x0A], durable: durable)
    }
}
