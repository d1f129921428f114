import ArgumentParser
import Foundation
import Pipeline
import Store

struct DraftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts", abstract: "Read back stored drafts (never creates a store).",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List drafts, newest first.")
        @OptionGroup var store: DataOptions
        @Flag(name: .long, help: "Print JSON: an array of {id, form, status, createdAt, pages, fields, flagged}.")
        var json = false
        @Option(name: .long, help: "At most this many.") var limit = 50

        /// One line of `drafts list --json`.
        struct Item: Encodable {
            var id: String
            var form: String?
            var status: DossierStatus
            var createdAt: String
            var pages: Int
            var fields: Int
            var flagged: Int

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(id, forKey: .id)
                try c.encode(form, forKey: .form)   // null when the form was not recognised
                try c.encode(status, forKey: .status)
                try c.encode(createdAt, forKey: .createdAt)
                try c.encode(pages, forKey: .pages)
                try c.encode(fields, forKey: .fields)
                try c.encode(flagged, forKey: .flagged)
            }

            enum CodingKeys: String, CodingKey { case id, form, status, createdAt, pages, fields, flagged }
        }

        func run() async throws {
            let rows = try await openStore(store).draftSummaries(limit: limit)
            if json {
                let iso = ISO8601DateFormatter()
                let items = rows.map {
                    Item(id: $0.id, form: $0.form, status: $0.status, createdAt: iso.string(from: $0.createdAt),
                         pages: $0.pageCount, fields: $0.fieldCount, flagged: $0.flaggedCount)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(items), as: UTF8.self))
                return
            }
            if rows.isEmpty {
                print("Chưa có hồ sơ nháp nào trong \(store.directory.path). No drafts in \(store.directory.path) yet.")
                return
            }
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            for r in rows {
                print("\(r.id)  \(formatter.string(from: r.createdAt))  \((r.form ?? "?").padding(toLength: 10, withPad: " ", startingAt: 0))  \(r.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(r.pageCount) trang, \(r.flaggedCount)/\(r.fieldCount) trường cần xem lại")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one draft.", discussion: "--json prints the draft contract (README: \"The draft contract\").")
        @OptionGroup var store: DataOptions
        @Flag(name: .long, help: "Print the draft contract as JSON.") var json = false
        @Argument(help: "The draft's id (d_…).") var id: String

        func run() async throws {
            guard let (draft, fields) = try await openStore(store).draft(id: id) else {
                throw fail("no draft with id \(id) in \(store.directory.path); `sohoa drafts list` shows the ids",
                           ExitStatus.notFound)
            }
            printDraft(draft, fields, json: json)
        }
    }
}
