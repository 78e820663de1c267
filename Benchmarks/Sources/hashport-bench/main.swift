// hashport-bench [--json] [--only TEXT] [SUITE...]: runs the benchmark suites (all when none is named) and prints
// one table; with --json, one JSON object per row for Benchmarks/compare.py; --only keeps rows whose name contains TEXT.

var arguments = Array(CommandLine.arguments.dropFirst())
// The reader process of the json suite: --read-json PATH simdjson|jsonparser USERS.
if arguments.count == 4, arguments[0] == "--read-json" {
    SearchUsersJSONBenchmark.readOnly(arguments[1], simdjson: arguments[2] == "simdjson", users: Int(arguments[3]) ?? -1)
}
var only: String?
if let i = arguments.firstIndex(of: "--only"), i + 1 < arguments.count {
    only = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let selected = Set(arguments.filter { !$0.hasPrefix("--") })
var table = BenchTable(json: arguments.contains("--json"), only: only)

/// Every suite: (name, body). Add a suite here and in its own file.
let suites: [(name: String, run: (inout BenchTable) -> Void)] = [
    ("verify", VerifyBenchmarks.run),
    ("rewrite", RewriteBenchmarks.run),
    ("csv", CSVReaderBenchmark.run),
    ("json", SearchUsersJSONBenchmark.run),
]

for suite in suites where selected.isEmpty || selected.contains(suite.name) {
    suite.run(&table)
}
table.finish()
