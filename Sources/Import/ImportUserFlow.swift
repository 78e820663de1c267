import Mapping
import Preflight
import Foundation
import GRDB
import WorkOS

/// One user's way through WorkOS, resumable at every step:
/// journal check → (intent → create | resolve a lost create by lookup) → duplicate/ambiguous answers
/// resolved by lookup → optional hash update → memberships.
extension ImportPipeline {
    func importUser(_ user: MappedUser, start: ImportJournal.RunStart) async -> UserOutcome {
        let key = ImportUserKey.sourceKey(user)
        let digest = ImportUserKey.contentDigest(user)
        do {
            let previous = try await journal.user(sourceKey: key)
            switch user.status {
            case .rejected(let reason):
                if previous?.status != .rejected || previous?.contentDigest != digest {
                    try await journal.recordNotSent(sourceKey: key, row: user.row, email: user.user.email,
                                                    contentDigest: digest, outcome: user.status.name,
                                                    status: .rejected, reason: reason)
                }
                let message = user.problems.first(where: { $0.severity == .error })?.message ?? reason
                errors?.record(ImportFailure(row: user.row, email: user.user.email, stage: "mapping", code: reason,
                                             retryable: false, message: message))
                return .rejected
            case .readyWithoutPassword(let reason) where options.withoutPassword == .skip:
                if previous?.workosUserId == nil {
                    try await journal.recordNotSent(sourceKey: key, row: user.row, email: user.user.email,
                                                    contentDigest: digest, outcome: user.status.name,
                                                    status: .skipped, reason: reason)
                    return .skipped
                }
            default:
                break
            }

            let outcome: UserOutcome
            let userId: String
            if let p = previous, let id = p.workosUserId, p.status == .created || p.status == .existing {
                if p.contentDigest != digest, case .delta = start {
                    try await updateChanged(user, sourceKey: key, digest: digest, userId: id)
                    outcome = .updated
                } else if p.membershipsDone {
                    recordReset(user, userId: id, existing: p.status == .existing)
                    return .alreadyDone
                } else {
                    outcome = p.status == .created ? .created : .existing
                }
                userId = id
            } else {
                let resumedKey = previous?.status == .pending ? previous?.idempotencyKey : nil
                guard let result = try await createOrResolve(user, sourceKey: key, digest: digest,
                                                             resumedKey: resumedKey,
                                                             triedBefore: previous?.status == .failed)
                else { return .failed }
                userId = result.0
                outcome = result.1
            }
            let complete = try await createMemberships(user, sourceKey: key, userId: userId)
            if complete { try await journal.markMembershipsDone(sourceKey: key) }
            recordReset(user, userId: userId, existing: outcome == .existing)
            return outcome
        } catch let error as WorkOSError where error.isAPIKeyRejected {
            return .stop(error)
        } catch let outage as WorkOSOutage {
            return .outage(outage)
        } catch let error where error is CancellationError || Task.isCancelled {
            // Interrupted: whatever was sent is in the journal as an intent, resolved by lookup on the rerun.
            return .cancelled
        } catch let error as DatabaseError {
            // The journal cannot be written (disk full, …): nothing more can be sent safely; the rerun resolves
            // this user from its intent.
            return .journalFailed(JournalFailure.sentence(error, path: journal.path))
        } catch {
            errors?.record(ImportFailure(row: user.row, email: user.user.email, stage: "journal", error: error))
            return .failed
        }
    }

    /// Lists the user in `--resets` when WorkOS holds it without the old password: imported without one, or
    /// found existing and left as it was.
    private func recordReset(_ user: MappedUser, userId: String, existing: Bool) {
        guard let resets else { return }
        if let entry = ResetEntry.withoutPassword(user, workosUserId: userId) {
            resets.record(entry)
        } else if existing, !options.updateExisting, user.user.passwordHash != nil {
            resets.record(ResetEntry(row: user.row, email: user.user.email, workosUserId: userId, reason: .hashNotSet,
                                     code: "existing_user"))
        }
    }

