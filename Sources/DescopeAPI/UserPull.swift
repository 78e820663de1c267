import Foundation

/// What `pull` is asked to do.
public struct PullOptions: Sendable {
    /// Where `users.ndjson`, `tenants.json`, `roles.json` and the state file go (created 0700).
    public var directory: String
    /// `--since` in epoch milliseconds: users created or modified since then; nil for every user.
    public var since: Int64?
    /// Pages asked for at once (committed in order whatever order they arrive in).
    public var pagesInFlight: Int
    /// Discard what the directory holds of an earlier pull and start again.
    public var restart: Bool

    public init(directory: String, since: Int64? = nil, pagesInFlight: Int = 4, restart: Bool = false) {
        var directory = directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        self.since = since
        self.pagesInFlight = max(1, pagesInFlight)
        self.restart = restart
    }
}

/// `hashport pull`: every user (or the users created or modified since a time), the tenants and the roles of
/// a Descope project, into a directory — resumable after a kill at any moment.
///
/// Users are asked for 100 at a time, oldest first, until the first empty page. Each page is appended to
/// `users.ndjson` (one object a line, byte for byte as Descope sent it) and only then is the state file
/// replaced, atomically, with the new length and next page: a run killed anywhere resumes from the last
/// committed page and cuts off whatever it had half-written. Users are also told apart by `userId`, so one
/// that appears twice (pages that shifted, both searches of `--since`) is written once; that also makes
/// paging again from an earlier page always safe, which is what a damaged file falls back to.
public struct UserPull: Sendable {
    public static let usersFileName = "users.ndjson"
    public static let tenantsFileName = "tenants.json"
    public static let rolesFileName = "roles.json"

    public let client: DescopeClient
    public let options: PullOptions
    public let progress: PullProgress

    public init(client: DescopeClient, options: PullOptions, progress: PullProgress = PullProgress()) {
        self.client = client
        self.options = options
        self.progress = progress
    }

    public struct Outcome: Sendable {
        public var ending: PullEnding
        public var summary: PullSummary
    }

    private var directory: String { options.directory }
    private func path(_ name: String) -> String { directory + "/" + name }

    /// Runs the pull to its end, or until `shouldStop` is true between pages or the task is cancelled
    /// (both end as `.interrupted`, resumable). Throws `PullError`.
    public func run(shouldStop: @escaping @Sendable () -> Bool = { false }) async throws(PullError) -> Outcome {
        let started = ContinuousClock.now
        var state = try openState()
        let users = try UsersFile(path: path(Self.usersFileName))
        var seen = UserIdSet()
        var summary = PullSummary(directory: directory, since: options.since)
        try recover(&state, users, &seen, &summary)
        summary.startedAt = state.startedAt
        progress.update { $0.users = summary.users; $0.pages = state.pages }

        func finish(_ ending: PullEnding) throws(PullError) -> Outcome {
            summary.pages = state.pages
            summary.finishedAt = state.finishedAt
            summary.traffic = client.traffic
            let (s, atto) = (ContinuousClock.now - started).components
            summary.seconds = Double(s) + Double(atto) / 1e18
            if ending != .finished || state.phase == .done {
                summary.tenants = summary.tenants ?? Self.countFile(path(Self.tenantsFileName), key: "tenants")
                summary.roles = summary.roles ?? Self.countFile(path(Self.rolesFileName), key: "roles")
            }
            return Outcome(ending: ending, summary: summary)
        }
        if state.phase == .done { return try finish(.alreadyFinished) }

        do {
            while [.users, .createdSince, .modifiedSince].contains(state.phase) {
                progress.update { $0.phase = state.phase.rawValue }
                let complete = try await pullUsers(&state, users, &seen, &summary, shouldStop: shouldStop)
                try users.sync()
                if !complete { try state.save(directory: directory); return try finish(.interrupted) }
                state.phase = state.following
                state.nextPage = 0
                try state.save(directory: directory)
            }
            if state.phase == .tenants {
                if shouldStop() { return try finish(.interrupted) }
                progress.update { $0.phase = "tenants" }
                summary.tenants = try save(try await client.loadAllTenants(), as: Self.tenantsFileName, key: "tenants")
                state.phase = .roles
                try state.save(directory: directory)
            }
            if state.phase == .roles {
                if shouldStop() { return try finish(.interrupted) }
                progress.update { $0.phase = "roles" }
                summary.roles = try save(try await client.loadAllRoles(), as: Self.rolesFileName, key: "roles")
                state.phase = .done
                state.finishedAt = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
                try state.save(directory: directory, durable: true)
            }
            progress.update { $0.phase = "done" }
            return try finish(.finished)
        } catch let error as PullError {
            throw error
        } catch let error as DescopeError {
            throw .descope(error)
        } catch let error where error is CancellationError || Task.isCancelled {
            // Cancelled (Ctrl-C): the last committed page is on disk, the state names it.
            return try finish(.interrupted)
        } catch {
            throw .unexpected("\(error)")
        }
    }

    // MARK: - State and recovery

