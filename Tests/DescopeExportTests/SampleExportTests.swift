import Foundation
import Testing
@testable import DescopeExport

/// TestVectors/exports/: every `<name>.expected.json` lists, record by record, what reading its input(s)
/// must give — users with every field, or problems with their code and line.
enum SampleExports {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestVectors/exports").path

    static var expectedFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".expected.json") }.sorted()
    }

    /// The inputs an expected file describes: its `inputs`, else the file of the same name with any extension.
    static func inputs(for expectedName: String, _ spec: [String: Any]) -> [String] {
        if let listed = spec["inputs"] as? [String] { return listed }
        let stem = String(expectedName.dropLast(".expected.json".count))
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        // `.outcomes.json` beside a sample holds the mapping's expected outcomes, not an input.
        return files.filter {
            $0.hasPrefix(stem + ".") && !$0.hasSuffix(".expected.json") && !$0.hasSuffix(".outcomes.json")
        }
    }
}

/// A user as a JSON-able dictionary holding only the fields that are set (nil, empty and false left out),
/// so an expected record pins every field.
func projection(_ u: DescopeUser) -> [String: Any] {
    var d: [String: Any] = [:]
    func put(_ key: String, _ value: String?) { if let value { d[key] = value } }
    func put(_ key: String, _ value: Bool?) { if let value { d[key] = value } }
    func put(_ key: String, _ value: [String]) { if !value.isEmpty { d[key] = value } }
    func flag(_ key: String, _ value: Bool) { if value { d[key] = true } }
    put("userId", u.userId); put("loginIds", u.loginIds); put("email", u.email); put("verifiedEmail", u.verifiedEmail)
    put("phone", u.phone); put("verifiedPhone", u.verifiedPhone); put("name", u.name); put("givenName", u.givenName)
    put("middleName", u.middleName); put("familyName", u.familyName); put("status", u.status); put("roleNames", u.roleNames)
    if !u.tenants.isEmpty {
        d["tenants"] = u.tenants.map { t -> [String: Any] in
            var o: [String: Any] = ["tenantId": t.tenantId, "roleNames": t.roleNames]
            if let name = t.tenantName { o["tenantName"] = name }
            return o
        }
    }
    if !u.customAttributes.isEmpty {
        d["customAttributes"] = Dictionary(u.customAttributes.map { ($0.key, foundation($0.value)) }, uniquingKeysWith: { a, _ in a })
    }
    if let t = u.createdTime { d["createdTime"] = t }
    put("picture", u.picture)
    flag("test", u.test); flag("totp", u.totp); flag("saml", u.saml); flag("scim", u.scim); flag("oidc", u.oidc)
    flag("webauthn", u.webauthn)
    put("oauthProviders", u.oauthProviders); put("ssoAppIds", u.ssoAppIds); put("hasPassword", u.hasPassword)
    put("hash", u.hash.hash); put("hashType", u.hash.type); put("salt", u.hash.salt); put("iterations", u.hash.iterations)
    put("memory", u.hash.memory); put("threads", u.hash.threads); put("digest", u.hash.digest)
    put("signerKey", u.hash.signerKey); put("saltSeparator", u.hash.saltSeparator)
    if !u.hash.objectFields.isEmpty { d["hashObject"] = u.hash.objectFields.map { [$0.kind, $0.field, $0.value] } }
    if let j = u.joinedFrom { d["joinedFrom"] = "\((j.file as NSString).lastPathComponent):\(j.line)" }
    put("problems", u.problems.map(\.code))
    return d
}

func projection(_ t: DescopeTenant) -> [String: Any] {
    var d: [String: Any] = ["id": t.id]
    if let name = t.name { d["name"] = name }
    if !t.selfProvisioningDomains.isEmpty { d["selfProvisioningDomains"] = t.selfProvisioningDomains }
    if !t.domains.isEmpty { d["domains"] = t.domains }
    if !t.customAttributes.isEmpty {
        d["customAttributes"] = Dictionary(t.customAttributes.map { ($0.key, foundation($0.value)) }, uniquingKeysWith: { a, _ in a })
    }
    if t.disabled { d["disabled"] = true }
    return d
}

func foundation(_ v: JSONValue) -> Any {
    switch v {
    case .null: return NSNull()
    case .bool(let b): return b
    case .number(let n): return n.contains(where: { ".eE".contains($0) }) ? (Double(n) ?? .nan) as Any : (Int64(n) ?? 0) as Any
    case .string(let s): return s
    case .array(let a): return a.map(foundation)
    case .object(let o): return Dictionary(o.map { ($0.0, foundation($0.1)) }, uniquingKeysWith: { a, _ in a })
    }
}

