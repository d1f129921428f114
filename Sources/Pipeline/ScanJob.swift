import Foundation
import Imaging
import Logging
import Scanning
import Store

/// What happens during a scan, for a terminal or a UI.
public enum ScanEvent: Sendable {
    case configured(ScanSettings)
    case pageScanned(number: Int)
    case pageProcessed(number: Int, seconds: Double)
    case captureEnded(ScanOutcome)
}

/// A scan that stopped: the scanner's error, and the batch holding the pages already kept (resume it).
public struct ScanJobError: Error, Sendable, CustomStringConvertible {
    public var scan: ScanError
    public var batchId: String?

    public var description: String {
        scan.description + (batchId.map { " [batch \($0): \(scan.pagesKept) page(s) kept]" } ?? "")
    }
}

/// What a finished scan produced.
public struct ScanResult: Sendable {
    public var batchId: String
    public var settings: ScanSettings
    public var outcome: ScanOutcome
    public var document: ProcessedDocument
    /// Seconds from the end of each page's scan to the draft being stored, in page order.
    public var latencies: [Double]
}

/// One desk scan: scanner → store page by page → clean and read each page while the feeder runs → draft.
public struct ScanJob: Sendable {
    public let station: StationParts
    public let logger: Logger

    public init(station: StationParts,
                logger: Logger = Logger(label: "sohoa.scan", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.station = station
        self.logger = logger
    }

    /// Scans a batch (a new one, or more pages into `resume`), then processes it into a draft.
    /// On a scanner error the pages read so far stay in the batch, whose id comes with the error.
    public func run(device: any ScannerDevice, profile: DeviceProfile, request: ScanRequest, resume: String? = nil,
                    progress: @escaping @Sendable (ScanEvent) -> Void = { _ in }) async throws -> ScanResult {
        let database = station.database
        var batchId = resume
        var alreadyKept = 0
        if let resume {
            guard let batch = try await database.batch(id: resume) else {
                throw PipelineError(.notFound, "batch \(resume) does not exist")
            }
            guard batch.status == .capturing else {
                throw PipelineError(.notFound, "batch \(resume) is \(batch.status.rawValue): nothing to resume")
            }
            alreadyKept = try await database.pages(batchId: resume).count
        }
        // A scanner stop: the batch (if any) records why, and the error names it for resuming.
        func stopped(_ error: ScanError) async -> ScanJobError {
            if let batchId { try? await database.recordCaptureError(batchId: batchId, code: error.code.rawValue) }
            logger.notice("scan stopped", metadata: [
                "device": "\(device.info.name)", "error": "\(error.code.rawValue)", "pages.kept": "\(error.pagesKept)",
            ])
            return ScanJobError(scan: error, batchId: batchId)
        }
        let session: ScanSession
        do {
            session = try await ScanSession.configure(device, profile: profile, request: request)
        } catch let error as ScanError {
            throw await stopped(ScanError(error.code, detail: error.detail, pagesKept: alreadyKept))
        }
        progress(.configured(session.settings))
        logger.info("scan configured", metadata: [
            "device": "\(device.info.name)", "profile": "\(profile.id)", "source": "\(session.settings.source.rawValue)",
            "dpi": "\(session.settings.dpi)", "mode": "\(session.settings.mode.rawValue)",
        ])
        let settingsJSON = String(decoding: (try? JSONEncoder().encode(session.settings)) ?? Data(), as: UTF8.self)
        let source = "scanner:\(device.info.name)"
        let pool = station.ocr
        let assumedDPI = station.configuration.assumedDPI
        let limits = station.configuration.limits
        let blobs = station.blobs

        var processed: [Int64: ProcessedPage] = [:]
        var scannedAt: [Int64: DispatchTime] = [:]
        let outcome: ScanOutcome
        do {
            outcome = try await withThrowingTaskGroup(of: (Int64, ProcessedPage?).self) { group in
                let outcome = try await session.run(alreadyKept: alreadyKept, maxPages: request.maxPages) { page in
                    if batchId == nil {
                        batchId = try await database.beginBatch(source: source, captureSettings: settingsJSON).id
                    }
                    let stored = try await store(page, into: batchId!, defaultDPI: session.settings.dpi)
                    let hash = stored.originalSha256
                    let pageId = stored.id!
                    scannedAt[pageId] = DispatchTime.now()
                    progress(.pageScanned(number: page.number))
                    // Clean and read this page while the scanner feeds the next. The worker decodes the stored PNG
                    // rather than taking `image`: pages waiting for a worker then hold a path, not 9 MB of pixels.
                    let url = blobs.url(for: hash)
                    let name = stored.sourceName
                    let number = page.number
                    group.addTask {
                        guard let info = try? ImageProbe.probe(url, limits: limits) else { return (pageId, nil) }
                        let input = PageInput(url: url, pageIndex: 0, info: info, name: name, pageId: pageId)
                        let done = try? await pool.run { engine in
                            try PageSteps.process(input, engine: engine, assumedDPI: assumedDPI)
                        }
                        if let done { progress(.pageProcessed(number: number, seconds: done.seconds)) }
                        return (pageId, done)
                    }
                }
                // A page that fails here is processed again by `processBatch`, which reports why.
                for try await (id, page) in group { if let page { processed[id] = page } }
                return outcome
            }
        } catch let error as ScanError {
            throw await stopped(error)
        }
        progress(.captureEnded(outcome))
        guard let batchId else {
            throw ScanJobError(scan: ScanError(.feederEmpty, detail: "no page was scanned", pagesKept: 0), batchId: nil)
        }
        let document = try await DocumentPipeline(station: station, logger: logger)
            .processBatch(id: batchId, preprocessed: processed)
        let end = DispatchTime.now()
        let latencies = document.pages.compactMap { p in
            p.id.flatMap { scannedAt[$0] }.map { Double(end.uptimeNanoseconds - $0.uptimeNanoseconds) / 1e9 }
        }
        return ScanResult(batchId: batchId, settings: session.settings, outcome: outcome, document: document,
                          latencies: latencies)
    }

    /// Scans pages into a batch still being captured, without reading them (a rescan at the desk): the officer
    /// reads the batch when it is complete. Returns the pages added.
    public func capture(device: any ScannerDevice, profile: DeviceProfile, request: ScanRequest,
                        into batchId: String) async throws -> [Page] {
        guard try await station.database.batch(id: batchId)?.status == .capturing else {
            throw PipelineError(.notFound, "batch \(batchId) is not being captured")
        }
        let alreadyKept = try await station.database.pages(batchId: batchId).count
        let session = try await ScanSession.configure(device, profile: profile, request: request)
        var added: [Page] = []
        _ = try await session.run(alreadyKept: alreadyKept, maxPages: request.maxPages) { page in
            added.append(try await store(page, into: batchId, defaultDPI: session.settings.dpi))
        }
        return added
    }

    /// Stores a scanned page (a lossless PNG, content-addressed; encoding and fsync off the cooperative pool) and
    /// adds it to the batch.
    private func store(_ page: ScannedPage, into batchId: String, defaultDPI: Int) async throws -> Page {
        let f = page.frame
        let blobs = station.blobs
        let (hash, dpi) = try await Blocking.run {
            let image = try PageImage.fromRaster(f.pixels, width: f.width, height: f.height, bytesPerLine: f.bytesPerLine,
                                                 channels: f.channels, depth: f.depth, dpi: f.dpi > 0 ? f.dpi : defaultDPI)
            return (try blobs.put(try image.encoded(.png)), image.dpi)
        }
        return try await station.database.addCapturedPage(batchId: batchId, NewPage(
            sourceName: String(format: "scan-%04d%@.png", page.number, page.isBack ? "-back" : ""),
            sourcePage: 0, originalSha256: hash, format: "png", width: f.width, height: f.height,
            dpi: dpi, dpiAssumed: false))
    }
}
