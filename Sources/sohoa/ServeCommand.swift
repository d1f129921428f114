import ArgumentParser
import Configuration
import Delivery
import Foundation
import Logging
import NIOSSL
import Pipeline
import Scanning
import Server
import Station
import ServiceLifecycle
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the station: desk and review pages, the JSON API, scans and reads, the hot folder, delivery.",
        discussion: """
            One long-running service: the HTTP server (default http://127.0.0.1:8080; HTTPS with --tls-cert and \
            --tls-key, which any address other than loopback needs), the batch worker (scans and \
            reads), the hot-folder watcher with --watch, and the delivery worker when a case system is configured \
            (--case-system or $SOHOA_CASE_SYSTEM). SIGTERM or Ctrl-C stops taking work, lets the current page \
            reads and uploads finish, and exits; a batch left half-read is read again at the next start. Create \
            the first account with `sohoa users add NAME --role admin`. /healthz and /readyz need no session; \
            /metrics needs an admin session or the bearer token in $SOHOA_METRICS_TOKEN. Settings come from the \
            flags, then SOHOA_* variables, then the YAML file of --config (keys: data, host, port, tlsCert, tlsKey, \
            scanners, scanOptions, watch, caseSystem, kioskIdle, scannerWatchdog, workers, metricsToken; see the \
            README), then the defaults.
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var scanner: ScannerOptions

    @Option(name: .long, help: "A YAML configuration file (default: $SOHOA_CONFIG, else /etc/sohoa/sohoa.yaml if it exists).")
    var config: String?

    @Option(name: .long, help: "The address to listen on (default 127.0.0.1; another address needs --tls-cert/--tls-key).")
    var host: String?
    @Option(name: .long, help: "The port (default 8080; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (`sohoa tls init` makes one).")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("scanner"), help: ArgumentHelp("A SANE device the desk may scan from (repeatable).",
                                                              valueName: "device"))
    var scanners: [String] = []

    @Option(name: .customLong("scan-option"), help: ArgumentHelp("A backend option passed to every scan (repeatable).",
                                                                  valueName: "name=value"))
    var scanOptions: [String] = []

    @Option(name: .long, help: ArgumentHelp("A hot folder to take network scanners' files from.", valueName: "dir"))
    var watch: String?

    @Option(name: .customLong("case-system"), help: "Deliver submitted dossiers here (or $SOHOA_CASE_SYSTEM).")
    var caseSystem: String?

    @Option(name: .customLong("kiosk-idle"), help: "Seconds without a touch before a kiosk screen clears itself (default 120).")
    var kioskIdle: Double?

    @Option(name: .customLong("scanner-watchdog"), help: "Seconds a kiosk scan may go without a page before it is stopped (default 45).")
    var watchdog: Double?

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
        for o in scanOptions where OptionSetting(o) == nil { throw ValidationError("--scan-option takes NAME=VALUE") }
    }

    /// What was given on the command line, under the configuration keys (see `ServeSettings`).
    var flags: [String: ConfigContent] {
        var f: [String: ConfigContent] = [:]
        if let v = station.data { f["data"] = .string(v) }
        if let v = station.reading.workers { f["workers"] = .int(v) }
        if let v = host { f["host"] = .string(v) }
        if let v = port { f["port"] = .int(v) }
        if let v = tlsCert { f["tlsCert"] = .string(v) }
        if let v = tlsKey { f["tlsKey"] = .string(v) }
        if !scanners.isEmpty { f["scanners"] = .stringArray(scanners) }
        if !scanOptions.isEmpty { f["scanOptions"] = .stringArray(scanOptions) }
        if let v = watch { f["watch"] = .string(v) }
        if let v = caseSystem { f["caseSystem"] = .string(v) }
        if let v = kioskIdle { f["kioskIdle"] = .double(v) }
        if let v = watchdog { f["scannerWatchdog"] = .double(v) }
        return f
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let settings: ServeSettings
        do {
            settings = try await ServeSettings.resolve(flags: flags, configFile: config, environment: env)
        } catch let e as SettingsError {
            throw fail(e.description, ExitStatus.usage)
        }
        for o in settings.scanOptions where OptionSetting(o) == nil {
            throw fail("scanOptions takes NAME=VALUE ('\(o)' is not)", ExitStatus.usage)
        }
        var tls: TLSConfiguration?
        if let cert = settings.tlsCert, let key = settings.tlsKey {
            do { tls = try StationTLS.serverConfiguration(certificate: cert, key: key) } catch let e as TLSError {
                throw fail(e.description, ExitStatus.usage)
            }
        }
        var options = station
        options.reading.workers = settings.workers
        var logger = Logger(label: "sohoa.serve")
        logger.logLevel = station.verbose ? .info : .notice
        let (host, kioskIdle) = (settings.host, settings.kioskIdle)

        var access: ScannerAccess?
        if !settings.scanners.isEmpty {
            access = ScannerAccess(runtime: try scanner.runtime(), catalog: try scanner.catalog(), devices: settings.scanners,
                                   options: settings.scanOptions.compactMap(OptionSetting.init))
        }
        let app = try openApp(options, scanners: access, scannerWatchdog: settings.scannerWatchdog,
                              dataDirectory: settings.data.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let server = try StationServer(app: app, configuration: ServerConfiguration(
            host: host, port: settings.port, tls: tls, metricsToken: settings.metricsToken,
            kioskIdle: kioskIdle), logger: logger)
        let scheme = settings.scheme
        let shown = host.contains(":") ? "[\(host)]" : host
        var services: [any Service] = [
            try server.application { bound in
                FileHandle.standardOutput.write(Data("sohoa: serving on \(scheme)://\(shown):\(bound)\n".utf8))
            },
            app.jobs,
            KioskJanitor(station: app.parts, maxAge: max(60, kioskIdle * 3), logger: logger),
        ]
        var client: RESTCaseSystem?
        if let address = settings.caseSystem {
            let options = try CaseSystemOptions.parse(["--case-system", address])
            let made = try options.make(logger: logger)
            client = made
            services.append(app.maintenance.deliveryWorker(
                caseSystem: made, configuration: WorkerOptions().configuration(timeout: options.timeout), logger: logger))
        }
        if let watch = settings.watch {
            services.append(HotFolderService(watcher: try app.batches.hotFolder(URL(fileURLWithPath: watch, isDirectory: true))))
        }
        // A read cut short by the last stop is done again.
        let resumed = try await app.jobs.resumeInterrupted()
        if !resumed.isEmpty { logger.notice("reading again batches a stop cut short", metadata: ["batches": "\(resumed.count)"]) }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await client?.shutdown()
            throw error
        }
        await client?.shutdown()
    }
}

/// The hot-folder watcher as a service of the station.
struct HotFolderService: Service {
    let watcher: HotFolderWatcher

    func run() async throws {
        await cancelWhenGracefulShutdown { await watcher.run() }
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Local accounts: officers, reviewers, admins.",
        subcommands: [Add.self, List.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account. The password is read from $SOHOA_PASSWORD or the first line of standard input.")
        @OptionGroup var station: DataOptions
        @Argument(help: "The login name.") var username: String
        @Option(name: .long, help: "officer, reviewer or admin.") var role: String
        @Option(name: .customLong("display-name"), help: "The name shown in the pages and the audit log.")
        var displayName: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is officer, reviewer or admin") }
            guard Accounts.isValidUsername(username) else {
                throw ValidationError("a login name is letters, digits, '.', '_' or '-' (at most 64)")
            }
            let password = ProcessInfo.processInfo.environment["SOHOA_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            guard password.count >= PasswordHash.minimumLength else {
                throw fail("the password must have at least \(PasswordHash.minimumLength) characters", ExitStatus.usage)
            }
            do {
                let user = try await openApp(station).accounts.createUser(
                    username: username, displayName: displayName, role: role, password: password, by: .commandLine())
                print("Đã tạo tài khoản \(user.username) (\(user.role.rawValue)).")
            } catch let e as StationError where e.code == .conflict {
                throw fail(e.message, ExitStatus.refused)
            } catch {
                throw mapStationError(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (never creates a store).")
        @OptionGroup var store: DataOptions

        func run() async throws {
            let users = try await openStore(store).users()
            if users.isEmpty { print("Chưa có tài khoản nào trong \(store.directory.path). No accounts in \(store.directory.path).") }
            for u in users {
                print("\(u.username)\t\(u.role.rawValue)\t\(u.displayName)\(u.disabledAt == nil ? "" : "\t(disabled)")")
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The append-only audit log: who changed what, when.",
        subcommands: [Verify.self, List.self], defaultSubcommand: List.self)

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain; exit 10 if an entry was altered (never creates a store).")
        @OptionGroup var store: DataOptions

        func run() async throws {
            let result = try await openStore(store).verifyAudit()
            if let broken = result.brokenAt {
                throw fail("the audit log in \(store.directory.path) was altered at entry \(broken) "
                           + "(\(result.entries) checked): keep a copy of the data directory and tell the administrator",
                           ExitStatus.auditAltered)
            }
            print("Nhật ký nguyên vẹn: \(result.entries) mục. The audit chain is intact (\(result.entries) entries).")
            if let anchor = result.anchor { print(anchor.summary(entriesSince: result.entriesSinceAnchor)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest entries (never creates a store).")
        @OptionGroup var store: DataOptions
        @Option(name: .long, help: "At most this many.") var limit = 50

        func run() async throws {
            let entries = try await openStore(store).auditEntries(limit: limit)
            if entries.isEmpty { print("Nhật ký trống trong \(store.directory.path). The audit log in \(store.directory.path) is empty.") }
            for e in entries {
                let values = e.values == .none ? "" : "\t[\(e.values.rawValue)]"  // sealed values are never printed
                print("\(e.seq)\t\(ISO8601DateFormatter().string(from: e.at))\t\(e.actor)\t\(e.action)\t\(e.subject ?? "")\t\(e.detail ?? "")\(values)")
            }
        }
    }
}

struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk", abstract: "Self-service kiosks: register, pair with a one-time code, revoke.",
        subcommands: [Add.self, PairCode.self, Revoke.self, List.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a kiosk and print its one-time pairing code.",
            discussion: """
                Open /kiosk/pair in the kiosk's own browser and type the code (8 characters, valid 15 minutes, one \
                use). A code for a kiosk already registered: `sohoa kiosk pair-code NAME`.
                """)
        @OptionGroup var station: DataOptions
        @Argument(help: "The kiosk's name (letters, digits, '-', '_').") var name: String

        func run() async throws {
            guard Accounts.isValidKioskName(name) else {
                throw ValidationError("a kiosk name is letters, digits, '-' or '_' (at most 40)")
            }
            do {
                let (kiosk, code, expiresAt) = try await openApp(station).accounts.addKiosk(name: name, by: .commandLine())
                printCode(kiosk.name, code, expiresAt)
            } catch {
                throw mapStationError(error)
            }
        }
    }

    struct PairCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pair-code",
            abstract: "Print a fresh one-time pairing code for a registered kiosk (a new or reinstalled kiosk PC).",
            discussion: "Earlier codes stop working; pairing with the new code ends the device paired before.")
        @OptionGroup var station: StationOptions
        @Argument var name: String

        func run() async throws {
            do {
                let (code, expiresAt) = try await openApp(station).accounts.issuePairingCode(kioskName: name, by: .commandLine())
                printCode(name, code, expiresAt)
            } catch {
                throw mapStationError(error)
            }
        }
    }

    /// The code on standard output (for scripts), how to use it on standard error.
    static func printCode(_ name: String, _ code: String, _ expiresAt: Date) {
        let until = LocalTime.string(expiresAt, "HH:mm")
        FileHandle.standardError.write(Data("""
            Mã ghép nối kiosk \(name): mở /kiosk/pair trên kiosk và nhập mã dưới đây (dùng một lần, hết hạn lúc \(until)).
            Pairing code for kiosk \(name): open /kiosk/pair on the kiosk and type it (one use, valid 15 minutes).

            """.utf8))
        print(code)
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a kiosk's token at once.")
        @OptionGroup var station: DataOptions
        @Argument(help: "The kiosk's name.") var name: String

        func run() async throws {
            do {
                try await openApp(station).accounts.revokeKiosk(name: name, by: .commandLine())
            } catch {
                throw mapStationError(error)
            }
            print("Đã thu hồi quyền của kiosk \(name). Revoked.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List kiosks (never creates a store).")
        @OptionGroup var store: DataOptions

        func run() async throws {
            let kiosks = try await openStore(store).kiosks()
            if kiosks.isEmpty { print("Chưa có kiosk nào trong \(store.directory.path). No kiosks in \(store.directory.path).") }
            for k in kiosks {
                print("\(k.name)\t\(k.revokedAt == nil ? "active" : "revoked")\t\(ISO8601DateFormatter().string(from: k.createdAt))")
            }
        }
    }
}
