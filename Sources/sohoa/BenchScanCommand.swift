import ArgumentParser
import Foundation
import Imaging
import Logging
import Pipeline
import Station
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

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var scanner: ScannerOptions

    @Option(name: .long, help: "Feeder speed in pages per minute.")
    var ppm = 60.0

    @Option(name: .long, help: "Pages in the batch.")
    var pages = 20

    @Argument(help: "Form page images or directories of them (used in turn).")
    var inputs: [String]

    func run() async throws {
        try requireInputFiles(inputs)
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
        let app = try openApp(reading.configuration(dataDirectory: scratch.appendingPathComponent("data")), logger: log.logger())
        let timeline = Timeline()
        let start = Date()
        // The pnm backend has only a "flatbed"; the paced wrapper is its feeder.
        var profile = try scanner.catalog().profile(for: device.info)
        profile.sources = (profile.sources ?? [:]).merging(["adf": [:]]) { $1 }
        let result = try await app.batches.scan(device: feeder, profile: profile, request: ScanRequest(use: .forms, source: .adf)) {
            timeline.record($0)
        }
        let total = Date().timeIntervalSince(start)
        await device.close()
        let (scanned, read) = timeline.snapshot()
        let latencies = (1...pages).compactMap { n -> Double? in
            guard let s = scanned[n], let r = read[n] else { return nil }
            return r.timeIntervalSince(s)
        }
        let lastScan = scanned.values.max() ?? start
        let lastRead = read.values.max() ?? lastScan
        let feedSeconds = lastScan.timeIntervalSince(start)
        let quarter = max(1, latencies.count / 4)
        let early = median(Array(latencies.prefix(quarter))), late = median(Array(latencies.suffix(quarter)))
        // Reading keeps up when pages wait no longer at the end of the batch than at its start.
        let keepsUp = late <= early + 60 / ppm
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "feeder                       %d pages at %.0f pages/min (pnm backend, %d workers), fed in %.1f s",
                     pages, ppm, app.parts.configuration.workers, feedSeconds))
        print(String(format: "scan → page read, per page   median %.2f s, max %.2f s; first quarter %.2f s, last quarter %.2f s",
                     median(latencies), latencies.max() ?? 0, early, late))
        print(String(format: "reading vs the feeder        %@", keepsUp
                     ? "keeps up (waits do not grow over the batch)" : "falls behind (waits grow over the batch)"))
        print(String(format: "after the last page          all pages read +%.1f s, draft stored +%.1f s (extraction, re-reads, store)",
                     lastRead.timeIntervalSince(lastScan), total - feedSeconds))
        print(String(format: "whole batch → draft          %.1f s, %.1f pages/min", total, Double(pages) / total * 60))
        print(String(format: "draft                        %@, %d fields, %d flagged", result.document.draft.form ?? "no form",
                     result.document.fields.count, result.document.fields.filter(\.needsReview).count))
        print(String(format: "peak memory                  %.0f MB (cleaned pages stay in memory until the draft)",
                     Double(usage.ru_maxrss) / 1024))
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
