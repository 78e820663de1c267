import DescopeExport
import Glibc

/// The Search Users JSON reader on a generated export (HASHPORT_BENCH_JSON_USERS users, default 200,000, ~690 bytes
/// each: login ids, tenants with roles, custom attributes, flags; `{"users":[…],"total":N}`). Each reading is a fresh
/// `hashport-bench --read-json` process (the file in the page cache), so its CPU time (user + system, start-up
/// included) and peak RSS are the kernel's own numbers. Rows: the simdjson reader against issue 11's 400 MB/s, at
/// 200k and 5x the users; the same reader against the JSONParser path it replaced (same binary, `simdjson: false`);
/// peak RSS from 200k to 5x (flat: one window). compare.py adds Python's json.load of the same file
/// (HASHPORT_BENCH_KEEP_JSON keeps it).
enum SearchUsersJSONBenchmark {
    static func run(_ table: inout BenchTable) {
        let users = Int(getenv("HASHPORT_BENCH_JSON_USERS").map { String(cString: $0) } ?? "") ?? 200_000
        let keep = getenv("HASHPORT_BENCH_KEEP_JSON").map { String(cString: $0) }
        let path = keep ?? "/tmp/hashport-bench-search-users-\(getpid()).json"
        guard let bytes = generate(users: users, path: path) else { print("json: cannot write \(path)"); return }
        defer { if keep == nil { unlink(path) } }
        let megabytes = Double(bytes) / 1e6

        guard let fast = child(reading: path, users: users, simdjson: true, rounds: 7) else { print("json: the reader failed"); return }
        table.add(BenchRow(suite: "json", name: "simdjson reader \(users / 1000)k users, \(Int(megabytes)) MB: \(Int(megabytes / fast.cpu)) MB/s",
                           ours: fast.cpu, reference: megabytes / 400, referenceName: "400 MB/s of CPU (issue 11)",
                           target: 1.0, unit: "ms/file"))
        if table.wants("JSONParser"), let slow = child(reading: path, users: users, simdjson: false, rounds: 2) {
            table.add(BenchRow(suite: "json", name: "vs JSONParser path: \(Int(megabytes / slow.cpu)) MB/s",
                               ours: fast.cpu, reference: slow.cpu, referenceName: "the same reader, simdjson: false (before)",
                               target: 0.25, unit: "ms/file"))
        }
        if table.wants("RSS") {
            let largePath = path + ".large"
            defer { unlink(largePath) }
            guard let largeBytes = generate(users: users * 5, path: largePath),
                  let large = child(reading: largePath, users: users * 5, simdjson: true, rounds: 3) else { return }
            let largeMegabytes = Double(largeBytes) / 1e6
            table.add(BenchRow(suite: "json", name: "simdjson reader \(users * 5 / 1000)k users, \(Int(largeMegabytes)) MB: \(Int(largeMegabytes / large.cpu)) MB/s",
                               ours: large.cpu, reference: largeMegabytes / 400, referenceName: "400 MB/s of CPU (issue 11)",
                               target: 1.0, unit: "ms/file"))
            table.add(BenchRow(suite: "json", name: "peak RSS \(users / 1000)k → \(users * 5 / 1000)k users: \(fast.rss) → \(large.rss) MiB",
                               // The table prints seconds × 1000: MiB / 1000 shows as MiB.
                               ours: Double(large.rss) / 1000, reference: Double(fast.rss) / 1000,
                               referenceName: "peak RSS at \(users / 1000)k users (flat: ≤ 1.25)", target: 1.25, unit: "MiB"))
        }
    }

