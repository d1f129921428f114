import ArgumentParser
import Foundation
import Store
import Pipeline
import Station

struct BatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches", abstract: "Batches not yet read into a draft (a scan that stopped, a crash).",
        subcommands: [List.self, Finish.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List unfinished batches, oldest first (never creates a store).")
        @OptionGroup var store: DataOptions
        @Flag(name: .long, help: "Print JSON: an array of {id, source, status, pages, lastError, createdAt}.")
        var json = false

        func run() async throws {
            let rows = try await openStore(store).unfinishedBatches()
            if json {
                struct Item: Encodable {
                    var id, source, status: String
                    var pages: Int
                    @Nullable var lastError: String?
                    var createdAt: String
                }
                try printJSON(rows.map {
                    Item(id: $0.id, source: $0.source, status: $0.status.rawValue, pages: $0.pageCount,
                         lastError: $0.lastError, createdAt: ISO8601DateFormatter().string(from: $0.createdAt))
                }, pretty: true)
                return
            }
            if rows.isEmpty {
                print("Không có lô nào đang dở trong \(store.directory.path). No unfinished batches in \(store.directory.path).")
                return
            }
            for r in rows {
                print("\(r.id)\t\(r.status.rawValue)\t\(r.pageCount) trang\t\(r.source)\t\(r.lastError ?? "")")
            }
        }
    }

    struct Finish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the pages a batch already has into its draft, without scanning more.")
        @OptionGroup var station: StationOptions
        @Flag(name: .long, help: "Print the draft contract as JSON.") var json = false
        @Argument(help: "The batch id (b_…).") var batch: String

        func run() async throws {
            let app = try openApp(station)
            let doc: ProcessedDocument
            do {
                doc = try await app.batches.finish(batchId: batch)
            } catch let e as StationError {
                // A batch that already has its draft is not an unfinished batch: "not found" among them.
                throw fail(e.message, e.code == .conflict ? ExitStatus.notFound : ExitStatus.store)
            } catch {
                throw mapPipelineError(error)
            }
            let warnings = doc.failures.map(\.description)
            printDraft(doc.draft, doc.fields, warnings: warnings, json: json)
            if !warnings.isEmpty { throw ExitStatus.partial }
        }
    }
}
