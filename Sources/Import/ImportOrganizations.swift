import Mapping
import Preflight
import Foundation
import WorkOS

/// Descope tenant id → WorkOS organization id, resolved once per tenant: from the journal, else by
/// `GET /organizations/external_id/{tenant}`, else created. Concurrent users that need the same
/// tenant share one lookup (coalesced) and every answer is cached for the run.
actor OrganizationDirectory {
    private let client: WorkOSClient
    private let journal: ImportJournal
    private let calls: ImportCalls
    private var known: [String: String] = [:]
    private var inFlight: [String: Task<String, any Error>] = [:]
    /// A tenant whose organization could not be made fails its later users at once (a rerun retries).
    private var failed: [String: any Error] = [:]

    init(client: WorkOSClient, journal: ImportJournal, calls: ImportCalls) {
        self.client = client; self.journal = journal; self.calls = calls
    }

    /// The organization of `tenantId`, creating it (named `name`, else the tenant id) when missing.
    func organizationId(tenantId: String, name: String?, domains: [String] = []) async throws -> String {
        if let id = known[tenantId] { return id }
        if let error = failed[tenantId] { throw error }
        if let task = inFlight[tenantId] { return try await Self.value(of: task) }
        let task = Task { [client, journal, calls] in
            try await Self.resolve(tenantId: tenantId, name: name, domains: domains,
                                   client: client, journal: journal, calls: calls)
        }
        inFlight[tenantId] = task
        defer { inFlight[tenantId] = nil }
        do {
            let id = try await Self.value(of: task)
            known[tenantId] = id
            return id
        } catch {
            failed[tenantId] = error
            throw error
        }
    }

    /// The shared lookup's answer; a cancelled caller cancels it (only an interruption cancels, and it cancels all).
    private static func value(of task: Task<String, any Error>) async throws -> String {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    private static func resolve(tenantId: String, name: String?, domains: [String], client: WorkOSClient,
                                journal: ImportJournal, calls: ImportCalls) async throws -> String {
        if let id = try await journal.organizationId(tenantId: tenantId) {
            calls.statistics.update { $0.organizationsExisting += 1 }
            return id
        }
        let displayName = (name?.isEmpty == false ? name : nil) ?? tenantId
        do {
            // Found first: a rerun, or organizations made by hand before the import.
            let found = try await calls.run(write: false) { try await client.getOrganizationByExternalId(tenantId) }
            if let org = found.value {
                try await journal.recordOrganization(tenantId: tenantId, name: displayName, organizationId: org.id,
                                                     status: "existing", requestId: found.requestId)
                calls.statistics.update { $0.organizationsExisting += 1 }
                return org.id
            }
            let key = try await journal.organizationIntent(tenantId: tenantId, name: displayName,
                                                           newKey: UUID().uuidString.lowercased())
            let body = CreateOrganizationRequest(
                name: displayName, externalId: tenantId,
                domainData: domains.isEmpty ? nil : domains.map { .init(domain: $0, state: "pending") })
            do {
                let created = try await calls.run(write: true) { try await client.createOrganization(body, idempotencyKey: key) }
                try await journal.recordOrganization(tenantId: tenantId, name: displayName,
                                                     organizationId: created.value.id, status: "created",
                                                     requestId: created.requestId)
                calls.statistics.update { $0.organizationsCreated += 1 }
                return created.value.id
            } catch let error as WorkOSError where error.isExternalIdAlreadyUsed || error.isAmbiguous {
                // Someone (or our own lost answer) made it meanwhile: it is there now.
                let again = try await calls.run(write: false) { try await client.getOrganizationByExternalId(tenantId) }
                guard let org = again.value else { throw error }
                try await journal.recordOrganization(tenantId: tenantId, name: displayName, organizationId: org.id,
                                                     status: error.isAmbiguous ? "created" : "existing",
                                                     requestId: again.requestId)
                calls.statistics.update { error.isAmbiguous ? ($0.organizationsCreated += 1) : ($0.organizationsExisting += 1) }
                return org.id
            }
        } catch let error as WorkOSError {
            if !error.isAPIKeyRejected {
                try? await journal.recordOrganization(tenantId: tenantId, name: displayName, organizationId: nil,
                                                      status: "failed", requestId: error.requestId,
                                                      error: error.description)
                calls.statistics.update { $0.organizationsFailed += 1 }
            }
            throw error
        }
    }
}