    /// The state of the unfinished pull in the directory, or a new one (refusing files that are not ours).
    private func openState() throws(PullError) -> PullState {
        try PullFiles.prepareDirectory(directory)
        let outputs = [Self.usersFileName, Self.tenantsFileName, Self.rolesFileName]
        if options.restart {
            for name in [PullState.fileName] + outputs {
                try PullFiles.remove(path(name))
                try PullFiles.remove(path(name) + PullFiles.partialSuffix)
            }
        }
        if let existing = try PullState.load(directory: directory) {
            guard existing.projectId == client.projectId else {
                throw .differentPull(directory: directory, reason: "of project \(existing.projectId)")
            }
            guard existing.since == options.since else {
                let what = existing.since.map { "of the users created or modified since "
                    + PullSince.iso8601(milliseconds: $0) } ?? "of every user (no --since)"
                throw .differentPull(directory: directory, reason: what)
            }
            return existing
        }
        let present = outputs.filter { PullFiles.exists(path($0)) }
        guard present.isEmpty else { throw .notEmpty(directory: directory, files: present) }
        let state = PullState(projectId: client.projectId, since: options.since,
                              startedAt: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
        try state.save(directory: directory)
        return state
    }

    /// Cuts `users.ndjson` back to the last committed page and reads it again: the ids already pulled and
    /// the counts. A file shorter than committed, or with a line that is not a user object, is cut at the
    /// first bad line and the users are paged again from the start (nothing already there is written twice).
    private func recover(_ state: inout PullState, _ users: UsersFile, _ seen: inout UserIdSet,
                         _ summary: inout PullSummary) throws(PullError) {
        var damagedAt: Int64?
        if users.size < state.usersBytes { damagedAt = users.size }
        let limit = min(users.size, state.usersBytes)
        let end = try users.forEachLine(upTo: limit) { line, _ in
            guard let user = try? UserElements.object(line) else { return false }
            if let id = user.userId { seen.insert(id) }
            summary.count(user)
            return true
        }
        if end < limit { damagedAt = min(damagedAt ?? end, end) }
        try users.truncate(to: end)
        summary.resumedWith = summary.users
        guard let damagedAt else { return }
        summary.repaired = "\(Self.usersFileName) was damaged from byte \(damagedAt) (a crash of the machine?): "
            + "cut there, and the users paged again from the first page"
        state.phase = state.firstUsersPhase
        state.nextPage = 0
        state.usersBytes = end
        state.finishedAt = nil
        try state.save(directory: directory)
    }

    // MARK: - Users

    /// Pages of the current phase until the first empty one (true) or a stop (false).
    private func pullUsers(_ state: inout PullState, _ users: UsersFile, _ seen: inout UserIdSet,
                           _ summary: inout PullSummary, shouldStop: @Sendable () -> Bool) async throws -> Bool {
        let since = options.since
        let phase = state.phase
        let client = self.client
        func request(_ page: Int) -> SearchUsersRequest {
            .pullPage(page, fromCreatedTime: phase == .createdSince ? since : nil,
                      fromModifiedTime: phase == .modifiedSince ? since : nil)
        }
        var inFlight: [Int: Task<SearchUsersAnswer, any Error>] = [:]
        defer { for task in inFlight.values { task.cancel() } }
        var next = state.nextPage
        var launched = next
        let first = request(next)
        inFlight[next] = Task { try await client.searchUsers(first) }   // alone: it checks the key first
        while true {
            if shouldStop() { return false }
            let task = inFlight.removeValue(forKey: next)!
            let answer = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            progress.update { $0.totalReported = answer.total }
            if answer.users.isEmpty {
                summary.totalReported = answer.total
                return true
            }
            var lines: [UInt8] = []
            lines.reserveCapacity(answer.body.count + answer.users.count)
            var skipped = 0
            for user in answer.users {
                if let id = user.userId, !seen.insert(id) { skipped += 1; continue }
                Self.appendLine(answer.body[user.range], to: &lines)
                summary.count(user)
            }
            try users.append(lines)
            state.nextPage = next + 1
            state.usersBytes = users.size
            state.pages += 1
            try state.save(directory: directory)
            summary.duplicatesSkipped += skipped
            let traffic = client.traffic
            progress.update { [summary, state] in
                $0.pages = state.pages; $0.users = summary.users; $0.usersThisRun = summary.usersThisRun
                $0.duplicatesSkipped = summary.duplicatesSkipped
                $0.rateLimited = traffic.rateLimited; $0.retried = traffic.retried
            }
            next += 1
            while launched < next + options.pagesInFlight - 1 {
                launched += 1
                let search = request(launched)
                inFlight[launched] = Task { try await client.searchUsers(search) }
            }
        }
    }

    /// One user object as a line: its bytes as sent, except that a line break between tokens (a pretty-printed
    /// answer; JSON strings cannot hold a raw one) becomes a space, so the object stays on one line.
    static func appendLine(_ object: ArraySlice<UInt8>, to lines: inout [UInt8]) {
        let start = lines.count
        lines.append(contentsOf: object)
        if object.contains(0x0A) || object.contains(0x0D) {
            for i in start..<lines.count where lines[i] == 0x0A || lines[i] == 0x0D { lines[i] = 0x20 }
        }
        lines.append(0x0A)
    }

    // MARK: - Tenants and roles

    /// Writes a tenants or roles answer as sent (0600, atomically) and returns how many it lists.
    private func save(_ body: [UInt8], as name: String, key: String) throws -> Int {
        guard let count = Self.count(body, key: key) else {
            throw DescopeError(kind: .undecodable, status: 200, message: "expected a JSON object with a \"\(key)\" array",
                               method: key == "tenants" ? "GET" : "POST",
                               path: key == "tenants" ? "/v1/mgmt/tenant/all" : "/v1/mgmt/role/search", attempts: 1)
        }
        try PullFiles.replace(path(name), with: body, durable: true)
        return count
    }

    /// Entries of `{"<key>":[…]}` (or of a bare array); nil when the body is neither.
    static func count(_ body: [UInt8], key: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) else { return nil }
        if let list = object as? [Any] { return list.count }
        guard let dictionary = object as? [String: Any],
              let list = dictionary.first(where: { $0.key.lowercased() == key })?.value as? [Any] else { return nil }
        return list.count
    }

    static func countFile(_ path: String, key: String) -> Int? {
        FileManager.default.contents(atPath: path).flatMap { count(Array($0), key: key) }
    }
}
