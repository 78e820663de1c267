import ArgumentParser

/// The exit codes of DESIGN §3, used by every command.
enum ExitStatus {
    /// Finished, nothing failed.
    static let success = ExitCode(0)
    /// Finished, but something failed or was refused.
    static let somethingFailed = ExitCode(1)
    /// Usage error or unreadable input.
    static let usage = ExitCode(2)
    /// Interrupted; rerun the same command to resume.
    static let interrupted = ExitCode(3)
}