    /// Creates the user, or finds it when WorkOS already has it (duplicate email, external id taken, a lost
    /// answer, or an intent of a killed run). Nil when it could not be created or found (recorded as failed).
    private func createOrResolve(_ user: MappedUser, sourceKey: String, digest: String,
                                 resumedKey: String?, triedBefore: Bool) async throws -> (String, UserOutcome)? {
        if resumedKey != nil {
            // An intent with no result: the create may have been applied before the kill. Look first.
            let found: User?
            do { found = try await lookUp(user) } catch let error as WorkOSError where !error.isAPIKeyRejected {
                try await fail(user, sourceKey: sourceKey, stage: "lookup", error: error)
                return nil
            }
            if let found {
                try await journal.recordUserResult(sourceKey: sourceKey, status: .created, workosUserId: found.id,
                                                   requestId: nil)
                statistics.update { $0.resolvedByLookup += 1 }
                return (found.id, .created)
            }
        }
        let idempotencyKey = resumedKey ?? UUID().uuidString.lowercased()
        try await journal.recordIntent(sourceKey: sourceKey, row: user.row, email: user.user.email,
                                       contentDigest: digest, outcome: user.status.name, idempotencyKey: idempotencyKey)
        let body = ImportUserKey.createRequest(user.user)
        do {
            let created = try await calls.run(write: true) {
                try await client.createUser(body, idempotencyKey: idempotencyKey)
            }
            try await journal.recordUserResult(sourceKey: sourceKey, status: .created, workosUserId: created.value.id,
                                               requestId: created.requestId)
            return (created.value.id, .created)
        } catch let error as WorkOSError where error.isAPIKeyRejected {
            throw error
        } catch let error as WorkOSError where error.isEmailNotAvailable || error.isExternalIdAlreadyUsed
                                            || error.isAmbiguous || (error.isRetryable && error.status != 429) {
            let found: User?
            do { found = try await lookUp(user) } catch let lookupError as WorkOSError where !lookupError.isAPIKeyRejected {
                try await fail(user, sourceKey: sourceKey, stage: "lookup", error: lookupError)
                return nil
            }
            guard let found else {
                try await fail(user, sourceKey: sourceKey, stage: "create", error: error)
                return nil
            }
            statistics.update { $0.resolvedByLookup += 1 }
            // Our external id on a user we may have made (lost answer, retried send, killed run) means it is ours.
            let mayBeOurs = error.isAmbiguous || error.attempts > 1 || resumedKey != nil || triedBefore
                || error.isRetryable
            if mayBeOurs, let externalId = found.externalId, externalId == user.user.externalId {
                try await journal.recordUserResult(sourceKey: sourceKey, status: .created, workosUserId: found.id,
                                                   requestId: error.requestId)
                return (found.id, .created)
            }
            try await journal.recordUserResult(sourceKey: sourceKey, status: .existing, workosUserId: found.id,
                                               requestId: error.requestId)
            if options.updateExisting, let hash = user.user.passwordHash {
                do {
                    let update = UpdateUserRequest(passwordHash: hash.string, passwordHashType: hash.type,
                                                   passwordSaltPosition: hash.saltPosition)
                    let answer = try await calls.run(write: true) { try await client.updateUser(id: found.id, update) }
                    try await journal.recordUserResult(sourceKey: sourceKey, status: .existing, workosUserId: found.id,
                                                       requestId: answer.requestId)
                    return (found.id, .updated)
                } catch let updateError as WorkOSError where !updateError.isAPIKeyRejected {
                    errors?.record(ImportFailure(row: user.row, email: user.user.email, stage: "update",
                                                 error: updateError))
                    try await journal.recordUserResult(sourceKey: sourceKey, status: .existing, workosUserId: found.id,
                                                       requestId: updateError.requestId, stage: "update",
                                                       error: updateError.description)
                }
            }
            return (found.id, .existing)
        } catch let error as WorkOSError {
            try await fail(user, sourceKey: sourceKey, stage: "create", error: error)
            return nil
        }
    }

    /// The WorkOS user for this Descope user: by external id (our own earlier create), else by email.
    private func lookUp(_ user: MappedUser) async throws -> User? {
        if let externalId = user.user.externalId, !externalId.isEmpty {
            let byId = try await calls.run(write: false) { try await client.getUserByExternalId(externalId) }
            if let found = byId.value { return found }
        }
        let byEmail = try await calls.run(write: false) { try await client.findUser(email: user.user.email) }
        return byEmail.value
    }

    private func fail(_ user: MappedUser, sourceKey: String, stage: String, error: WorkOSError) async throws {
        try await journal.recordUserResult(sourceKey: sourceKey, status: .failed, workosUserId: nil,
                                           requestId: error.requestId, stage: stage, error: error.description)
        errors?.record(ImportFailure(row: user.row, email: user.user.email, stage: stage, error: error))
    }

