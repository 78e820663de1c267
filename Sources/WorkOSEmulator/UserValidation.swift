import WorkOS

/// WorkOS's field rules for users (workos-api.md): checked in the order WorkOS answers them.
enum UserValidation {
    static func email(_ email: String) -> Refusal? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let ok = email.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !email.contains(where: { $0.isWhitespace || $0.isNewline })
        return ok ? nil : Refusal(.invalid(field: "email", code: "email_string_required",
                                           message: "email must be a valid email address."))
    }

    static func externalId(_ id: String?) -> Refusal? {
        guard let id else { return nil }
        let ok = !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        return ok ? nil : Refusal(.invalid(field: "external_id", code: "external_id_invalid",
                                           message: "external_id must be 1 to 128 printable ASCII characters."))
    }

    static func metadata(_ metadata: [String: String]?) -> Refusal? {
        guard let metadata else { return nil }
        var problem: String?
        if metadata.count > 50 { problem = "metadata has more than 50 keys." }
        else if let key = metadata.keys.first(where: { $0.count > 40 || $0.isEmpty }) {
            problem = "metadata key '\(key.prefix(40))…' is empty or longer than 40 characters."
        } else if let key = metadata.first(where: { $0.value.count > 600 })?.key {
            problem = "metadata value of '\(key)' is longer than 600 characters."
        }
        return problem.map { Refusal(.error(400, code: "invalid_metadata", message: $0)) }
    }

    /// Checks the password fields and returns the hash to store (nil for a user without password).
    static func password(plain: String?, hash: String?, type: String?, saltPosition: String?) -> Result<(hash: String, type: String)?, Refusal> {
        let hash = hash.flatMap { $0.isEmpty ? nil : $0 }
        let type = type.flatMap { $0.isEmpty ? nil : $0 }
        if plain != nil && (hash != nil || type != nil) {
            return .failure(Refusal(.error(400, code: "password_and_password_hash_provided",
                                           message: "Provide either password or password_hash, not both.")))
        }
        if plain != nil {
            return .failure(Refusal(.invalid(field: "password", code: "password_not_supported_by_emulator",
                message: "The hashport emulator takes only imported password hashes (password_hash), not plain passwords.")))
        }
        guard hash != nil || type != nil else {
            if saltPosition != nil {
                return .failure(Refusal(.invalid(field: "password_salt_position", code: "salt_position_without_hash",
                                                 message: "password_salt_position needs password_hash.")))
            }
            return .success(nil)
        }
        guard let hash else {
            return .failure(Refusal(.invalid(field: "password_hash", code: "password_hash_required",
                                             message: "password_hash_type needs password_hash.")))
        }
        guard let type else {
            return .failure(Refusal(.invalid(field: "password_hash_type", code: "password_hash_type_required",
                                             message: "password_hash needs password_hash_type.")))
        }
        guard PasswordCheck.knownTypes.contains(type) else {
            return .failure(Refusal(.invalid(field: "password_hash_type", code: "invalid_enum_value",
                message: "password_hash_type must be one of \(PasswordCheck.knownTypes.sorted().joined(separator: ", ")).")))
        }
        if let saltPosition {
            guard type == "ssha256", saltPosition == "prefix" || saltPosition == "suffix" else {
                return .failure(Refusal(.invalid(field: "password_salt_position", code: "invalid_salt_position",
                    message: "password_salt_position is prefix or suffix, and only with ssha256.")))
            }
        }
        if let refusal = PasswordCheck.refusal(type: type, hash: hash) { return .failure(Refusal(refusal)) }
        return .success((hash: hash, type: type))
    }

    static func emailNotAvailable() -> Refusal {
        Refusal(.error(400, code: "user_creation_error", message: "Could not create user.",
                       errors: [ErrorBody.Detail(code: "email_not_available", message: "This email is not available.")]))
    }

    static func externalIdAlreadyUsed(_ code: String = "user_creation_error") -> Refusal {
        Refusal(.error(400, code: code, message: "Could not create user.",
                       errors: [ErrorBody.Detail(code: "external_id_already_used",
                                                 message: "This external_id is already in use.")]))
    }
}
