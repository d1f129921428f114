import ArgumentParser
import Foundation
import Imaging
import Logging
import Pipeline
import Scanning

/// A benchmark, not a test: does reading keep up with a document feeder?
struct BenchScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scan",
        abstract: "Feed form pages through SANE's pnm backend at a feeder's pace and time scan → read → draft.",
        discussion: """
            Each page is 'scanned' by libsane's pnm backend (a real backend reading a PNM file), delivered no \
            faster than --ppm pages per minute, stored and read while the next page comes, as `sohoa scan` does. \
            Prints per-page latency from the scanner to its page being read, the wait for the draft after the \
            last page, the reading rate against the feed rate, and peak memory.
            """)

    @OptionGroup var station: StationOptions
    @OptionGroup var scanner: ScannerOptions

    @Option(name: .long, help: "Feeder speed in pages per minute.")
    var ppm = 60.0

    @Option(name: .long, help: "Pages in the batch.")
    var pages = 20

    @Argument(help: "Form page images or directories of them (used in turn).")
    var inputs: [String]

    func run() async throws {
        let files = collectImages(inputs)
        guard !files.isEmpty else { throw fail("no page images in \(inputs.joined(separator: " "))", ExitStatus.noUsablePage) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-bench-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var sheets: [URL] = []
        for (i, f) in files.prefix(pages).enumerated() {
            let image = try PageImage.load(f, info: try ImageProbe.probe(f))
            let url = scratch.appendingPathComponent("sheet-\(i).pgm")
            try image.grayscale().encoded(.pnm).write(to: url)
            sheets.append(url)
        }
        let runtime = try scanner.runtime()
        let device = try await runtime.open("pnm:0")
        let feeder = PacedFeeder(device, sheets: (0..<pages).map { sheets[$0 % sheets.count] }, ppm: ppm)
        let st = try openStation(station, dataDirectory: scratch.appendingPathComponent("data"))
        let timeline = Timeline()
        let start = Date()
        let result = try await ScanJob(station: st, logger: station.logger()).run(
            device: feeder, profile: try scanner.catalog().profile(for: device.info), request: ScanRequest(use: .forms)
        ) { timeline.record($0) }
        let total = Date().timeIntervalSince(start)
        await device.close()
        let (scanned, read) = timeline.snapshot()
        let latencies = (1...pages).compactMap { n -> Double? in
            guard let s = scanned[n], let r = read[n] else { return nil }
            return r.timeIntervalSince(s)
        }
        let lastScan = scanned.values.max() ?? start
        let feedSeconds = lastScan.timeIntervalSince(start)
        let draftWait = total - feedSeconds
        let readRate = Double(pages) / total * 60
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "feeder                       %d pages at %.0f pages/min (pnm backend, %d workers)",
                     pages, ppm, st.configuration.workers))
        print(String(format: "scan → page read, per page   median %.2f s, first %.2f s, last %.2f s, max %.2f s",
                     median(latencies), latencies.first ?? 0, latencies.last ?? 0, latencies.max() ?? 0))
        print(String(format: "feeding took                 %.1f s; draft stored %.1f s after the last page", feedSeconds, draftWait))
        print(String(format: "batch → draft                %.1f s, %.1f pages/min read (%.2f× the feed rate: %@)", total,
                     readRate, readRate / ppm, readRate >= ppm * 0.98 ? "keeps up" : "does not keep up"))
        print(String(format: "draft                        %@, %d fields, %d flagged", result.document.draft.form ?? "no form",
                     result.document.fields.count, result.document.fields.filter(\.needsReview).count))
        print(String(format: "peak memory                  %.0f MB", Double(usage.ru_maxrss) / 1024))
    }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}

/// Times of each page's scan and read.
final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private var scanned: [Int: Date] = [:]
    private var read: [Int: Date] = [:]

    func record(_ event: ScanEvent) {
        lock.withLock {
            switch event {
            case .pageScanned(let n): scanned[n] = Date()
            case .pageProcessed(let n, _): read[n] = Date()
            default: break
            }
        }
    }

    func snapshot() -> ([Int: Date], [Int: Date]) { lock.withLock { (scanned, read) } }
}

/// The pnm backend as a document feeder: each page is the next file, delivered no faster than `ppm`.
final class PacedFeeder: ScannerDevice, @unchecked Sendable {
    let inner: SaneDevice
    private var sheets: [URL]
    private let interval: Double
    private var next: Date?

    init(_ inner: SaneDevice, sheets: [URL], ppm: Double) {
        self.inner = inner
        self.sheets = sheets
        self.interval = 60 / ppm
    }

    var info: ScannerInfo { inner.info }
    func options() async throws -> [ScannerOption] { try await inner.options() }
    func value(of option: String) async throws -> OptionValue? { try await inner.value(of: option) }
    func set(_ option: String, to value: OptionValue) async throws -> OptionValue { try await inner.set(option, to: value) }
    func endBatch() { inner.endBatch() }
    func isStillPresent() async -> Bool { await inner.isStillPresent() }

    func readPage() async throws -> ScanFrame {
        guard !sheets.isEmpty else { throw ScanError(.feederEmpty, detail: "bench feeder empty") }
        try await inner.set("filename", to: .string(sheets.removeFirst().path))
        let frame = try await inner.readPage()
        let due = next ?? Date()
        if due > Date() { try await Task.sleep(nanoseconds: UInt64(due.timeIntervalSinceNow * 1e9)) }
        next = Date().addingTimeInterval(interval)
        return frame
    }
}
