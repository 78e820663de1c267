// swift-tools-version: 6.0
import PackageDescription

// HASHPORT_CORE_ONLY=1 declares only the dependency-free core (C modules, PasswordHashes,
// DescopeExport and their tests) so work on them builds in seconds instead of minutes. CI never sets it.
let coreOnly = Context.environment["HASHPORT_CORE_ONLY"] == "1"

// The reading path's modules call each other per field and per row: cross-module optimisation lets those calls inline.
let readingPath: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "hashport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hashport", targets: ["hashport"]),
        .library(name: "PasswordHashes", targets: ["PasswordHashes"]),
        .library(name: "DescopeExport", targets: ["DescopeExport"]),
        .library(name: "WorkOS", targets: ["WorkOS"]),
        .library(name: "Mapping", targets: ["Mapping"]),
        .library(name: "Preflight", targets: ["Preflight"]),
        .library(name: "Import", targets: ["Import"]),
        .library(name: "WorkOSEmulator", targets: ["WorkOSEmulator"]),
        .library(name: "DescopeAPI", targets: ["DescopeAPI"]),
        .library(name: "DescopeEmulator", targets: ["DescopeEmulator"]),
        .library(name: "HTTPRetry", targets: ["HTTPRetry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Thin system-library modules; only PasswordHashes imports them.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2",
                       providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CXCrypt", pkgConfig: "libxcrypt",
                       providers: [.apt(["libcrypt-dev"])]),
        // The JSON fast path of DescopeExport: a structural scan and simdjson On-Demand (Debian's libsimdjson-dev)
        // behind a small C API. Optimised in debug too: simdjson's inline code at -O0 is ~20x slower.
        .target(name: "CSimdJSON",
                cxxSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("simdjson")]),

        .target(name: "PasswordHashes",
                dependencies: ["COpenSSL", "CArgon2", "CXCrypt"],
                // Optimised in debug too: the PBKDF2/known-answer tests run ~30× slower at -Onone. Release keeps
                // bounds, overflow and exclusivity checks: this module parses untrusted input.
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))] + readingPath),
        .target(name: "DescopeExport", dependencies: ["CSimdJSON"], swiftSettings: readingPath),
        // Backoff with jitter and Retry-After: the one retry timing of both API clients.
        .target(name: "HTTPRetry"),
        .target(name: "WorkOS", dependencies: [
            "HTTPRetry",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Descope user → WorkOS request: email, names, metadata, memberships, the hash, row outcomes and problems
        // (each rule once), and the duplicate-email check they need.
        .target(name: "Mapping", dependencies: ["PasswordHashes", "DescopeExport"], swiftSettings: readingPath),
        // inspect and convert: one reading and mapping path for every layout; reports, the converted files, canaries.
        .target(name: "Preflight", dependencies: ["PasswordHashes", "DescopeExport", "Mapping"], swiftSettings: readingPath),
        // import, reconcile, undo: the pipeline, the journal (SQLite through GRDB), reports, the reset list.
        .target(name: "Import", dependencies: [
            "PasswordHashes", "DescopeExport", "Mapping", "Preflight", "WorkOS",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "WorkOSEmulator", dependencies: [
            "PasswordHashes", "WorkOS",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Descope's Management API (`pull`): the client, paging, resumable output.
        .target(name: "DescopeAPI", dependencies: [
            "HTTPRetry",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // A local Descope (search users, tenants, roles) to pull from.
        .target(name: "DescopeEmulator", dependencies: [
            "DescopeAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .executableTarget(name: "hashport", dependencies: [
            "PasswordHashes", "DescopeExport", "WorkOS", "Mapping", "Preflight", "Import", "WorkOSEmulator", "DescopeAPI",
            "DescopeEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "PasswordHashesTests", dependencies: ["PasswordHashes"]),
        .testTarget(name: "DescopeExportTests", dependencies: ["DescopeExport", "CSimdJSON"]),
        .testTarget(name: "HTTPRetryTests", dependencies: ["HTTPRetry"]),
        .testTarget(name: "WorkOSTests", dependencies: ["WorkOS"]),
        .testTarget(name: "MappingTests", dependencies: ["Mapping", "DescopeExport", "PasswordHashes"]),
        .testTarget(name: "PreflightTests", dependencies: ["Preflight", "Mapping", "DescopeExport", "PasswordHashes"]),
        .testTarget(name: "ImportTests", dependencies: ["Import", "Preflight", "Mapping", "WorkOSEmulator"]),
        .testTarget(name: "WorkOSEmulatorTests", dependencies: ["WorkOSEmulator", "WorkOS"]),
        .testTarget(name: "DescopeAPITests", dependencies: ["DescopeAPI"]),
        .testTarget(name: "DescopeEmulatorTests", dependencies: ["DescopeEmulator", "DescopeAPI"]),
        .testTarget(name: "hashportTests", dependencies: ["hashport", "Import", "DescopeEmulator", "DescopeAPI"]),
    ],
    cxxLanguageStandard: .cxx17
)

if coreOnly {
    let core: Set<String> = ["COpenSSL", "CArgon2", "CXCrypt", "CSimdJSON", "PasswordHashes", "DescopeExport",
                             "PasswordHashesTests", "DescopeExportTests"]
    package.targets = package.targets.filter { core.contains($0.name) }
    package.products = package.products.filter { core.contains($0.name) }
    package.dependencies = []
}
