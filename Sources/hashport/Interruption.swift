import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `import`, `reconcile` and `undo` do on the first Ctrl-C / SIGTERM, besides cancelling their requests.
enum Interruption {
    /// Says what is happening, and makes sure the process is gone within 2 s whatever it was doing: every write
    /// is journaled before it is sent, so ending there is always resumable.
    static func onFirstSignal(command: String) -> @Sendable () -> Void {
        {
            stderr("\nstopping: cancelling the requests in flight (Ctrl-C again to quit at once; "
                   + "run the same command again to resume)")
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1_500)) {
                stderr("hashport \(command): stopped; run the same command again to resume:\n  " + commandLine())
                _exit(3)
            }
        }
    }

    /// This process's command line, quoted for a POSIX shell (it never holds a key: those are refused on argv).
    static func commandLine() -> String {
        CommandLine.arguments.map { argument in
            let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
            return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    private static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A number one task sets and a progress line reads.
final class Count: Sendable {
    private let state = Mutex(0)
    func set(_ value: Int) { state.withLock { $0 = max($0, value) } }
    var value: Int { state.withLock { $0 } }
}
