// hashport-bench [--json] [SUITE...]: runs the benchmark suites (all when none is named) and prints one table;
// with --json, one JSON object per row for Benchmarks/compare.py.

let arguments = CommandLine.arguments.dropFirst()
let selected = Set(arguments.filter { !$0.hasPrefix("--") })
var table = BenchTable(json: arguments.contains("--json"))

/// Every suite: (name, body). Add a suite here and in its own file.
let suites: [(name: String, run: (inout BenchTable) -> Void)] = [
    ("verify", VerifyBenchmarks.run),
]

for suite in suites where selected.isEmpty || selected.contains(suite.name) {
    suite.run(&table)
}
table.finish()
