import Configuration
import Foundation
import Server
import SystemPackage

/// Everything `sohoa serve` is told, read in one place: flags, then the environment (`SOHOA_…`), then the
/// configuration file (YAML: `--config`, `$SOHOA_CONFIG`, else `/etc/sohoa/sohoa.yaml` when it exists), then the
/// defaults. A key is the flag's name in camelCase (`--kiosk-idle` → `kioskIdle`); its variable is `SOHOA_` and the
/// key in upper snake case (`SOHOA_KIOSK_IDLE`). Lists in a variable are comma-separated.
struct ServeSettings: Sendable, Equatable {
    var data: String?
    var host = "127.0.0.1"
    var port = 8080
    var tlsCert: String?
    var tlsKey: String?
    var scanners: [String] = []
    var scanOptions: [String] = []
    var watch: String?
    var caseSystem: String?
    var kioskIdle: Double = 120
    var scannerWatchdog: Double = 45
    var workers: Int?
    /// Read from the environment or the file only (a flag would show in `ps`).
    var metricsToken: String?
    /// The file read, if any (for the start-up banner).
    var file: String?

    static let defaultFile = "/etc/sohoa/sohoa.yaml"

    /// Resolves the settings. `flags` holds only what was given on the command line.
    static func resolve(flags: [String: ConfigContent], configFile: String?,
                        environment: [String: String]) async throws -> ServeSettings {
        let explicit = configFile ?? environment["SOHOA_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? (FileManager.default.fileExists(atPath: defaultFile) ? defaultFile : nil)
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map {
                (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
            })),
            EnvironmentVariablesProvider(environmentVariables: environment,
                                         secretsSpecifier: .specific(["SOHOA_METRICS_TOKEN"])).prefixKeys(with: "sohoa"),
        ]
        if let path {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw SettingsError("cannot read the configuration file \(path): check the path and that the station's "
                                    + "user may read it")
            }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw SettingsError("the configuration file \(path) is not valid YAML: \(error)")
            }
        }
        let config = ConfigReader(providers: providers)
        var s = ServeSettings()
        s.file = path
        s.data = config.string(forKey: "data")
        s.host = config.string(forKey: "host", default: s.host)
        s.port = try number(config, "port", s.port)
        s.tlsCert = config.string(forKey: "tlsCert")
        s.tlsKey = config.string(forKey: "tlsKey")
        s.scanners = config.stringArray(forKey: "scanners", default: [])
        s.scanOptions = config.stringArray(forKey: "scanOptions", default: [])
        s.watch = config.string(forKey: "watch")
        s.caseSystem = config.string(forKey: "caseSystem")
        s.kioskIdle = try number(config, "kioskIdle", s.kioskIdle)
        s.scannerWatchdog = try number(config, "scannerWatchdog", s.scannerWatchdog)
        s.workers = config.int(forKey: "workers")
        s.metricsToken = config.string(forKey: "metricsToken", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        try s.validate()
        return s
    }

    /// A number that is present but not a number is an error, not the default.
    private static func number<T: ConfigNumber>(_ config: ConfigReader, _ key: String, _ fallback: T) throws -> T {
        if let value = T.read(config, key) { return value }
        if let text = config.string(forKey: ConfigKey(key)) {
            throw SettingsError("\(key) is '\(text)', not a number: fix the flag, SOHOA_ variable or configuration file")
        }
        return fallback
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw SettingsError("port must be 0…65535 (it is \(port))") }
        guard kioskIdle > 0, scannerWatchdog > 0 else { throw SettingsError("kioskIdle and scannerWatchdog are seconds, above 0") }
        switch (tlsCert, tlsKey) {
        case (nil, nil): break
        case (.some, .some): break
        default: throw SettingsError("give both --tls-cert and --tls-key (tlsCert and tlsKey in the configuration file)")
        }
        if tlsCert == nil, !StationTLS.isLoopback(host) {
            // Off loopback the session cookie must be Secure, and a browser keeps no Secure cookie from plain HTTP:
            // nobody could sign in. Refuse to start rather than serve a station nobody can use.
            throw SettingsError("""
                refusing to serve plain HTTP on \(host): browsers on the centre's PCs would keep no session cookie, \
                so nobody could sign in. Make a certificate with `sohoa tls init --host \(host)` and pass the \
                --tls-cert and --tls-key it prints (or tlsCert and tlsKey in the configuration file), or listen on \
                127.0.0.1 only.
                """)
        }
    }

    var scheme: String { tlsCert == nil ? "http" : "https" }
}

/// A setting that cannot work: what is wrong and how to fix it.
struct SettingsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

protocol ConfigNumber {
    static func read(_ config: ConfigReader, _ key: String) -> Self?
}

extension Int: ConfigNumber {
    static func read(_ config: ConfigReader, _ key: String) -> Int? { config.int(forKey: ConfigKey(key)) }
}

extension Double: ConfigNumber {
    static func read(_ config: ConfigReader, _ key: String) -> Double? {
        config.double(forKey: ConfigKey(key)) ?? config.int(forKey: ConfigKey(key)).map(Double.init)
    }
}
