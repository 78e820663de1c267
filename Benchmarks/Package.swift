// swift-tools-version: 6.0
import PackageDescription

// The benchmarks live in their own package so the main build stays lean; they use the root package by path.
let package = Package(
    name: "hashport-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "hashport", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "hashport-bench",
            dependencies: [
                // Also makes the root's C modules (COpenSSL, CArgon2, CXCrypt) importable for the direct calls.
                .product(name: "PasswordHashes", package: "hashport"),
                .product(name: "DescopeExport", package: "hashport"),
            ]),
    ]
)
