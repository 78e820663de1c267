import Foundation
import Testing
@testable import DescopeExport

/// Inputs `make fuzz` found, kept as regression cases (Fuzz/README.md).
@Suite struct FuzzRegressionTests {
    /// search-users: a `{"user": …}` record broken on a line longer than the read window was skipped only to the
    /// window's end, so the rest of its line was read as a second, bogus element.
    @Test func brokenLineLongerThanTheWindowIsOneProblem() throws {
        let text = #"{"user": {"userId": "U500000000000000ail": "cli1@example.com", "loginIds": ["cli1@example.com"], "#
            + #""status": "enabled", "customAttributes": {"department": "R&D", "level": 3.5}}}"#
        let file = try TemporaryFile(contents: text, suffix: ".json")
        func items(blockSize: Int) throws -> [ExportItem] {
            var options = ExportOptions()
            options.readBlockSize = blockSize
            let reader = try SearchUsersReader(path: file.path, options: options)
            var out: [ExportItem] = []
            while let item = reader.next() { out.append(item) }
            return out
        }
        let whole = try items(blockSize: 1 << 20)
        #expect(whole.count == 1)
        #expect(whole.first?.problem?.code == ExportProblem.Code.invalidJSON)
        for blockSize in [16, 64, 100] { #expect(try items(blockSize: blockSize) == whole, "\(blockSize)-byte blocks") }
    }

    /// csv: a JSON cell (`userTenants`) was parsed straight from a String with no padding after it, and the 8-byte
    /// string scan read past its end (ASan: heap-buffer-overflow). Under `make test-sanitized` this reads the input
    /// the fuzzer found; everywhere it checks that cut-off JSON cells are problems.
    @Test func jsonCellsCutOffInsideAStringAreProblems() throws {
        for cell in [#"[{"tenantId":"T1"#, #"[{"tenantId":""#, #"["#, #"[{"tenantId":"T1","roleNames":["admin"#, #"["T"#] {
            guard case .success(let tenants) = CellValues.tenants(cell) else { continue }
            // Not JSON: read as a list of ids, as any other non-JSON cell.
            #expect(!tenants.isEmpty, "\(cell)")
        }
        let found = Data(base64Encoded: "dXNlcklkLGxvZ2luSWRzLGVtYWlsLHZlcmlmaWVkRW1haWwsbmFtZSxnaXZlbk5hbWUsZmFtaWx5TmFtZSxwaG9uZSxzdGF0dXMsY3JlYXRlZFRpbWUscm9sZU5hbWVzLHVzZXJUZW5hbnRzLHBhc3N3b3JkX2hhc2gsY3VzdG9tQXR0cmlidXRlcy5wbGFuLGN1c3RvbUF0dHJpYnV0ZXMuc2VhdHMKVTJpT0NGSXdzZGdlR3Z1c2Rma0tVYjlISktzZGksYWRhQGV4YW1wbGUuY29tLGFkYUBleGFtcGxlb20uYyx0cnVlLEFkYSBMb3ZlbGFjZSxBZGEsTG92ZWxhY2UsKzE1NTU1NTUwMTAxLGVuYWJsZWQsMTcwMDAwMDAwMCxhZG1pbjtiaWxsaW5nLCJbeyIidGVuYW50SWQiIjoiIlQySU1qbVJmWVRRSGxiYWFdIiwkMmEkMDUkQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDLkU1WVBPOWtteXVSR3loMFhvdVFZYjRZTUpLdnlwVyxlT3JvLDUKVTJpT0NGSXdzZGdlR3Z1c2Rma0tVYjlISktzZGosImdyYWNlOyArMTU1NTU1NTAxMDIiLGdyYWNlQGXYBhCW4H8AAHhhbXBsZS5jb20sRkFMU0UsLEdyYWNlLEhvcHBlciwsRGlzYWJsZWQsMTcwMDAwMDAwMDEyMywiWyIidmlld3NlcklkLGxvZ2luSWRzLGVtYWlsLHZlcmlmaWVkRW1haWwsbmFtZSxnaXZlbk5hbWUsZmFtaWx5TmFtZSxwaG9uZSxzdGF0dXMsY3JlYXRlZFSbkprTcm9s77u/IlVlTmFtZXMsdXNl/////////y8scGFzc3dvcmRfaGFzaCxjdXN0b21BdHRyaWJ1dGVzLnBsYW4sY2FhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWEQVTJpT0NGSXdzZBlnZUd2dXNkZmtLVWI5SP9KS3NkbCxzb2NpYWxAZXhhbXBsZS5jb20sc29jaWFsQGV4YW1wbGUuY29tLHRydWUsLCwsLGVuYWJsZWQsLCwsLCwK")!
        let csv = CSVReader(bytes: Array(found))
        let reader = try CSVUserReader(csv: csv)
        var items: [ExportItem] = []
        while let item = reader.next() { items.append(item) }
        #expect(items.count == 2)
    }
}