    /// `--delta`: the user changed since the export the journal recorded; bring WorkOS up to date.
    private func updateChanged(_ user: MappedUser, sourceKey: String, digest: String, userId: String) async throws {
        let b = user.user
        let update = UpdateUserRequest(
            firstName: b.firstName, lastName: b.lastName, emailVerified: b.emailVerified,
            metadata: b.metadata.isEmpty ? nil : Dictionary(b.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            passwordHash: b.passwordHash?.string, passwordHashType: b.passwordHash?.type,
            passwordSaltPosition: b.passwordHash?.saltPosition)
        do {
            let answer = try await calls.run(write: true) { try await client.updateUser(id: userId, update) }
            try await journal.recordUserResult(sourceKey: sourceKey, status: .existing, workosUserId: userId,
                                               requestId: answer.requestId, contentDigest: digest)
        } catch let error as WorkOSError where !error.isAPIKeyRejected {
            errors?.record(ImportFailure(row: user.row, email: b.email, stage: "update", error: error))
            try await journal.recordUserResult(sourceKey: sourceKey, status: .existing, workosUserId: userId,
                                               requestId: error.requestId, stage: "update", error: error.description)
        }
    }

    // MARK: - Memberships

    /// Creates the user's memberships not yet done; true when all are done (an existing one counts).
    private func createMemberships(_ user: MappedUser, sourceKey: String, userId: String) async throws -> Bool {
        guard !user.memberships.isEmpty else { return true }
        let recorded = try await journal.memberships(sourceKey: sourceKey)
        var complete = true
        for membership in user.memberships {
            let previous = recorded[membership.tenantId]
            if let previous, previous.status == .created || previous.status == .existing { continue }
            if stop.reason == .apiKeyRejected { return false }
            do {
                try await createMembership(membership, previous: previous, user: user, sourceKey: sourceKey,
                                           userId: userId)
            } catch let error as WorkOSError where !error.isAPIKeyRejected {
                complete = false
                statistics.update { $0.membershipsFailed += 1 }
                errors?.record(ImportFailure(row: user.row, email: user.user.email, stage: "membership", error: error))
                try await journal.recordMembershipResult(sourceKey: sourceKey, tenantId: membership.tenantId,
                                                         status: .failed, membershipId: nil,
                                                         requestId: error.requestId, error: error.description)
            }
        }
        return complete
    }

    private func createMembership(_ membership: MappedMembership, previous: JournalMembership?, user: MappedUser,
                                  sourceKey: String, userId: String) async throws {
        let organizationId = try await organizations.organizationId(tenantId: membership.tenantId,
                                                                     name: membership.tenantName)
        if previous?.status == .pending, let found = try await findMembership(userId: userId,
                                                                              organizationId: organizationId) {
            // Sent before a kill; it went through.
            try await journal.recordMembershipResult(sourceKey: sourceKey, tenantId: membership.tenantId,
                                                     status: .created, membershipId: found.id, requestId: nil)
            statistics.update { $0.membershipsCreated += 1 }
            return
        }
        var key = UUID().uuidString.lowercased()
        if let previous, previous.status == .pending { key = previous.idempotencyKey }
        try await journal.recordMembershipIntent(sourceKey: sourceKey, tenantId: membership.tenantId,
                                                 organizationId: organizationId, roleSlugs: membership.roleSlugs,
                                                 idempotencyKey: key)
        let body = membership.roleSlugs.count > 1
            ? CreateMembershipRequest(userId: userId, organizationId: organizationId, roleSlugs: membership.roleSlugs)
            : CreateMembershipRequest(userId: userId, organizationId: organizationId, roleSlug: membership.roleSlugs.first)
        do {
            let created = try await calls.run(write: true) { try await client.createMembership(body, idempotencyKey: key) }
            try await journal.recordMembershipResult(sourceKey: sourceKey, tenantId: membership.tenantId,
                                                     status: .created, membershipId: created.value.id,
                                                     requestId: created.requestId)
            statistics.update { $0.membershipsCreated += 1 }
        } catch let error as WorkOSError where error.isMembershipAlreadyExists || error.isAmbiguous
                                            || (error.isRetryable && error.status != 429) {
            guard let found = try await findMembership(userId: userId, organizationId: organizationId) else { throw error }
            let status: JournalMembership.Status = error.isMembershipAlreadyExists ? .existing : .created
            try await journal.recordMembershipResult(sourceKey: sourceKey, tenantId: membership.tenantId,
                                                     status: status, membershipId: found.id, requestId: error.requestId)
            statistics.update { status == .existing ? ($0.membershipsExisting += 1) : ($0.membershipsCreated += 1) }
        }
    }

    private func findMembership(userId: String, organizationId: String) async throws -> OrganizationMembership? {
        let page = try await calls.run(write: false) {
            try await client.listMemberships(userId: userId, organizationId: organizationId, limit: 10)
        }
        return page.value.data.first { $0.userId == userId && $0.organizationId == organizationId }
    }
}
