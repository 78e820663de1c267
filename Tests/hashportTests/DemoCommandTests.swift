import Foundation
import Testing

/// `hashport demo` as `make demo` runs it: the bundled export, the in-process emulator, old passwords.
@Suite("hashport demo (the binary)")
struct DemoCommandTests {
    @Test("the demo logs every sample user in with the old password and exits 0")
    func demoPasses() async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ImportCommandTests.binary)
        p.arguments = ["demo"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(p.terminationStatus == 0)
        #expect(text.contains("Demo passed"))
        // 9 users with importable hashes log in; 4 need a reset; the user with no email is never sent.
        #expect(text.contains("Summary: 9 users log in with their old password, 4 need a reset, 1 rejected"))
        #expect(!text.contains("✗"))
        #expect(!text.contains("$2b$") && !text.contains("correct horse"), "no hash or password printed")
    }
}
