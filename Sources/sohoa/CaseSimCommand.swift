import ArgumentParser
import CaseSimulator
import Foundation
import Logging
import ServiceLifecycle

struct CaseSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case-sim",
        abstract: "Serve a simulated case system on this machine, with fault injection (tests and demos).",
        discussion: """
            Speaks the API in Sources/Delivery/Resources/case-system.openapi.yaml. Credentials come from \
            SOHOA_CASE_CLIENT_ID and SOHOA_CASE_CLIENT_SECRET (and SOHOA_CASE_API_KEY), the same variables the \
            station reads; without them it makes up a pair and prints it. GET /_sim/stats answers what it \
            received, the duplicates it suppressed and the faults it injected.
            """)

    @Option(name: .long, help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "The port to listen on (0: any free one, printed at start).") var port = 8090
    @Option(name: .long, help: "SQLite file to keep what was received in (default: memory).") var store: String?
    @Option(name: .customLong("error-rate"), help: "Share of submissions answered 500/502/503.") var errorRate = 0.0
    @Option(name: .customLong("drop-rate"), help: "Share of submissions stored, then left without a reply.") var dropRate = 0.0
    @Option(name: .customLong("throttle-rate"), help: "Share of submissions answered 429.") var throttleRate = 0.0
    @Option(name: .customLong("rate-limit"), help: "Submissions per second before answering 429.") var rateLimit: Double?
    @Option(name: .customLong("expire-token-rate"), help: "Share of submissions whose token is refused as expired.")
    var expireTokenRate = 0.0
    @Option(name: .customLong("token-lifetime"), help: "Seconds an access token lasts.") var tokenLifetime = 300.0
    @Option(name: .customLong("latency-ms"), help: "Delay before each answer: N or MIN-MAX milliseconds.") var latency = "0"
    @Option(name: .customLong("retry-after"), help: "Seconds sent in Retry-After with 429 and 503.") var retryAfter = 1
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?

    func validate() throws {
        for (name, rate) in [("error", errorRate), ("drop", dropRate), ("throttle", throttleRate),
                             ("expire-token", expireTokenRate)] where !(0...1).contains(rate) {
            throw ValidationError("--\(name)-rate must be between 0 and 1")
        }
        if errorRate + dropRate + throttleRate > 1 { throw ValidationError("the fault rates add up to more than 1") }
        if latencyRange == nil { throw ValidationError("--latency-ms takes N or MIN-MAX") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    var latencyRange: ClosedRange<Double>? {
        let parts = latency.split(separator: "-").compactMap { Double($0) }
        guard (1...2).contains(parts.count), let lo = parts.first, let hi = parts.last, lo >= 0, hi >= lo else { return nil }
        return (lo / 1000)...(hi / 1000)
    }

    func run() async throws {
        LoggingSystem.bootstrapOnce()
        let env = ProcessInfo.processInfo.environment
        var id = env["SOHOA_CASE_CLIENT_ID"] ?? "", secret = env["SOHOA_CASE_CLIENT_SECRET"] ?? ""
        if id.isEmpty || secret.isEmpty {
            id = "tram-so-hoa"
            secret = UUID().uuidString.lowercased()
            FileHandle.standardOutput.write(Data("""
                No SOHOA_CASE_CLIENT_ID/SECRET set; for this run use:
                  export SOHOA_CASE_CLIENT_ID=\(id) SOHOA_CASE_CLIENT_SECRET=\(secret)

                """.utf8))
        }
        var configuration = SimulatorConfiguration(
            clientId: id, clientSecret: secret, apiKey: env["SOHOA_CASE_API_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            tokenLifetime: tokenLifetime, errorRate: errorRate, dropRate: dropRate, throttleRate: throttleRate,
            rateLimit: rateLimit, expireTokenRate: expireTokenRate, latency: latencyRange ?? 0...0,
            retryAfter: retryAfter, storePath: store)
        configuration.tlsCertificate = tlsCert
        configuration.tlsKey = tlsKey
        var logger = Logger(label: "sohoa.case-sim")
        logger.logLevel = .warning
        let simulator = try CaseSimulator(configuration, logger: logger)
        let scheme = tlsCert == nil ? "http" : "https"
        let app = try simulator.application(host: host, port: port) { bound in
            FileHandle.standardOutput.write(Data("case-sim: listening on \(scheme)://\(host):\(bound)\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
