// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sohoa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sohoa", targets: ["sohoa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The station's own CA and server certificate (`sohoa tls init`): X.509 and P-256 keys, no shelling out.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // One configuration file (YAML) read with the environment and flags: flags > env > file > defaults.
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        // C libraries: one system-library target each, wrapped by exactly one Swift module.
        .systemLibrary(
            name: "CLeptonica", pkgConfig: "lept",
            providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(
            name: "CTesseract", pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "tesseract-ocr-vie", "tesseract-ocr-eng", "tesseract-ocr-osd"])]),
        .systemLibrary(
            name: "CTIFF", pkgConfig: "libtiff-4",
            providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng16",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CSane", pkgConfig: "sane-backends",
            providers: [.apt(["libsane-dev", "sane-utils"])]),

        // Wrappers and domain.
        .target(name: "Imaging", dependencies: ["CLeptonica", "CTIFF", "CPNG"]),
        .target(name: "OCR", dependencies: ["CTesseract", "Imaging"]),
        .target(name: "Forms", resources: [.copy("Resources")]),
        .target(name: "Scanning", dependencies: ["CSane", "DeviceProfiles"]),
        // The scanner profiles: data files in the top-level Devices/ folder, shipped as this target's resources.
        .target(name: "DeviceProfiles", path: "Devices", exclude: ["README.md"], resources: [.copy("profiles")]),
        // Store: SQLite (GRDB), the page files, the audit's hashes, HMACs and sealing (swift-crypto), and the one
        // executor for blocking work (NIOPosix's thread pool).
        .target(
            name: "Store",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Imaging", "OCR", "Forms", "Store", "Scanning",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Delivery: dossier packages, the outbox, the case-system client and its retry policy.
        .target(
            name: "Delivery",
            dependencies: [
                "Store", "OCR", "Imaging",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]),
        // Multipart bodies of HTTP requests (uploads of page files and dossiers).
        .target(name: "HTTPForms"),
        // A stand-in for the province's case system, speaking the same HTTP API, with fault injection.
        .target(
            name: "CaseSimulator",
            dependencies: [
                "Store", "HTTPForms",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // yescrypt password hashing from libxcrypt (Debian's libcrypt); QR codes for kiosk receipts.
        .systemLibrary(name: "CCrypt"),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // The application layer: every use case of the desk, review, kiosk and CLI, each one store transaction
        // with its audit entry; the batch jobs; accounts (yescrypt through libxcrypt).
        .target(
            name: "Station",
            dependencies: [
                "Pipeline", "Delivery", "Store", "Forms", "Scanning", "Imaging", "CCrypt",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]),
        // The station's HTTP service: JSON API, desk/review/admin pages, sessions, CSRF.
        .target(
            name: "Server",
            dependencies: [
                "Station", "Pipeline", "Delivery", "Store", "Forms", "Scanning", "Imaging", "OCR", "HTTPForms", "CQRencode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]),
        .executableTarget(
            name: "sohoa",
            dependencies: [
                "Station", "Pipeline", "Scanning", "Imaging", "Delivery", "CaseSimulator", "Server", "Store",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]),

        // Helpers the test targets share (running the built CLI).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FormsTests", dependencies: ["Forms"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "OCR"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "ScanningTests", dependencies: ["Scanning"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "CaseSimulator", "Pipeline", "Store", "Imaging", "OCR", "sohoa", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Station", "Pipeline", "Store", "Imaging", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Scanning", "Imaging", "Store", "sohoa", "TestSupport"]),
    ]
)
