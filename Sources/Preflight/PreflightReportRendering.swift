import Mapping
import Foundation

extension PreflightReport {
    /// The human summary `inspect` prints on stdout.
    public func summary() -> String {
        var lines: [String] = []
        func n(_ v: Int) -> String { Self.grouped(v) }
        lines.append("\(n(users)) users in \(inputs.joined(separator: ", "))")
        lines.append("  ready (with password)      \(n(outcomes.ready))")
        lines.append("  ready without password     \(n(outcomes.readyWithoutPassword))")
        lines.append("  rejected                   \(n(outcomes.rejected))")
        if !notes.isEmpty {
            lines.append("")
            lines += notes
        }
        if !byParameters.isEmpty {
            lines.append("")
            lines.append("Password hashes:")
            for (label, count) in byParameters.sorted(by: { ($1.value.total, $0.key) < ($0.value.total, $1.key) }) {
                let refused = count.total - count.importable
                lines.append("  \(label): \(n(count.importable)) importable" + (refused > 0 ? ", \(n(refused)) refused" : ""))
            }
        }
        let shown = sortedProblems
        if !shown.isEmpty {
            lines.append("")
            lines.append("Problems:")
            for p in shown {
                let more = p.count > p.rows.count ? ", …" : ""
                lines.append("  \(p.severity.rawValue) \(p.code): \(n(p.count)) (rows \(p.rows.map(String.init).joined(separator: ", "))\(more))")
                lines.append("      \(p.message)")
            }
        }
        if lostLoginMethods.values.contains(where: { $0 > 0 }) {
            lines.append("")
            lines.append("Login methods that will not carry over as they are:")
            let what: [String: String] = [
                "sms": "sign in with SMS codes (WorkOS has no SMS factor: use email Magic Auth or TOTP)",
                "passkey": "have passkeys (re-enrol through AuthKit)",
                "totp": "have a TOTP authenticator (re-enrol)",
                "sso": "sign in through SSO (repoint the identity provider)",
                "social": "sign in with a social provider (links again by email: nothing to do)",
            ]
            for (_, name) in LoginMethods.all {
                if let c = lostLoginMethods[name], c > 0 { lines.append("  \(n(c)) users \(what[name] ?? name)") }
            }
        }
        if !canaries.isEmpty {
            lines.append("")
            lines.append("Canaries: \(canariesPassed) passed, \(canariesFailed) failed")
            for c in canaries where !c.passed {
                lines.append("  canaries line \(c.line) (\(c.account)): \(c.message)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `--report` JSON: `users`, `outcomes`, `by_family`, `by_parameters`, `problems`, `login_methods_lost`,
    /// `canaries`, `duplicate_email_rows`.
    public func json() -> Data {
        var familyObject: [String: Any] = [:]
        for (family, c) in byFamily { familyObject[family] = ["total": c.total, "importable": c.importable] }
        var parametersObject: [String: Any] = [:]
        for (label, c) in byParameters { parametersObject[label] = ["total": c.total, "importable": c.importable] }
        let object: [String: Any] = [
            "inputs": inputs,
            "notes": notes,
            "users": users,
            "outcomes": ["ready": outcomes.ready, "ready_without_password": outcomes.readyWithoutPassword,
                         "rejected": outcomes.rejected],
            "by_family": familyObject,
            "by_parameters": parametersObject,
            "problems": sortedProblems.map {
                ["code": $0.code, "severity": $0.severity.rawValue, "count": $0.count, "rows": $0.rows,
                 "message": $0.message] as [String: Any]
            },
            "login_methods_lost": lostLoginMethods,
            "duplicate_email_rows": duplicateEmailRows,
            "canaries": [
                "passed": canariesPassed, "failed": canariesFailed,
                "results": canaries.map {
                    ["line": $0.line, "account": $0.account, "row": $0.row.map { $0 as Any } ?? NSNull(),
                     "passed": $0.passed, "message": $0.message] as [String: Any]
                },
            ] as [String: Any],
        ]
        // Keys sorted so reports diff cleanly between runs.
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    }

    /// 9812 → "9,812" (every count hashport prints).
    package static func grouped(_ v: Int) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return v < 0 ? "-" + out : out
    }
}
