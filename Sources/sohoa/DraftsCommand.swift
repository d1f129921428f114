import ArgumentParser
import Foundation
import Pipeline
import Store

struct DraftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts", abstract: "Read back stored drafts.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List drafts, newest first.")
        @OptionGroup var station: StationOptions
        @Flag(name: .long) var json = false
        @Option(name: .long, help: "At most this many.") var limit = 50

        func run() async throws {
            let st = try openStation(station)
            let rows = try await st.database.draftSummaries(limit: limit)
            if json {
                let items = rows.map {
                    ["id": $0.id, "form": $0.form ?? "", "status": $0.status.rawValue,
                     "createdAt": ISO8601DateFormatter().string(from: $0.createdAt), "pages": "\($0.pageCount)",
                     "fields": "\($0.fieldCount)", "flagged": "\($0.flaggedCount)"]
                }
                let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            if rows.isEmpty { print("Chưa có hồ sơ nháp nào."); return }
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            for r in rows {
                print("\(r.id)  \(formatter.string(from: r.createdAt))  \((r.form ?? "?").padding(toLength: 10, withPad: " ", startingAt: 0))  \(r.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(r.pageCount) trang, \(r.flaggedCount)/\(r.fieldCount) trường cần xem lại")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one draft.")
        @OptionGroup var station: StationOptions
        @Flag(name: .long) var json = false
        @Argument(help: "The draft's id (d_…).") var id: String

        func run() async throws {
            let st = try openStation(station)
            guard let (draft, fields) = try await st.database.draft(id: id) else {
                throw fail("no draft with id \(id); `sohoa drafts list` shows the ids", ExitStatus.notFound)
            }
            printDraft(draft, fields, json: json)
        }
    }
}