/// Canonical JSON text (sorted keys) so dictionaries compare exactly and failures print readably.
func canonical(_ object: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else {
        return "<not JSON>"
    }
    return String(decoding: data, as: UTF8.self)
}

@Suite struct SampleExportTests {
    @Test func everySampleHasAnExpectedFile() {
        #expect(SampleExports.expectedFiles.count >= 15)
    }

    @Test(arguments: SampleExports.expectedFiles)
    func sampleGivesExactlyItsExpectedRecords(_ expectedName: String) throws {
        let specData = try Data(contentsOf: URL(fileURLWithPath: SampleExports.directory + "/" + expectedName))
        let spec = try #require(try JSONSerialization.jsonObject(with: specData) as? [String: Any])
        let inputNames = SampleExports.inputs(for: expectedName, spec)
        try #require(!inputNames.isEmpty, "no input for \(expectedName)")
        let paths = inputNames.map { SampleExports.directory + "/" + $0 }
        var options = ExportOptions()
        if let o = spec["options"] as? [String: Any], let max = o["maxRecordBytes"] as? Int { options.maxRecordBytes = max }

        if let errorCode = spec["error"] as? String {
            #expect(throws: ExportError.self) { _ = try UserExport(inputs: paths, options: options) }
            do { _ = try UserExport(inputs: paths, options: options) } catch {
                if errorCode == "no_header" { #expect({ if case .noHeader = error { true } else { false } }()) }
            }
            return
        }

        // Actual records as (file, line, kind, payload, message).
        var actual: [(file: String, line: Int, kind: String, body: String, message: String)] = []
        if (spec["kind"] as? String) == "tenants" {
            for result in try readTenants(path: paths[0], options: options) {
                switch result {
                case .success(let t): actual.append((inputNames[0], t.source.line, "tenant", canonical(projection(t)), ""))
                case .failure(let p): actual.append((inputNames[0], p.location.line, p.code, "", p.message))
                }
            }
        } else {
            let export = try UserExport(inputs: paths, options: options)
            for item in export {
                switch item {
                case .user(let u):
                    actual.append(((u.source.file as NSString).lastPathComponent, u.source.line, "user", canonical(projection(u)), ""))
                case .problem(let p):
                    actual.append(((p.location.file as NSString).lastPathComponent, p.location.line, p.code, "", p.message))
                }
            }
            if let report = spec["report"] as? [String: Any] { check(report, against: export.report) }
        }

        let expected = try #require(spec["items"] as? [[String: Any]])
        #expect(actual.count == expected.count, "\(expectedName): \(actual.count) records, expected \(expected.count)")
        for (i, (want, got)) in zip(expected, actual).enumerated() {
            let file = want["file"] as? String ?? inputNames[0]
            #expect(got.file == file && got.line == want["line"] as? Int, "\(expectedName) #\(i + 1): at \(got.file):\(got.line)")
            if let user = want["user"] ?? want["tenant"] {
                #expect(got.kind == (want["user"] != nil ? "user" : "tenant"), "\(expectedName) #\(i + 1): got \(got.kind) \(got.message)")
                #expect(got.body == canonical(user), "\(expectedName) #\(i + 1)")
            } else {
                #expect(got.kind == want["problem"] as? String, "\(expectedName) #\(i + 1): got \(got.kind) \(got.body)")
                if let fragment = want["message_contains"] as? String {
                    #expect(got.message.contains(fragment), "\(expectedName) #\(i + 1): message '\(got.message)'")
                }
            }
        }
    }

    func check(_ want: [String: Any], against report: ExportReport) {
        let counts: [String: Int] = [
            "joinedByUserId": report.joinedByUserId, "joinedByEmail": report.joinedByEmail,
            "joinedByLoginId": report.joinedByLoginId, "onlyInCSV": report.onlyInCSV,
            "onlyInSearchUsers": report.onlyInSearchUsers, "users": report.users, "problems": report.problems,
        ]
        for (key, value) in want {
            if let n = value as? Int, key != "unknownColumns" {
                #expect(counts[key] == n, "report.\(key)")
            }
        }
        if let unknown = want["unknownColumns"] as? [String] {
            #expect(report.inputs.first?.unknownColumns == unknown)
        }
        if let custom = want["customAttributeColumns"] as? [String] {
            #expect(report.inputs.first?.customAttributeColumns == custom)
        }
    }
}
