import ArgumentParser
import Delivery
import Foundation
import Pipeline
import Store

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Mark a reviewed draft ready and queue it for the case system.",
        discussion: """
            Builds the dossier's package once (the searchable PDF of its pages and its JSON record), stores it with \
            its checksum and adds it to the outbox in one transaction. Refused while fields are still flagged for \
            review, unless --accept-flagged. `sohoa deliver` sends what is queued.
            """)

    @OptionGroup var station: DataOptions
    @Argument(help: "The draft id (d_…).") var draft: String
    @Flag(name: .customLong("accept-flagged"), help: "Queue it even though some fields are still flagged.")
    var acceptFlagged = false
    @Flag(name: .long, help: "Print the queued delivery as JSON.") var json = false

    func run() async throws {
        let st = try openStation(station)
        guard let (d, fields) = try st.database.draft(id: draft) else { throw fail("no draft \(draft)", ExitStatus.notFound) }
        guard d.status == .needsReview || d.status == .ready else {
            throw fail("draft \(draft) is \(d.status.rawValue): it cannot be submitted again", ExitStatus.refused)
        }
        let flagged = fields.filter(\.needsReview).map(\.key)
        if !acceptFlagged && (!flagged.isEmpty || d.form == nil) {
            let what = d.form == nil ? "its form was not recognised" : "\(flagged.count) field(s) still need review: "
                + flagged.joined(separator: ", ")
            throw fail("draft \(draft) not submitted: \(what). Review them, or pass --accept-flagged.", ExitStatus.refused)
        }
        let titles = Dictionary(st.extractor.templates.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let packager = DossierPackager(database: st.database, blobs: st.blobs, formTitles: titles,
                                       tessdataPath: st.configuration.ocr.dataPath)
        let entry: OutboxEntry
        let built: DossierPackager.Built
        do {
            built = try packager.build(draftId: draft)
            entry = try st.database.enqueueDelivery(draftId: draft, recordSha256: built.recordSha256,
                                                    acceptFlagged: acceptFlagged)
        } catch let e as StoreError where e.code == .conflict {
            throw fail(e.description, ExitStatus.refused)
        } catch let e as DeliveryError {
            throw fail(e.description, e.code == .notFound ? ExitStatus.notFound : ExitStatus.store)
        }
        let pdfBytes = built.record.components.flatMap(\.files).map(\.size).reduce(0, +)
        if json {
            let object: [String: Any] = [
                "deliveryId": entry.id, "draftId": draft, "state": entry.state.rawValue,
                "idempotencyKey": entry.idempotencyKey, "recordSha256": built.recordSha256,
                "pages": built.record.components.map(\.pageCount).reduce(0, +), "pdfBytes": pdfBytes,
                "acceptedFlagged": flagged.count,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("Đã xếp hàng gửi hồ sơ \(draft): \(entry.id) (\(pdfBytes / 1024) KB). "
                  + "Queued for the case system; `sohoa deliver` sends it.")
        }
    }
}
