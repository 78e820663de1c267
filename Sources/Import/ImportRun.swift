import Mapping
import Preflight
import DescopeExport
import Foundation
import WorkOS

/// One `hashport import` end to end: inputs → journal → pipeline → canaries → report. Shared by the
/// `import` command and `hashport demo`.
public struct ImportRun: Sendable {
    public var inputs: [String]
    public var tenantsPath: String?
    public var roleMapPath: String?
    public var statePath: String
    public var errorsPath: String?
    public var reportPath: String?
    public var canariesPath: String?
    /// `--resets F.csv`: the users WorkOS holds without their old password, for the password-reset emails.
    public var resetsPath: String?
    public var clientId: String?
    public var options: ImportOptions
    public var mapping: MappingOptions
    public var export: ExportOptions

    public init(inputs: [String], tenantsPath: String? = nil, roleMapPath: String? = nil, statePath: String,
                errorsPath: String? = nil, reportPath: String? = nil, canariesPath: String? = nil,
                resetsPath: String? = nil, clientId: String? = nil, options: ImportOptions = ImportOptions(),
                mapping: MappingOptions = MappingOptions(), export: ExportOptions = ExportOptions()) {
        self.inputs = inputs; self.tenantsPath = tenantsPath; self.roleMapPath = roleMapPath
        self.statePath = statePath; self.errorsPath = errorsPath; self.reportPath = reportPath
        self.canariesPath = canariesPath; self.resetsPath = resetsPath; self.clientId = clientId
        self.options = options
        self.mapping = mapping; self.export = export
    }

    /// Every file whose content decides what is sent: a change in any of them is a changed input.
    public var fingerprintedFiles: [String] {
        inputs + [tenantsPath, roleMapPath].compactMap { $0 }
    }

    /// Reads the role map and the tenants when the caller has not, and opens the inputs (nothing is sent).
    /// Throws a precise error for unreadable input.
    public func openInput() throws -> ImportInput {
        var mapping = self.mapping
        if let roleMapPath, mapping.roleMap.isEmpty { mapping.roleMap = try RoleMap.load(path: roleMapPath) }
        if let tenantsPath, mapping.tenants == nil {
            mapping.tenants = try TenantDirectory.load(path: tenantsPath, options: export)
        }
        return try ImportInputReader.open(inputs: inputs, mapping: mapping, export: export)
    }

    /// The dry run: what a real run would send.
    public func plan() async throws -> ImportPlan {
        let input = try openInput()
        let fingerprint = try InputFingerprint(paths: fingerprintedFiles)
        // A dry run never creates the state file; an existing one says what is already done.
        let journal: ImportJournal? = try FileManager.default.fileExists(atPath: statePath)
            ? ImportJournal(path: statePath) : nil
        return try await ImportPlan.make(input: input, journal: journal, fingerprint: fingerprint, options: options)
    }

    /// The import. Canaries run after a finished import only.
    public func execute(client: WorkOSClient, stop: ImportStop, statistics: ImportStatistics = ImportStatistics(),
                        showProgress: Bool = true, progressInterval: Duration = .seconds(10)) async throws
        -> (ImportResult, ImportReport) {
        let canaries = try canariesPath.map { try CanaryList(path: $0) }
        if canaries != nil && (clientId ?? "").isEmpty {
            throw ImportRunError.canariesNeedClientId
        }
        let input = try openInput()
        let fingerprint = try InputFingerprint(paths: fingerprintedFiles)
        let journal = try ImportJournal(path: statePath)
        let errors = try errorsPath.map { try ErrorReportWriter(path: $0) }
        defer { errors?.close() }
        let resets = try resetsPath.map { try ResetListWriter(path: $0) }
        defer { resets?.close() }
        let pipeline = ImportPipeline(client: client, journal: journal, options: options, statistics: statistics,
                                      errors: errors, resets: resets, stop: stop)
        let breaker = client.breaker
        let progress = ProgressReporter(statistics: statistics, outage: { breaker?.outage }, enabled: showProgress,
                                        interval: progressInterval)
        let result: ImportResult
        do {
            result = try await pipeline.run(input: input, fingerprint: fingerprint)
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        var outcomes: [CanaryOutcome] = []
        if case .finished = result.ending, let canaries, let clientId {
            outcomes = try await CanaryLogin(client: client, clientId: clientId, journal: journal).run(canaries)
            for o in outcomes where o.result == .failed {
                errors?.record(ImportFailure(row: o.line, email: o.email ?? o.account, stage: "canary",
                                             requestId: o.requestId, retryable: false, message: o.message))
            }
        }
        let report = ImportReport(result: result, canaries: outcomes, errorsFile: errorsPath,
                                  resets: resets.map { ($0.path, $0.count) })
        if let reportPath { try report.write(to: reportPath) }
        return (result, report)
    }
}

public enum ImportRunError: Error, Sendable, CustomStringConvertible {
    case canariesNeedClientId

    public var description: String {
        switch self {
        case .canariesNeedClientId:
            return "--canaries needs --client-id (the WorkOS client id used to log the canaries in)"
        }
    }
}
