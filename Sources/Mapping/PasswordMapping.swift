import PasswordHashes

/// How a hash WorkOS refuses is worded on its row (the verdict itself is PasswordHashes' `HashAssessment`).
public enum PasswordMapping {
    /// The row's warning when the hash cannot be imported: the detector's or the policy's sentence, plus what
    /// happens to the user unless the sentence already says so.
    public static func refusal(_ problem: HashProblem) -> MigrationProblem {
        let message = problem.message.contains("password reset") ? problem.message
            : problem.message + " The user is imported without a password and will need a password reset."
        return MigrationProblem(problem.code, message, severity: .warning)
    }
}
