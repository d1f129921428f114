import Foundation
import Imaging
import Pipeline
import Scanning
import Store

/// One file handed in at the desk (an upload, a file brought on a stick).
public struct IncomingFile: Sendable {
    /// The name the person gave it; only its last component is kept.
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }

    /// A file name as shown, never a path: the last component, without control characters, at most 100 characters.
    public static func displayName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "trang"
        let clean = last.filter { !$0.isNewline && $0.asciiValue.map { $0 >= 32 } ?? true }
        let trimmed = String(clean.prefix(100))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "trang" : trimmed
    }
}

/// What an upload added, and what it refused with the reason (one line per file, for the officer).
public struct UploadOutcome: Sendable, Equatable {
    public var pagesAdded: Int
    public var refused: [String]
}

/// The desk's batches: open one, add pages (upload, scan), turn, move, delete or rescan a page, read the batch into
/// its draft, reopen it.
public struct Batches: Sendable {
    let app: StationApp
    var database: AppDatabase { app.parts.database }
    var blobs: BlobStore { app.parts.blobs }

    /// Opens a batch at the desk for a procedure (a code of the catalogue or of a form template).
    public func open(procedure: String, by who: Principal) async throws -> Batch {
        let known = Set(app.catalog.procedures.map(\.code) + app.parts.extractor.templates.compactMap(\.procedure))
        guard known.contains(procedure) else { throw StationError(.invalid, "choose one of the station's procedures") }
        let settings = try JSONEncoder.sorted.encode(["procedure": procedure])
        return try await stored {
            try await database.beginBatch(source: "desk:\(who.name)", captureSettings: String(decoding: settings, as: UTF8.self),
                                          actor: who.name, detail: ["procedure": procedure])
        }
    }

