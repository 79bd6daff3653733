// swift-tools-version:6.1
import PackageDescription

/// Strict concurrency comes with the Swift 6 language mode; these make the compiler stricter still.
let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Boxoffice runs on Linux: the store calls Linux's file and scheduler interfaces (O_TMPFILE,
// syncfs, SCHED_IDLE) through CLinux and Glibc. No other platform is declared or built.
let package = Package(
    name: "boxoffice",
    products: [
        .executable(name: "boxoffice", targets: ["boxoffice"]),
        .executable(name: "boxoffice-bench", targets: ["boxoffice-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Default traits off: Boxoffice reads its configuration itself, not through swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure domain: documents, hybrid logical clock, version order, merge rules. No I/O.
        .target(name: "BoxofficeCore", swiftSettings: strictness),
        // The Linux calls Glibc's module map leaves out (they need _GNU_SOURCE), as CCurl wraps libcurl.
        .target(name: "CLinux"),
        // The durable journal, the readable document files, the in-memory index and the changes feed.
        .target(
            name: "BoxofficeStore",
            dependencies: ["BoxofficeCore", "CLinux", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictness
        ),
        // The store protocol on PostgreSQL, for a hub served by several processes (issue 17).
        .target(
            name: "BoxofficePostgres",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // The venue: every domain service (users, events, seats, tickets, holds, check-in,
        // notifications, conflicts) and the venue rules of sync, over the store. No HTTP.
        .target(
            name: "BoxofficeVenue",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "BoxofficeSync",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // The HTTP face of a node: routes, auth middleware, errors as problem+json, web pages, TLS.
        .target(
            name: "BoxofficeServer",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "BoxofficeSync", "BoxofficeVenue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/templates")],
            swiftSettings: strictness
        ),
        // Peer sync: the wire format, the sync engine, and the libcurl client (the only user of CCurl).
        .target(
            name: "BoxofficeSync",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // libcurl, reached only through the sync client's wrapper.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .executableTarget(
            name: "boxoffice",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "BoxofficeServer", "BoxofficeSync", "BoxofficeVenue", "BoxofficePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .executableTarget(
            name: "boxoffice-bench",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "BoxofficeSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // Shared by the test targets: temporary directories, seeded randomness, child processes.
        .target(name: "BoxofficeTestSupport", path: "Tests/BoxofficeTestSupport", swiftSettings: strictness),
        .testTarget(name: "BoxofficeCoreTests", dependencies: ["BoxofficeCore", "BoxofficeTestSupport"], swiftSettings: strictness),
        .testTarget(
            name: "BoxofficeStoreTests",
            dependencies: ["BoxofficeCore", "BoxofficeStore", "BoxofficePostgres", "BoxofficeTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "BoxofficeServerTests",
            dependencies: [
                "BoxofficeCore", "BoxofficeStore", "BoxofficeServer", "BoxofficeSync", "BoxofficeVenue", "BoxofficePostgres",
                "BoxofficeTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictness
        ),
        // The seeded seat simulation runs a thousand schedules of up to 500 nodes in each `make
        // test`: optimized even in a debug build, or it would take a quarter of an hour.
        .testTarget(
            name: "BoxofficeSimulationTests",
            dependencies: ["BoxofficeCore", "BoxofficeSync", "BoxofficeVenue", "BoxofficeTestSupport", "CLinux"],
            swiftSettings: strictness + [.unsafeFlags(["-O"])]
        ),
        // Drives real `boxoffice` and `boxoffice-bench` processes; depending on them makes `swift test` build them.
        .testTarget(
            name: "BoxofficeCLITests",
            dependencies: [
                "boxoffice", "boxoffice-bench", "BoxofficeCore", "BoxofficeStore", "BoxofficeSync", "BoxofficeTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictness
        ),
    ]
)
