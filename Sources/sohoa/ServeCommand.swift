import ArgumentParser
import Delivery
import Foundation
import Logging
import Pipeline
import Scanning
import Server
import ServiceLifecycle
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the station: desk and review pages, the JSON API, scans and reads, the hot folder, delivery.",
        discussion: """
            One long-running service: the HTTP server (default 127.0.0.1:8080), the batch worker (scans and \
            reads), the hot-folder watcher with --watch, and the delivery worker when a case system is configured \
            (--case-system or $SOHOA_CASE_SYSTEM). SIGTERM or Ctrl-C stops taking work, lets the current page \
            reads and uploads finish, and exits; a batch left half-read is read again at the next start. Create \
            the first account with `sohoa users add NAME --role admin`. /healthz and /readyz need no session; \
            /metrics needs an admin session or the bearer token in $SOHOA_METRICS_TOKEN.
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var scanner: ScannerOptions

    @Option(name: .long, help: "The address to listen on (0.0.0.0: every interface).") var host = "127.0.0.1"
    @Option(name: .long, help: "The port to listen on (0: any free one, printed at start).") var port = 8080

    @Option(name: .customLong("scanner"), help: ArgumentHelp("A SANE device the desk may scan from (repeatable).",
                                                              valueName: "device"))
    var scanners: [String] = []

    @Option(name: .customLong("scan-option"), help: ArgumentHelp("A backend option passed to every scan (repeatable).",
                                                                  valueName: "name=value"))
    var scanOptions: [String] = []

    @Option(name: .long, help: ArgumentHelp("A hot folder to take network scanners' files from.", valueName: "dir"))
    var watch: String?

    @Option(name: .customLong("case-system"), help: "Deliver submitted dossiers here (default: $SOHOA_CASE_SYSTEM).")
    var caseSystem: String?

    @Option(name: .customLong("kiosk-idle"), help: "Seconds without a touch before a kiosk screen clears itself.")
    var kioskIdle: Double = 120

    @Option(name: .customLong("scanner-watchdog"), help: "Seconds a kiosk scan may go without a page before it is stopped.")
    var watchdog: Double = 45

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
        for o in scanOptions where OptionSetting(o) == nil { throw ValidationError("--scan-option takes NAME=VALUE") }
    }

    func run() async throws {
        let st = try openStation(station)
        var logger = Logger(label: "sohoa.serve")
        logger.logLevel = station.verbose ? .info : .notice
        let env = ProcessInfo.processInfo.environment

        var access: ScannerAccess?
        if !scanners.isEmpty {
            access = ScannerAccess(runtime: try scanner.runtime(), catalog: try scanner.catalog(), devices: scanners,
                                   options: scanOptions.compactMap(OptionSetting.init))
        }
        let jobs = BatchJobs(station: st, scanners: access, logger: logger, watchdog: watchdog)
        let server = StationServer(station: st, configuration: ServerConfiguration(
            host: host, port: port, metricsToken: env["SOHOA_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
            kioskIdle: kioskIdle), jobs: jobs, scanners: access, logger: logger)
        var services: [any Service] = [
            server.application { bound in
                FileHandle.standardOutput.write(Data("sohoa: serving on http://\(host):\(bound)\n".utf8))
            },
            jobs,
            KioskJanitor(station: st, maxAge: max(60, kioskIdle * 3), logger: logger),
        ]
        var client: RESTCaseSystem?
        if let address = caseSystem ?? env["SOHOA_CASE_SYSTEM"] {
            let options = try CaseSystemOptions.parse(["--case-system", address])
            let made = try options.make(logger: logger)
            client = made
            services.append(DeliveryWorker(database: st.database, blobs: st.blobs, caseSystem: made,
                                           configuration: WorkerOptions().configuration(timeout: options.timeout),
                                           logger: logger))
        }
        if let watch {
            services.append(HotFolderService(watcher: try HotFolderWatcher(
                station: st, directory: URL(fileURLWithPath: watch, isDirectory: true), logger: logger)))
        }
        // A read cut short by the last stop is done again.
        let resumed = try jobs.resumeInterrupted()
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
            guard username.count <= 64, username.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                throw ValidationError("a login name is letters, digits, '.', '_' or '-' (at most 64)")
            }
            let password = ProcessInfo.processInfo.environment["SOHOA_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            guard password.count >= PasswordHash.minimumLength else {
                throw fail("the password must have at least \(PasswordHash.minimumLength) characters", ExitStatus.usage)
            }
            let st = try openStation(station)
            do {
                let user = try st.database.createUser(username: username, displayName: displayName ?? username, role: role,
                                                      passwordHash: try PasswordHash.make(password),
                                                      actor: "cli:\(NSUserName())")
                print("Đã tạo tài khoản \(user.username) (\(user.role.rawValue)).")
            } catch let e as StoreError where e.code == .conflict {
                throw fail(e.description, ExitStatus.refused)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (never creates a store).")
        @OptionGroup var store: DataOptions

        func run() async throws {
            let users = try openStore(store).users()
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
            let result = try openStore(store).verifyAudit()
            if let broken = result.brokenAt {
                throw fail("the audit log in \(store.directory.path) was altered at entry \(broken) "
                           + "(\(result.entries) checked): keep a copy of the data directory and tell the administrator",
                           ExitStatus.auditAltered)
            }
            print("Nhật ký nguyên vẹn: \(result.entries) mục. The audit chain is intact (\(result.entries) entries).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest entries (never creates a store).")
        @OptionGroup var store: DataOptions
        @Option(name: .long, help: "At most this many.") var limit = 50

        func run() async throws {
            let entries = try openStore(store).auditEntries(limit: limit)
            if entries.isEmpty { print("Nhật ký trống trong \(store.directory.path). The audit log in \(store.directory.path) is empty.") }
            for e in entries {
                print("\(e.seq)\t\(ISO8601DateFormatter().string(from: e.at))\t\(e.actor)\t\(e.action)\t\(e.subject ?? "")\t\(e.detail ?? "")")
            }
        }
    }
}

struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk", abstract: "Self-service kiosks: their device tokens.",
        subcommands: [Add.self, Revoke.self, List.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a kiosk and print its token (shown once). Pair it by opening /kiosk/pair?token=TOKEN.")
        @OptionGroup var station: DataOptions
        @Argument(help: "The kiosk's name (letters, digits, '-', '_').") var name: String

        func run() async throws {
            guard name.count <= 40, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
                throw ValidationError("a kiosk name is letters, digits, '-' or '_' (at most 40)")
            }
            let st = try openStation(station)
            var rng = SystemRandomNumberGenerator()
            let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
            do {
                _ = try st.database.createKiosk(name: name, tokenHash: SHA256.hex(Data(token.utf8)), actor: "cli:\(NSUserName())")
            } catch let e as StoreError where e.code == .conflict {
                throw fail(e.description, ExitStatus.refused)
            }
            print(token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a kiosk's token at once.")
        @OptionGroup var station: DataOptions
        @Argument(help: "The kiosk's name.") var name: String

        func run() async throws {
            do {
                try openStation(station).database.revokeKiosk(name: name, actor: "cli:\(NSUserName())")
            } catch let e as StoreError where e.code == .notFound {
                throw fail(e.description, ExitStatus.notFound)
            }
            print("Đã thu hồi quyền của kiosk \(name). Revoked.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List kiosks (never creates a store).")
        @OptionGroup var store: DataOptions

        func run() async throws {
            let kiosks = try openStore(store).kiosks()
            if kiosks.isEmpty { print("Chưa có kiosk nào trong \(store.directory.path). No kiosks in \(store.directory.path).") }
            for k in kiosks {
                print("\(k.name)\t\(k.revokedAt == nil ? "active" : "revoked")\t\(ISO8601DateFormatter().string(from: k.createdAt))")
            }
        }
    }
}
