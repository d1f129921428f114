import Delivery
import Foundation
import Logging
import Pipeline
import Store

/// The station's own upkeep: the delivery worker, backups and restores.
public struct Maintenance: Sendable {
    let app: StationApp

    /// The worker that sends queued dossiers to the case system (a service of `sohoa serve` or `sohoa deliver`), and
    /// applies retention.
    public func deliveryWorker(caseSystem: any CaseSystem, configuration: DeliveryConfiguration,
                               logger: Logger) -> DeliveryWorker {
        DeliveryWorker(database: app.database, blobs: app.parts.blobs, caseSystem: caseSystem,
                       configuration: configuration, logger: logger)
    }

    /// A consistent copy of the store (with its keys), the page files and a manifest, into a new or empty directory.
    public func backup(to directory: URL) async throws -> BackupManifest {
        try await StationBackup.backup(database: app.database, blobs: app.parts.blobs, to: directory)
    }

    /// Restores a backup into an empty data directory, first removing again what retention destroyed (the backup's
    /// and `ledgers`' purges, and what `retention` covers), so a restore never brings it back. No station runs on
    /// that directory yet, hence static.
    public static func restore(from directory: URL, into configuration: StationConfiguration, ledgers: [URL],
                               retention: TimeInterval?) async throws -> RestoreSummary {
        try await StationBackup.restore(from: directory, databaseURL: configuration.databaseURL,
                                        pagesURL: configuration.pagesURL, ledgers: ledgers, retention: retention)
    }
}
