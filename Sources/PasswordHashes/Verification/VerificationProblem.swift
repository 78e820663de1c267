// Why a hash cannot be verified: stable codes (prefix `verify_`) so callers can tell
// "cannot check" apart from "WorkOS refuses" (the policy problems of WorkOSPolicy).

extension HashProblem {
    static func verifyFamilyUnsupported(_ family: HashFamily) -> HashProblem {
        HashProblem("verify_family_unsupported",
                    "\(family.rawValue) hashes cannot be verified by hashport: WorkOS cannot import them, so no verifier is built for them.")
    }

    static func verifyMissingParameter(_ family: HashFamily, _ name: String) -> HashProblem {
        HashProblem("verify_missing_parameter",
                    "The \(family.rawValue) hash has no `\(name)` parameter, so it cannot be verified.")
    }

    static func verifyParameterOutOfRange(_ family: HashFamily, _ name: String, _ value: UInt64,
                                          _ allowed: String) -> HashProblem {
        HashProblem("verify_parameter_out_of_range",
                    "The \(family.rawValue) parameter \(name)=\(value) is outside what hashport verifies (\(allowed)).")
    }

    static func verifyLengthOutOfRange(_ family: HashFamily, _ what: String, _ count: Int,
                                       _ allowed: String) -> HashProblem {
        HashProblem("verify_length_out_of_range",
                    "The \(family.rawValue) \(what) is \(count) bytes long; hashport verifies \(allowed).")
    }

    static func verifyUnknownVariant(_ family: HashFamily, _ variant: String) -> HashProblem {
        HashProblem("verify_unknown_variant",
                    "The \(family.rawValue) variant \"\(variant)\" is not one hashport can verify.")
    }

    static func verifyMalformed(_ family: HashFamily, _ detail: String) -> HashProblem {
        HashProblem("verify_malformed_hash", "The \(family.rawValue) hash cannot be verified: \(detail).")
    }

    static let verifyNulInBcryptPassword = HashProblem(
        "verify_bcrypt_nul_in_password",
        "The password has a NUL byte within its first 72 bytes; libxcrypt reads passwords as C strings, so this bcrypt hash cannot be checked.")

    static let verifyArgon2KeyedWithoutSecret = HashProblem(
        "verify_argon2_secret_required",
        "The Argon2 hash names a key (keyid) but no secret was supplied; a peppered hash cannot be verified from its string alone.")

    static func verifyLibraryFailure(_ family: HashFamily, _ library: String, _ detail: String) -> HashProblem {
        HashProblem("verify_library_error",
                    "\(library) could not compute the \(family.rawValue) hash: \(detail).")
    }
}
