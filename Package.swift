// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "closeloop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "closeloop", targets: ["closeloop"]),
        .library(name: "CloseloopCore", targets: ["CloseloopCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Child processes (sendmail, pg_dump): Foundation's Process.run on Linux reads past a buffer while it lists
        // /proc/self/fd and crashed the test suite (swift-corelibs-foundation PR 5472, not in Swift 6.3.1).
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // The domain: pure Swift + Foundation value types, no I/O, no clock reads.
        .target(name: "CloseloopCore", swiftSettings: swiftSettings),
        // The SQLite C functions the store calls directly: those of the SQLite that sqlite-nio builds in (the store
        // depends on both, so they link together).
        .target(name: "CSQLiteLink"),
        // The store protocol and its one SQL implementation over SQLKit, for SQLite and PostgreSQL.
        .target(
            name: "CloseloopStore",
            dependencies: [
                "CloseloopCore",
                "CSQLiteLink",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Types and server protocol generated from openapi.yaml, the API's source of truth.
        .target(
            name: "CloseloopAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            // The generated code's unused `public import`s warn; the code is not ours to edit, our own targets
            // keep every warning.
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-suppress-warnings"])],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // The application services: every rule the API, the pages and the CLI share, and the only code that holds the
        // store. Never depends on Hummingbird.
        .target(
            name: "CloseloopApp",
            dependencies: [
                "CloseloopCore",
                "CloseloopStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Hummingbird application: API handlers, web pages, auth, middleware, background services.
        .target(
            name: "CloseloopServer",
            dependencies: [
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CloseloopCore",
                "CloseloopStore",
                "CloseloopApp",
                "CloseloopAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Web/Templates"), .copy("Web/Strings"), .copy("Web/Static")],
            swiftSettings: swiftSettings
        ),
        // The thin executable: one ArgumentParser command per file, each a call into the libraries.
        .executableTarget(
            name: "closeloop",
            dependencies: [
                "CloseloopCore",
                "CloseloopStore",
                "CloseloopApp",
                "CloseloopServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmark suite (Benchmarks/README.md): data generation, bulk load, load generation, peer comparison.
        .executableTarget(
            name: "closeloop-bench",
            dependencies: [
                "CloseloopCore",
                "CloseloopStore",
                "CloseloopApp",
                "CloseloopServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/CloseloopBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CloseloopCoreTests", dependencies: ["CloseloopCore"], swiftSettings: swiftSettings),
        // Scratch databases (SQLite file or PostgreSQL database per test) shared by the store and server suites.
        .target(
            name: "CloseloopTestSupport",
            dependencies: ["CloseloopStore", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/CloseloopTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloseloopStoreTests",
            dependencies: [
                "CloseloopCore", "CloseloopStore", "CloseloopTestSupport", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloseloopServerTests",
            dependencies: [
                "CloseloopCore",
                "CloseloopStore",
                "CloseloopApp",
                "CloseloopServer",
                "CloseloopTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
