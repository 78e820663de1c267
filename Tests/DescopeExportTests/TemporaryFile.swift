import Foundation

/// A file in the temporary directory, removed when the value is released.
final class TemporaryFile {
    let path: String
    convenience init(contents: String, suffix: String = ".csv") throws {
        try self.init(bytes: Array(contents.utf8), suffix: suffix)
    }
    init(bytes: [UInt8], suffix: String = ".csv") throws {
        path = NSTemporaryDirectory() + "/descope-export-test-\(UUID().uuidString)\(suffix)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
