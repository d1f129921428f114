import Foundation
import Testing

/// The command line as a newcomer meets it: read-only commands that create nothing, the draft contract's JSON
/// types, whole hOCR documents, bilingual notices, help without repeats and exit codes the README documents.
@Suite(.serialized) struct CLIContractTests {
    static let repository = samplesDirectory.deletingLastPathComponent()

    @Test(arguments: [["drafts", "list"], ["drafts"], ["drafts", "show", "d_NOPE"], ["batches"], ["queue"],
                      ["audit", "verify"], ["audit"], ["users", "list"], ["kiosk", "list"]])
    func readOnlyCommandsNeverCreateAStoreAndNameTheDirectory(_ command: [String]) throws {
        let dir = temporaryDirectory().appendingPathComponent("station")
        let run = try runSohoa(command + ["--data", dir.path])
        #expect(run.status == 66, "\(command): \(run.stderr)")
        #expect(run.stderr.contains("no station data in \(dir.path)"))
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path), "\(command) created \(dir.path)")
    }

    @Test func anEmptyStoreListsNothingAndNamesItsDirectory() throws {
        let dir = temporaryDirectory()
        // A command that writes makes the store (a refused submit still opens it).
        _ = try runSohoa(["submit", "d_NOPE", "--data", dir.path])
        for command in [["drafts", "list"], ["batches"], ["users", "list"], ["kiosk", "list"], ["audit"]] {
            let run = try runSohoa(command + ["--data", dir.path])
            #expect(run.status == 0, "\(command): \(run.stderr)")
            #expect(run.stdout.contains(dir.path), "\(command): \(run.stdout)")
        }
        let json = try runSohoa(["drafts", "list", "--json", "--data", dir.path])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any] != nil)
    }

    @Test func jsonNumbersAreNumbersAndAnUnknownFormIsNullEverywhere() throws {
        let data = temporaryDirectory().path
        let text = try #require(try truths("text").first.flatMap { pageURLs($0).first })
        let unknown = try runSohoa(["process", "--json", "--data", data, text.path])
        #expect(unknown.status == 0, "\(unknown.stderr)")
        let draft = try #require(try JSONSerialization.jsonObject(with: Data(unknown.stdout.utf8)) as? [String: Any])
        #expect(draft["form"] is NSNull)
        #expect(draft["procedure"] is NSNull)
        #expect(draft["status"] as? String == "needs_review")
        #expect(Set(draft.keys).isSuperset(of: ["id", "form", "procedure", "status", "fields", "warnings"]))
        // Said in both languages, Vietnamese first.
        let vi = try #require(unknown.stderr.range(of: "Không nhận ra biểu mẫu"))
        let en = try #require(unknown.stderr.range(of: "No known form was recognised"))
        #expect(vi.lowerBound < en.lowerBound)
        let person = try runSohoa(["process", "--data", data, text.path])
        #expect(person.stdout.contains("Không nhận ra biểu mẫu") && person.stdout.contains("No known form"))

        let form = try #require(try truths("forms").first { $0.truth.form == "khai-sinh" })
        #expect(try runSohoa(["process", "--data", data] + pageURLs(form).map(\.path)).status == 0)
        let list = try runSohoa(["drafts", "--json", "--data", data])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 3)
        for item in items {
            for key in ["pages", "fields", "flagged"] {
                #expect(item[key] is Int && !(item[key] is String), "\(key) is \(String(describing: item[key]))")
            }
            #expect(item["form"] is NSNull || item["form"] as? String == "khai-sinh")
        }
        #expect(items.contains { $0["form"] is NSNull })
        #expect(items.contains { ($0["fields"] as? Int ?? 0) > 20 })
    }

    @Test func aMissingInputFileIsNamedAndExits66StoringNothing() throws {
        let dir = temporaryDirectory()
        let missing = dir.appendingPathComponent("trang-1.png").path
        for command in [["process", "--data", dir.appendingPathComponent("data").path, missing], ["ocr", missing]] {
            let run = try runSohoa(command)
            #expect(run.status == 66, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("\(missing): no such file"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("data").path))
    }

    @Test func ocrHocrIsAWholeDocumentNamingTheFile() throws {
        let page = try #require(try truths("text").first.flatMap { pageURLs($0).first })
        let run = try runSohoa(["ocr", "--hocr", page.path])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(out.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(out.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\""))
        #expect(out.contains("<title>\(page.lastPathComponent)</title>"))
        #expect(out.contains("name=\"ocr-system\" content=\"tesseract "))
        #expect(out.contains("class='ocr_page'"))
        #expect(out.contains("image \"\(page.path)\""))
        #expect(out.hasSuffix("</html>"))
    }

    /// Every subcommand's help, as `sohoa help SUB` prints it.
    static let subcommands = [
        "process", "scan", "devices", "watch", "batches list", "batches finish", "bench-scan", "serve", "users add",
        "users list", "audit verify", "audit list", "kiosk add", "kiosk revoke", "kiosk list", "submit", "deliver",
        "queue list", "queue retry", "queue cancel", "case-sim", "ocr", "drafts list", "drafts show", "eval", "bench",
        "bench-deliver", "bench-serve", "bench-kiosk",
    ]

    @Test func helpStatesEachDefaultOnceAndOnlyOptionsThatMeanSomething() throws {
        let storeOnly: Set = ["users add", "users list", "audit verify", "audit list", "kiosk add", "kiosk revoke",
                              "kiosk list", "submit", "queue list", "queue retry", "queue cancel", "drafts list",
                              "drafts show", "batches list", "deliver"]
        for sub in Self.subcommands {
            let run = try runSohoa(["help"] + sub.split(separator: " ").map(String.init))
            #expect(run.status == 0, "\(sub): \(run.stderr)")
            let help = run.stdout.replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            #expect(help.range(of: #"\(default[^)]*\)\.? \(default"#, options: .regularExpression) == nil,
                    "\(sub) repeats a default")
            if storeOnly.contains(sub) {
                #expect(!help.contains("--workers") && !help.contains("--languages"), "\(sub) reads no pages")
                #expect(help.contains("--data"), "\(sub) uses the store")
            }
            for option in help.matches(of: /(--[a-z-]+) <[^>]+> +\(default/) {
                Issue.record("\(sub): \(option.1) has no help text")
            }
        }
        let ocr = try runSohoa(["help", "ocr"]).stdout
        #expect(!ocr.contains("--data") && !ocr.contains("--workers"), "ocr stores nothing and reads one page at a time")
    }

    @Test func everyExitCodeTheCLICanTakeIsInTheREADMEsTable() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let heading = try #require(readme.range(of: "### Exit codes"))
        let table = readme[heading.lowerBound...]
        let sources = Self.repository.appendingPathComponent("Sources/sohoa")
        var codes: Set<Int> = [0, 1, 64]   // success, an unexpected error, ArgumentParser's usage errors
        for file in try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
        where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in text.matches(of: /ExitCode\((\d+)\)/) { codes.insert(Int(m.1)!) }
        }
        #expect(codes.isSuperset(of: [3, 4, 5, 6, 7, 8, 9, 10, 66]))
        for code in codes.sorted() {
            #expect(table.contains("\n| \(code) |"), "exit code \(code) is not in the README's table")
        }
    }

    @Test func theREADMEDocumentsTheDraftContractThatHelpPointsTo() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("### The draft contract"))
        #expect(!readme.contains("FORMS.md"), "FORMS.md is not in the repository")
        let help = try runSohoa(["--help"]).stdout
        #expect(help.contains("\"The draft contract\""))
        let templates = Self.repository.appendingPathComponent("Sources/Forms/Resources/templates")
        for file in try FileManager.default.contentsOfDirectory(at: templates, includingPropertiesForKeys: nil) {
            let template = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let id = try #require(template["id"] as? String)
            #expect(readme.contains("`\(id)`"), "form \(id) is not in the README's contract")
        }
    }
}
