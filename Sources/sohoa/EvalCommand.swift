import ArgumentParser
import Foundation
import Store
import Logging
import Pipeline
import Station

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Process every sample in a directory and score the drafts against their truth files.")

    @OptionGroup var station: StationOptions

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    @Flag(name: .long, help: "List every wrong field (expected and read values).")
    var details = false

    @Option(name: .long, help: "Write every field's outcome (key, right, flagged, confidence) as TSV to this file.")
    var outcomes: String?

    @Option(name: .long, help: "Review threshold to use instead of the built-in one (for tuning).")
    var threshold: Double?

    @Argument(help: "Directories holding samples: <name>.json truth files beside their page images.")
    var directories: [String]

    func run() async throws {
        try requireInputFiles(directories)
        // Unless --data is given, evaluation works in a scratch store and leaves the station's data alone.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-eval-\(UUID().uuidString)")
        defer { if station.data == nil { try? FileManager.default.removeItem(at: scratch) } }
        var config = station.configuration(dataDirectory: station.data == nil ? scratch : nil)
        config.reviewThreshold = threshold
        LoggingSystem.bootstrapOnce()
        let st: StationParts
        do { st = try StationParts(config) } catch { throw fail("\(error)", ExitStatus.store) }
        let app: StationApp
        do { app = try StationApp(parts: st, logger: station.logger()) } catch { throw fail("\(error)", ExitStatus.store) }

        var truths: [(URL, TruthDocument)] = []
        for dir in directories {
            let base = URL(fileURLWithPath: dir, isDirectory: true)
            let files = (try? FileManager.default.contentsOfDirectory(at: base, includingPropertiesForKeys: nil)) ?? []
            for f in files.filter({ $0.pathExtension == "json" }).sorted(by: { $0.path < $1.path }) {
                guard let t = try? JSONDecoder().decode(TruthDocument.self, from: Data(contentsOf: f)), !t.pages.isEmpty else { continue }
                truths.append((f, t))
            }
        }
        guard !truths.isEmpty else { throw fail("no truth files (*.json with \"pages\") in \(directories.joined(separator: ", "))", ExitStatus.noUsablePage) }

        var scores: [DocumentScore] = []
        for (i, (file, truth)) in truths.enumerated() {
            if isatty(STDERR_FILENO) == 1 {
                FileHandle.standardError.write(Data("\r\(i + 1)/\(truths.count) \(file.lastPathComponent)\u{1B}[K".utf8))
            }
            let dir = file.deletingLastPathComponent()
            let pages = truth.pages.map { dir.appendingPathComponent($0) }
            let start = Date()
            do {
                let doc = try await app.batches.process(files: pages, source: "eval")
                let seconds = Date().timeIntervalSince(start)
                var cer: Double?
                if let textFile = truth.text, let text = try? String(contentsOf: dir.appendingPathComponent(textFile), encoding: .utf8) {
                    cer = Evaluator.cer(truth: text, ocr: doc.texts.joined(separator: "\n"))
                }
                let outcomes = truth.form == nil ? [] : Evaluator.score(
                    truth: truth, form: doc.draft.form, fields: doc.readings(policy: st.extractor.policy))
                scores.append(DocumentScore(name: file.deletingPathExtension().lastPathComponent, expectedForm: truth.form,
                                            form: doc.draft.form, fields: outcomes, cer: cer, pages: pages.count,
                                            seconds: seconds))
            } catch {
                scores.append(DocumentScore(name: file.lastPathComponent, expectedForm: truth.form, form: nil,
                                            fields: Evaluator.score(truth: truth, form: nil, fields: []), cer: nil,
                                            pages: pages.count, seconds: Date().timeIntervalSince(start),
                                            error: "\(error)"))
            }
        }
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        report(scores, threshold: st.extractor.policy.threshold)
    }

    func report(_ scores: [DocumentScore], threshold used: Double) {
        let s = Evaluator.summarise(scores)
        let table = Evaluator.riskCoverage(scores)
        if let outcomes {
            var tsv = "document\tkey\tright\tflagged\tconfidence\thard_flag\tmissing\n"
            for d in scores {
                for f in d.fields {
                    tsv += "\(d.name)\t\(f.key)\t\(f.right)\t\(f.flagged)\t\(f.confidence)\t\(f.hardFlag)\t\(f.missing)\n"
                }
            }
            try? tsv.write(toFile: outcomes, atomically: true, encoding: .utf8)
        }
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        if json {
            struct Summary: Encodable {
                var documents: Int
                var formRecognised, fieldAccuracy, straightThrough, silentErrors, flagged, cleanDossiers: Double
                var medianSecondsPerPage, reviewThreshold: Double
                var fields, missingFields: Int
                @Nullable var textCER: Double?
                var riskCoverage: [RiskCoveragePoint]
            }
            try? printJSON(Summary(documents: s.documents, formRecognised: s.formRecognised,
                                   fieldAccuracy: s.fieldAccuracy, straightThrough: s.straightThrough,
                                   silentErrors: s.silentErrors, flagged: s.flagged, cleanDossiers: s.cleanDossiers,
                                   medianSecondsPerPage: s.medianSecondsPerPage, reviewThreshold: used,
                                   fields: s.fields, missingFields: s.missingFields, textCER: s.cer,
                                   riskCoverage: table),
                           pretty: true)
            return
        }
        if details {
            for d in scores {
                if let e = d.error { print("\(d.name): error: \(e)") }
                if !d.formRight { print("\(d.name): form \(d.form ?? "none") (expected \(d.expectedForm ?? "none"))") }
                for f in d.fields where !f.right {
                    let what = f.missing && !f.flagged ? "MISSING" : f.flagged ? "flagged" : "SILENT "
                    print("\(d.name)\t\(f.key)\t\(what)\texpected: \(f.expected ?? "∅")\tgot: \(f.got ?? "∅")")
                }
            }
            print("")
        }
        print("documents            \(s.documents)")
        print("form recognised      \(pct(s.formRecognised))")
        print("fields               \(s.fields)")
        print("field accuracy       \(pct(s.fieldAccuracy))")
        print("straight-through     \(pct(s.straightThrough))   (right and not flagged)")
        print("silent errors        \(pct(s.silentErrors))   (wrong and not flagged; \(s.missingFields) of them left out of the draft)")
        print("flagged              \(pct(s.flagged))")
        print("clean dossiers       \(pct(s.cleanDossiers))   (documents with no wrong unflagged field)")
        print("text CER             \(s.cer.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a (no text pages)")")
        print("median s/page        \(String(format: "%.2f", s.medianSecondsPerPage))")
        var forms: [String: [DocumentScore]] = [:]
        for d in scores { forms[d.expectedForm ?? "(text)", default: []].append(d) }
        for (form, docs) in forms.sorted(by: { $0.key < $1.key }) where form != "(text)" {
            let fs = Evaluator.summarise(docs)
            print("  \(form.padding(toLength: 10, withPad: " ", startingAt: 0)) docs \(docs.count)  form \(pct(fs.formRecognised))  accuracy \(pct(fs.fieldAccuracy))  straight \(pct(fs.straightThrough))  silent \(pct(fs.silentErrors))  clean \(pct(fs.cleanDossiers))")
        }
        print("")
        print("risk–coverage (review threshold on confidence; failed checks and disagreeing readings flag at any threshold)")
        print("  threshold  straight-through  silent errors  clean dossiers  flagged")
        for p in table {
            let mark = abs(p.threshold - used) < 0.001 ? "  ← in use" : ""
            print("  " + [String(format: "%.2f", p.threshold).padding(toLength: 9, withPad: " ", startingAt: 0),
                          pct(p.straightThrough).padding(toLength: 16, withPad: " ", startingAt: 0),
                          pct(p.silentErrors).padding(toLength: 13, withPad: " ", startingAt: 0),
                          pct(p.cleanDossiers).padding(toLength: 14, withPad: " ", startingAt: 0),
                          pct(p.flagged)].joined(separator: "  ") + mark)
        }
    }
}
