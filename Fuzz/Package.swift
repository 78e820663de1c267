// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets, one per entry point that takes outside bytes. Built and run by `make fuzz` (the root Makefile):
//   swift build --package-path Fuzz --sanitize=fuzzer --sanitize=address \
//     -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
// (SwiftPM's `--sanitize=fuzzer` links libFuzzer's main; the coverage flags instrument every module, the root's too.)
// Debug builds: `@testable import` reaches the readers' internal switches, and bounds and overflow checks stay on.
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "hashport-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "hashport", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .target(name: "HashOracles", dependencies: ["FuzzSupport", .product(name: "PasswordHashes", package: "hashport")]),
        .executableTarget(name: "FuzzCSV", dependencies: [
            "FuzzSupport", .product(name: "DescopeExport", package: "hashport")], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzSearchUsers", dependencies: [
            "FuzzSupport", .product(name: "DescopeExport", package: "hashport")], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzHashText", dependencies: [
            "FuzzSupport", "HashOracles", .product(name: "PasswordHashes", package: "hashport")], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzHashFields", dependencies: [
            "FuzzSupport", "HashOracles", .product(name: "PasswordHashes", package: "hashport")], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzAPIBodies", dependencies: [
            "FuzzSupport",
            .product(name: "WorkOS", package: "hashport"),
            .product(name: "WorkOSEmulator", package: "hashport"),
            .product(name: "DescopeAPI", package: "hashport"),
            .product(name: "HTTPRetry", package: "hashport"),
        ], swiftSettings: fuzzer),
    ]
)
