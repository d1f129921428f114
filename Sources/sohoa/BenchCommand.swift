import ArgumentParser
import Foundation
import Logging
import Pipeline
import Station

/// A benchmark, not a test: medians measured in one run on the same pages.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time sohoa's whole pipeline against the bare tesseract CLI on the same pages, and peak memory.")

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Pages to time one by one.")
    var pages = 8

    @Option(name: .long, help: "Pages in the document used for throughput and peak memory.")
    var documentPages = 20

    @Argument(help: "Page images or directories of them.")
    var inputs: [String]

    func run() async throws {
        try requireInputFiles(inputs)
        let files = collectImages(inputs)
        guard !files.isEmpty else { throw fail("no page images in \(inputs.joined(separator: " "))", ExitStatus.noUsablePage) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()

        // 1. A whole document in a child process: wall time with the default workers, and its peak memory.
        let doc = (0..<documentPages).map { files[$0 % files.count].path }
        let docStart = Date()
        let readingArgs = ["--languages", reading.language.languages] + (reading.workers.map { ["--workers", "\($0)"] } ?? [])
        let child = try run(me, ["process", "--json", "--data", scratch.appendingPathComponent("doc").path] + readingArgs + doc,
                            env: ["OMP_THREAD_LIMIT": "1"])
        let docSeconds = Date().timeIntervalSince(docStart)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024
        let docOK = child == 0 || child == 3

        // 2. Page by page, one worker: sohoa (in this process, warm engine) and the tesseract CLI.
        var config = reading.configuration(dataDirectory: scratch.appendingPathComponent("pages"))
        config.workers = 1
        LoggingSystem.bootstrapOnce()
        let app = try StationApp(parts: try StationParts(config), logger: log.logger())
        let sample = Array(files.prefix(pages))
        _ = try? await app.batches.process(files: [sample[0]])   // warm-up: model load
        var ours: [Double] = []
        var theirs: [Double] = []
        for f in sample {
            let t0 = Date()
            _ = try? await app.batches.process(files: [f])
            ours.append(Date().timeIntervalSince(t0))
            let t1 = Date()
            _ = try run(URL(fileURLWithPath: "/usr/bin/tesseract"), [f.path, "-", "-l", config.ocr.languages],
                        env: ["OMP_THREAD_LIMIT": "1"])
            theirs.append(Date().timeIntervalSince(t1))
        }
        let mo = median(ours), mt = median(theirs)
        print("pages timed one by one      \(sample.count)")
        print(String(format: "tesseract CLI  median s/page %.2f   (-l %@, OMP_THREAD_LIMIT=1)", mt, config.ocr.languages))
        print(String(format: "sohoa process  median s/page %.2f   (clean-up, OCR, extraction, re-reads, store; 1 worker)", mo))
        print(String(format: "ratio sohoa / tesseract      %.2f×", mo / max(mt, 1e-9)))
        print(String(format: "%d-page document            %.1f s wall, %.2f s/page with %d workers%@", documentPages,
                     docSeconds, docSeconds / Double(documentPages), reading.configuration(dataDirectory: scratch).workers,
                     docOK ? "" : " (process failed, exit \(child))"))
        print(String(format: "peak memory (%d-page doc)   %.0f MB", documentPages, peakMB))
    }

    func run(_ exe: URL, _ args: [String], env: [String: String]) throws -> Int32 {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}

/// Page images named, or found in the directories named, in order.
func collectImages(_ inputs: [String]) -> [URL] {
    let exts: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff", "pnm", "pgm", "ppm"]
    var out: [URL] = []
    for input in inputs {
        let url = URL(fileURLWithPath: input)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            let items = (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? []
            out += items.filter { exts.contains($0.pathExtension.lowercased()) }.sorted { $0.path < $1.path }
        } else {
            out.append(url)
        }
    }
    return out
}
