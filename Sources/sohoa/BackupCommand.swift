import ArgumentParser
import Delivery
import Foundation
import Station
import Logging
import Pipeline
import Store

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the station's store, page files and keys into a new directory.",
        discussion: """
            Writes DIR/sohoa.sqlite (a consistent copy of the store made with SQLite's VACUUM INTO, while the \
            station keeps running; it holds the audit log's per-batch keys and the station's secrets), DIR/pages/ \
            (the page images, records and PDFs) and DIR/manifest.json. DIR must not exist or be empty. Keep \
            backups as safe as the station: they hold citizens' papers until retention removes them.
            Exit status: 0 done, 5 the data directory could not be used, 9 DIR is not empty.
            """)

    @OptionGroup var station: StationOptions
    @Argument(help: "The directory to write the backup into (new or empty).") var directory: String

    func run() async throws {
        let app = try openApp(station)
        let target = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            let manifest = try await app.maintenance.backup(to: target)
            print("Đã sao lưu vào \(target.path): \(manifest.files) tệp (\(manifest.bytes) byte). "
                  + "Backed up to \(target.path): the store and \(manifest.files) page files.")
        } catch let e as DeliveryError where e.code == .backupRefused {
            throw fail(e.description, ExitStatus.refused)
        } catch {
            throw fail("the backup failed: \(error)", ExitStatus.store)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty data directory, without bringing back what retention removed.",
        discussion: """
            Copies the backup's store into --data (which must be new or empty), then, before any page file is \
            copied, removes again what retention destroyed: dossiers in the backup's purge ledger and in the \
            ledger of every --ledger store (a newer backup's or the old data directory's sohoa.sqlite: purges made \
            after the backup), and dossiers delivered more than --retention-days ago. Their values, OCR text and \
            audit keys are removed and their page files are not copied. The audit chain is checked at the end.
            Exit status: 0 done, 5 the backup is damaged or the data directory could not be used, 7 no backup in \
            DIR, 9 the data directory is not empty, 10 the restored audit log does not verify.
            """)

    @OptionGroup var station: StationOptions
    @Argument(help: "The directory `sohoa backup` wrote.") var directory: String

    @Option(name: .long, help: "A newer copy's sohoa.sqlite whose purges to re-apply (repeatable).")
    var ledger: [String] = []

    @Option(name: .customLong("retention-days"),
            help: "Remove again what retention removes this many days after the case system confirmed a dossier.")
    var retentionDays: Double = 30

    @Flag(name: .customLong("keep-pages"), help: "Re-apply only the purge ledgers, not the retention period.")
    var keepPages = false

    func run() async throws {
        LoggingSystem.bootstrapOnce()
        let configuration = station.configuration()
        let source = URL(fileURLWithPath: directory, isDirectory: true)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw fail("no backup at \(source.path)", ExitStatus.notFound)
        }
        let summary: RestoreSummary
        do {
            summary = try await Maintenance.restore(
                from: source, into: configuration, ledgers: ledger.map { URL(fileURLWithPath: $0) },
                retention: keepPages ? nil : max(0, retentionDays) * 86400)
        } catch let e as DeliveryError where e.code == .backupRefused {
            let missing = !FileManager.default.fileExists(atPath: source.appendingPathComponent(BackupManifest.fileName).path)
            throw fail(e.description, missing ? ExitStatus.notFound : ExitStatus.refused)
        } catch {
            throw fail("the restore failed: \(error)", ExitStatus.store)
        }
        print("Đã khôi phục vào \(configuration.dataDirectory.path). Restored into \(configuration.dataDirectory.path): "
              + "\(summary.filesCopied) page files; \(summary.filesWithheld) withheld, "
              + "\(summary.purgesReapplied) purge(s) re-applied from ledgers, "
              + "\(summary.retentionPurged) dossier(s) past retention purged.")
        if let broken = summary.audit.brokenAt {
            throw fail("the restored audit log does not verify at entry \(broken)", ExitCode(10))
        }
    }
}
