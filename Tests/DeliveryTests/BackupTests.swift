import Delivery
import Foundation
import Pipeline
import Store
import Testing

/// `sohoa backup` and `restore`: the store, page files and keys come back; what retention destroyed does not.
@Suite struct BackupTests {
    /// A station with two dossiers, each with a reviewed field: `gone` delivered (and later purged), `kept` not.
    struct Fixture {
        var station: StationParts
        var gone: Draft
        var kept: Draft
        var goneFiles: Set<String>
        var keptFiles: Set<String>
    }

    func fixture() async throws -> Fixture {
        let station = try makeStation()
        let user = try await station.database.createUser(username: "kiemtra", displayName: "Kiểm Tra", role: .reviewer,
                                                   passwordHash: "x", actor: "test")
        let gone = try await makeDraft(station, seed: 4001)
        let kept = try await makeDraft(station, seed: 4002)
        for draft in [gone, kept] {
            try await station.database.updateField(draftId: draft.id, key: "child.fullName", value: "LÊ VĂN \(draft.id)",
                                             needsReview: false, user: user, requireClaim: false)
        }
        let entry = try await submit(station, gone.id)
        try await station.database.markDelivered(id: entry.id, receiptCode: "000.00.00.H99-260101-0042", receipt: "{}")
        func files(_ draft: Draft) async throws -> Set<String> {
            await Set(try station.database.pages(batchId: draft.batchId).flatMap { [$0.originalSha256, $0.cleanedSha256!] })
        }
        var goneFiles = try await files(gone)
        let plan = try await #require(try station.database.purgePlan(deliveredBefore: Date().addingTimeInterval(1)).items.first)
        goneFiles.formUnion(Retention.files(of: plan, in: station.blobs))
        return await Fixture(station: station, gone: gone, kept: kept, goneFiles: goneFiles, keptFiles: try files(kept))
    }

    func purge(_ f: Fixture) async throws {
        try ageFiles(in: f.station.blobs.root, by: 86400)
        let summary = try await Retention(database: f.station.database, blobs: f.station.blobs)
            .purge(deliveredBefore: Date().addingTimeInterval(1))
        #expect(summary.dossiers == 1)
    }

    /// Restores `backup` into a new data directory and opens the station there.
    func restore(_ backup: URL, ledgers: [URL] = [], retention: TimeInterval? = nil) async throws -> (StationParts, RestoreSummary) {
        let data = temporaryDirectory()
        let config = StationConfiguration(dataDirectory: data, workers: 1)
        let summary = try await StationBackup.restore(from: backup, databaseURL: config.databaseURL, pagesURL: config.pagesURL,
                                                ledgers: ledgers, retention: retention)
        return (try StationParts(config), summary)
    }

    func editEntry(_ station: StationParts, _ draft: Draft) async throws -> AuditEntry {
        try #require(try await station.database.auditEntries(subject: draft.id).first { $0.action == "field.update" })
    }