    /// Stores each file's pages into a batch being captured, one transaction per file (with its audit entry). A file
    /// that is not a usable image is refused with the reason; the others are kept.
    public func upload(_ files: [IncomingFile], into batchId: String, by who: Principal) async throws -> UploadOutcome {
        guard try await database.batch(id: batchId)?.status == .capturing else {
            throw StationError(.conflict, "this batch is no longer being captured")
        }
        guard !files.isEmpty else { throw StationError(.invalid, "no file in the upload") }
        var outcome = UploadOutcome(pagesAdded: 0, refused: [])
        let limits = app.parts.configuration.limits
        let assumedDPI = app.parts.configuration.assumedDPI
        let blobs = self.blobs
        for file in files {
            let name = IncomingFile.displayName(file.name)
            let probed: Result<(String, [NewPage]), ImagingError> = try await Blocking.run {
                // Probed under its own name, so that a refusal names the officer's file, not a scratch path.
                let scratch = FileManager.default.temporaryDirectory
                    .appendingPathComponent("sohoa-upload-\(UUID().uuidString)", isDirectory: true)
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: scratch) }
                let url = scratch.appendingPathComponent(name)
                try file.data.write(to: url)
                let info: ImageInfo
                do {
                    info = try ImageProbe.probe(url, limits: limits)
                } catch let e as ImagingError {
                    return .failure(e)
                }
                let hash = try blobs.put(file.data)
                let dpi = PageImage.usableDPI(info.dpi)
                let pages = info.pages.enumerated().map { index, size in
                    NewPage(sourceName: name, sourcePage: index, originalSha256: hash, format: info.format.rawValue,
                            width: size.width, height: size.height, dpi: dpi ?? assumedDPI, dpiAssumed: dpi == nil)
                }
                return .success((hash, pages))
            }
            switch probed {
            case .failure(let e):
                outcome.refused.append(e.description)
            case .success(let (_, pages)):
                _ = try await stored {
                    try await database.addUploadedPages(batchId: batchId, pages, file: name, actor: who.name)
                }
                outcome.pagesAdded += pages.count
            }
        }
        return outcome
    }

    /// Turns a page a quarter turn clockwise: a new original (PNG) takes the old one's place.
    public func rotate(batchId: String, seq: Int, by who: Principal) async throws {
        let page = try await self.page(batchId, seq)
        try await requireCapturing(batchId)
        let blobs = self.blobs
        let (hash, width, height) = try await Blocking.run {
            let url = blobs.url(for: page.originalSha256)
            let image = try PageImage.load(url, page: page.sourcePage, info: try ImageProbe.probe(url), assumedDPI: page.dpi)
            let turned = try image.rotated(quarterTurns: 1)
            return (try blobs.put(try turned.encoded(.png)), turned.width, turned.height)
        }
        try await stored {
            try await database.replacePageImage(batchId: batchId, seq: seq, sha256: hash, width: width, height: height,
                                                reason: "rotate", actor: who.name)
        }
    }

    public func move(batchId: String, seq: Int, to: Int, by who: Principal) async throws {
        try await stored { try await database.movePage(batchId: batchId, from: seq, to: to, actor: who.name) }
    }

    public func delete(batchId: String, seq: Int, by who: Principal) async throws {
        try await stored { try await database.deletePage(batchId: batchId, seq: seq, actor: who.name) }
    }

    /// Scans one sheet again in place of page `seq` (in the background).
    public func rescan(batchId: String, seq: Int, device: String, by who: Principal) async throws {
        try requireScanner(device)
        _ = try await page(batchId, seq)
        try await requireIdleCapturing(batchId)
        app.jobs.submit(.rescan(batchId: batchId, device: device, seq: seq, username: who.name))
    }

    /// Scans from one of the station's scanners into the batch (in the background), reading pages as they come.
    public func scan(batchId: String, device: String, by who: Principal) async throws {
        try requireScanner(device)
        try await requireIdleCapturing(batchId)
        try await stored {
            try await database.audit(actor: who.name, action: "batch.scan", subject: batchId, detail: ["device": device])
        }
        app.jobs.submit(.scan(batchId: batchId, device: device))
    }

    /// Reads the batch's pages into its draft (in the background).
    public func read(batchId: String, by who: Principal) async throws {
        guard let batch = try await database.batch(id: batchId) else { throw StationError(.notFound, "no such batch") }
        guard batch.status == .capturing || batch.status == .processing else {
            throw StationError(.conflict, "this batch was already read")
        }
        guard app.jobs.state(of: batchId)?.running != true else { throw StationError(.conflict, "this batch is already busy") }
        try await stored { try await database.finishCapture(batchId: batchId, actor: who.name) }
        app.jobs.submit(.read(batchId: batchId))
    }

    /// Drops the batch's draft (not yet submitted) so that its pages can be changed and read again.
    public func reopen(batchId: String, by who: Principal) async throws {
        try await stored { try await database.reopenBatch(batchId: batchId, actor: who.name) }
    }

    /// Reads files into a new batch and its draft at once (`sohoa process`).
    public func process(files: [URL], source: String = "files",
                        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async throws -> ProcessedDocument {
        try await DocumentPipeline(station: app.parts, logger: app.logger).process(files: files, source: source,
                                                                                   progress: progress)
    }

    /// Reads the pages a batch already has into its draft, in the foreground (`sohoa batches finish`).
    public func finish(batchId: String) async throws -> ProcessedDocument {
        guard let batch = try await database.batch(id: batchId) else { throw StationError(.notFound, "no batch \(batchId)") }
        guard batch.status == .capturing || batch.status == .processing else {
            throw StationError(.conflict, "batch \(batchId) is \(batch.status.rawValue): it already has its draft")
        }
        return try await DocumentPipeline(station: app.parts, logger: app.logger).processBatch(id: batchId)
    }

    /// Scans from an opened scanner into a new batch (or resumes one), reading pages as they come (`sohoa scan`).
    public func scan(device: any ScannerDevice, profile: DeviceProfile, request: ScanRequest, resume: String? = nil,
                     onEvent: @escaping @Sendable (ScanEvent) -> Void = { _ in }) async throws -> ScanResult {
        try await ScanJob(station: app.parts, logger: app.logger).run(device: device, profile: profile, request: request,
                                                                      resume: resume, progress: onEvent)
    }

    /// Takes network scanners' files from a folder into batches, until cancelled (`sohoa watch`, `serve --watch`).
    public func hotFolder(_ directory: URL, settle: TimeInterval = 2, interval: TimeInterval = 1) throws -> HotFolderWatcher {
        try HotFolderWatcher(station: app.parts, directory: directory, settle: settle, interval: interval,
                             logger: app.logger)
    }

    // MARK: Checks

    func page(_ batchId: String, _ seq: Int) async throws -> Page {
        guard let page = try await database.pages(batchId: batchId).first(where: { $0.seq == seq }) else {
            throw StationError(.notFound, "no such page")
        }
        return page
    }

    func requireCapturing(_ batchId: String) async throws {
        guard let batch = try await database.batch(id: batchId) else { throw StationError(.notFound, "no such batch") }
        guard batch.status == .capturing else {
            throw StationError(.conflict, "this batch is no longer being captured: reopen it to change its pages")
        }
    }

    func requireIdleCapturing(_ batchId: String) async throws {
        try await requireCapturing(batchId)
        guard app.jobs.state(of: batchId)?.running != true else { throw StationError(.conflict, "this batch is already busy") }
    }

    func requireScanner(_ device: String) throws {
        guard app.scanners?.devices.contains(device) == true else {
            throw StationError(.invalid, "choose one of the station's scanners")
        }
    }
}

extension JSONEncoder {
    /// Keys sorted, slashes as they are: stable bytes for settings and records.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
