import DescopeExport
import Foundation
@testable import Mapping
@testable import Preflight
import Testing

/// Every sample export in TestVectors/exports with a `*.outcomes.json` beside it gives exactly those outcomes,
/// row by row, through `convert`; and `inspect` counts the same.
///
/// `*.outcomes.json`: `{"inputs": ["a.csv", "b.json"], "tenants": "t.json"?, "include_disabled": false?,
/// "rows": [{"row": 2, "status": "ready", "reason": null}, …]}` — `reason` is the code of why the row is not
/// `ready` (its outcome's reason), or the reader's problem code for a record that could not be read.
@Suite struct SampleExportOutcomeTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestVectors/exports")

    static var outcomeFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".outcomes.json") }.sorted()
    }

    struct Expected: Decodable {
        var inputs: [String]
        var tenants: String?
        var include_disabled: Bool?
        var include_test: Bool?
        var rows: [Row]
        struct Row: Decodable, Equatable, CustomStringConvertible {
            var row: Int
            var status: String
            var reason: String?
            var description: String { "\(row):\(status)\(reason.map { "(\($0))" } ?? "")" }
        }
    }

    @Test func everySampleGroupHasOutcomes() { #expect(Self.outcomeFiles.count >= 13) }

    @Test(arguments: outcomeFiles)
    func sampleExportGivesItsExpectedOutcomes(_ name: String) throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let inputs = expected.inputs.map { Self.directory.appendingPathComponent($0).path }
        var options = MappingOptions(includeDisabled: expected.include_disabled ?? false, includeTest: expected.include_test ?? false)
        if let tenants = expected.tenants {
            options.tenants = try TenantDirectory.load(path: Self.directory.appendingPathComponent(tenants).path)
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sample-\(UUID().uuidString).jsonl").path
        let conversion = Conversion(inputs: inputs, mappingOptions: options, outputPath: out)
        let mapper = UserMapper(options: options, duplicates: try conversion.duplicateIndex())
        var actual: [Expected.Row] = []
        for item in try UserExport(inputs: inputs) {
            switch item {
            case .problem(let p): actual.append(Expected.Row(row: p.location.line, status: "rejected", reason: p.code))
            case .user(let u):
                let m = mapper.map(u)
                actual.append(Expected.Row(row: m.row, status: m.status.name, reason: m.status.reason))
            }
        }
        #expect(actual == expected.rows, "\(name)")

        // convert writes the same outcomes, in the same order.
        let converted = try conversion.run()
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { line -> String in
            let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return "\(record?["row"] as? Int ?? -1):\(record?["status"] as? String ?? "?")"
        }
        #expect(written == expected.rows.map { "\($0.row):\($0.status)" }, "\(name)")

        let a = try Preflight(inputs: inputs, mapper: UserMapper(options: options)).run()
        #expect(a.outcomes == converted.outcomes)
        #expect(a.users == expected.rows.count)
    }
}
