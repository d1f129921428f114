import ArgumentParser
import Foundation
import Station

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
        let app = try openApp(station)
        let submission: Submission
        do {
            submission = try await app.drafts.submit(draftId: draft, acceptFlagged: acceptFlagged, by: .commandLine())
        } catch let e as StationError where e.code == .needsReview {
            throw fail("\(e.message). Review them, or pass --accept-flagged.", ExitStatus.refused)
        } catch {
            throw mapStationError(error)
        }
        let entry = submission.entry
        if json {
            struct Queued: Encodable {
                var deliveryId, draftId, state, idempotencyKey, recordSha256: String
                var pages, pdfBytes, acceptedFlagged: Int
            }
            try printJSON(Queued(
                deliveryId: entry.id, draftId: draft, state: entry.state.rawValue, idempotencyKey: entry.idempotencyKey,
                recordSha256: submission.package.recordSha256, pages: submission.pageCount, pdfBytes: submission.pdfBytes,
                acceptedFlagged: submission.acceptedFlagged.count))
        } else {
            print("Đã xếp hàng gửi hồ sơ \(draft): \(entry.id) (\(submission.pdfBytes / 1024) KB). "
                  + "Queued for the case system; `sohoa deliver` sends it.")
        }
    }
}