    /// The least CPU seconds (user + system) and the largest peak RSS (MiB) of `rounds` fresh reader processes, each
    /// of which must read all `users`.
    static func child(reading path: String, users: Int, simdjson: Bool, rounds: Int) -> (cpu: Double, rss: Int)? {
        var cpu = Double.infinity, rss = 0
        for _ in 0..<rounds {
            var pid: pid_t = 0
            let argv = [CommandLine.arguments[0], "--read-json", path, simdjson ? "simdjson" : "jsonparser", String(users)]
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { for p in cArgs { free(p) } }
            guard posix_spawn(&pid, argv[0], nil, nil, &cArgs, environ) == 0 else { return nil }
            var status: Int32 = 0
            var usage = rusage()
            guard wait4(pid, &status, 0, &usage) == pid, status == 0 else { return nil }
            let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            cpu = min(cpu, seconds(usage.ru_utime) + seconds(usage.ru_stime))
            rss = max(rss, usage.ru_maxrss / 1024)
        }
        return (cpu, rss)
    }

    /// The child of `child(reading:)`: reads the file once and exits (status 1 unless it read every user).
    static func readOnly(_ path: String, simdjson: Bool, users: Int) -> Never {
        exit(read(path, simdjson: simdjson) == users ? 0 : 1)
    }

    /// Reads every user, touching the fields a mapping would; returns the users read.
    static func read(_ path: String, simdjson: Bool) -> Int {
        var users = 0, touched = 0
        if simdjson {
            guard let reader = try? SearchUsersViewReader(path: path) else { return 0 }
            while let item = reader.next() {
                guard case .user(let u) = item else { continue }
                users += 1
                touched &+= u.userId.count &+ u.email.count &+ u.loginIds.count &+ u.tenants.count &+ u.customAttributes.count
            }
        } else {
            guard let reader = try? SearchUsersReader(path: path, simdjson: false) else { return 0 }
            while let item = reader.next() {
                guard case .user(let u) = item else { continue }
                users += 1
                touched &+= (u.userId?.utf8.count ?? 0) &+ u.loginIds.count &+ u.tenants.count &+ u.customAttributes.count
            }
        }
        if touched == 42 { print("") }   // keeps the reads
        return users
    }

    /// The same users for the same count, every time. Returns the bytes written.
    static func generate(users: Int, path: String) -> Int? {
        guard let file = fopen(path, "w") else { return nil }
        defer { fclose(file) }
        var total = 0
        func put(_ s: String) { if fputs(s, file) >= 0 { total += s.utf8.count } }
        put("{\"users\":[\n")
        for i in 0..<users {
            put(user(i) + (i + 1 < users ? ",\n" : "\n"))
        }
        put("],\"total\":\(users)}\n")
        return total
    }

    static func user(_ i: Int) -> String {
        let id = String(1_000_000_000 + i)
        let tenant = "T2IMjmRfYTQHlbaastz3im\(10_000 + i % 1000)"
        var tenants = #"{"tenantId":"\#(tenant)","tenantName":"Tenant \#(i % 1000)","roleNames":["admin","billing"]}"#
        if i % 3 == 0 {
            tenants += #",{"tenantId":"T2IMjmRfYTQHlbaastz3im\#(20_000 + i % 777)","tenantName":"Partner","roleNames":["viewer"]}"#
        }
        let given = i % 10 == 0 ? "Ren\\u00e9" : "Given\(i % 977)"
        return #"{"userId":"U2iOCFIwsdgeGvusdf\#(id)","loginIds":["user\#(i)@example.com"],"email":"user\#(i)@example.com","#
            + #""verifiedEmail":true,"phone":"+1555\#(id.suffix(7))","verifiedPhone":\#(i % 4 == 0),"name":"\#(given) Family\#(i % 1013)","#
            + #""givenName":"\#(given)","familyName":"Family\#(i % 1013)","status":"\#(i % 50 == 0 ? "disabled" : "enabled")","#
            + #""roleNames":["Tenant Admin"],"userTenants":[\#(tenants)],"#
            + #""customAttributes":{"plan":"\#(["free", "pro", "enterprise"][i % 3])","seats":\#(i % 500),"beta":\#(i % 2 == 0)},"#
            + #""createdTime":\#(1_600_000_000 + i),"test":false,"#
            + #""TOTP":\#(i % 5 == 0),"SAML":false,"SCIM":false,"OIDC":false,"OAuth":{"google":\#(i % 7 == 0)},"#
            + #""webauthn":false,"password":true,"ssoAppIds":[],"editable":true}"#
    }
}