    /// Purged data is absent in `station`, the other dossier whole.
    func expectPurged(_ station: StationParts, _ f: Fixture) async throws {
        for hash in f.goneFiles { #expect(!station.blobs.contains(hash), "a purged dossier's file came back") }
        for hash in f.keptFiles { #expect(station.blobs.contains(hash)) }
        let gone = try await editEntry(station, f.gone)
        let kept = try await editEntry(station, f.kept)
        #expect(try await station.database.openedDetail(gone) == nil, "a destroyed key came back")
        #expect(try await station.database.openedDetail(kept)?["to"] == "LÊ VĂN \(f.kept.id)")
        #expect(try await station.database.draft(id: f.gone.id)?.1.allSatisfy { $0.value == nil } == true)
        #expect(try await station.database.draft(id: f.kept.id)?.1.allSatisfy { $0.value != nil } == true)
        #expect(try await station.database.verifyAudit().isIntact)
    }

    @Test func aBackupRestoresTheStoreThePagesAndTheKeys() async throws {
        let f = try await fixture()
        let backup = temporaryDirectory().appendingPathComponent("backup")
        let manifest = try await StationBackup.backup(database: f.station.database, blobs: f.station.blobs, to: backup)
        #expect(manifest.files == f.goneFiles.count + f.keptFiles.count)
        let (restored, summary) = try await restore(backup)
        #expect(summary.filesCopied == manifest.files && summary.filesWithheld == 0 && summary.audit.isIntact)
        for hash in f.goneFiles.union(f.keptFiles) { #expect(restored.blobs.contains(hash)) }
        for draft in [f.gone, f.kept] {
            let entry = try await editEntry(restored, draft)
            #expect(try await restored.database.openedDetail(entry)?["to"] == "LÊ VĂN \(draft.id)")
        }
        let original = try await f.station.database.verifyAudit()
        #expect(try await restored.database.verifyAudit().entries == original.entries + 1)  // the restore's own entry
        // A backup never goes over another, nor a restore over a station.
        await #expect(throws: DeliveryError.self) {
            try await StationBackup.backup(database: f.station.database, blobs: f.station.blobs, to: backup)
        }
        await #expect(throws: DeliveryError.self) {
            try await StationBackup.restore(from: backup, databaseURL: f.station.configuration.databaseURL,
                                      pagesURL: f.station.configuration.pagesURL, retention: nil)
        }
    }

    @Test func aBackupMadeAfterAPurgeHoldsNothingOfThePurgedDossier() async throws {
        let f = try await fixture()
        try await purge(f)
        let backup = temporaryDirectory().appendingPathComponent("backup")
        _ = try await StationBackup.backup(database: f.station.database, blobs: f.station.blobs, to: backup)
        let (restored, _) = try await restore(backup)
        try await expectPurged(restored, f)
    }

    @Test func aRestoreOfAnOlderBackupDoesNotResurrectWhatRetentionDestroyed() async throws {
        let f = try await fixture()
        let backup = temporaryDirectory().appendingPathComponent("backup")
        _ = try await StationBackup.backup(database: f.station.database, blobs: f.station.blobs, to: backup)
        try await purge(f)  // after the backup

        // With the station's newer ledger: the purge is re-applied before any file is copied.
        let (withLedger, summary) = try await restore(backup, ledgers: [f.station.configuration.databaseURL])
        #expect(summary.purgesReapplied == 1 && summary.filesWithheld == f.goneFiles.count)
        try await expectPurged(withLedger, f)
        await #expect(try withLedger.database.outboxEntry(id: try withLedger.database.purgeLedger()[0].deliveryId)?
            .receiptCode == "000.00.00.H99-260101-0042", "what proves the delivery stays")

        // Without the ledger (the disk is gone): the retention period, re-applied at restore, reaches it.
        let (byRetention, again) = try await restore(backup, retention: 0)
        #expect(again.retentionPurged == 1)
        try await expectPurged(byRetention, f)
    }

    @Test func theCommandLineBacksUpAndRestores() async throws {
        let data = temporaryDirectory()
        do { _ = try await makeDraft(try makeStation(data), seed: 4100) }
        let backup = temporaryDirectory().appendingPathComponent("b")
        let made = try await runSohoa(["backup", backup.path, "--data", data.path])
        #expect(made.status == 0, "\(made.stderr)")
        let again = try await runSohoa(["backup", backup.path, "--data", data.path])
        #expect(again.status == 9 && again.stderr.contains("not empty"))
        let target = temporaryDirectory()
        let restored = try await runSohoa(["restore", backup.path, "--data", target.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("Restored into"))
        let over = try await runSohoa(["restore", backup.path, "--data", data.path])
        #expect(over.status == 9)
        let missing = try await runSohoa(["restore", target.appendingPathComponent("nothing").path, "--data",
                                          temporaryDirectory().path])
        #expect(missing.status == 7)
        let verify = try await runSohoa(["audit", "verify", "--data", target.path])
        #expect(verify.status == 0 && verify.stdout.contains("intact"))
        let help = try await runSohoa(["restore", "--help"])
        #expect(help.stdout.contains("retention"))
    }
}
