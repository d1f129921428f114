import Forms
import Foundation
import Imaging
import Logging
import OCR
import Store

/// Progress of one document, for a terminal or a UI.
public enum ProgressEvent: Sendable {
    case pagesFound(Int)
    case pageDone(done: Int, total: Int, seconds: Double)
    case pageFailed(InputFailure)
    case extracting
    case stored(draftId: String)
}

/// What processing one document produced.
public struct ProcessedDocument: Sendable {
    public var draft: Draft
    public var fields: [DraftField]
    public var pages: [Page]
    public var failures: [InputFailure]
    /// OCR text of each page, in order.
    public var texts: [String]
    /// What extraction read, with each field's check issues (in memory only; the store keeps the fields above).
    public var extraction: Extraction
}

extension ProcessedDocument {
    /// The stored fields as scoring sees them, each with whether it is flagged whatever the review threshold.
    public func readings(policy: ReviewPolicy) -> [Evaluator.Reading] {
        let read = Dictionary(extraction.fields.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        return fields.map { f in
            Evaluator.Reading(key: f.key, value: f.value, flagged: f.needsReview, confidence: f.confidence,
                              hardFlag: read[f.key].map(policy.flagsWhateverTheThreshold) ?? f.needsReview)
        }
    }
}

/// Files in, a stored draft out: probe → (decode, clean, OCR) per page on bounded workers → extract → store.
public struct DocumentPipeline: Sendable {
    public let station: StationParts
    public let logger: Logger

    public init(station: StationParts,
                logger: Logger = Logger(label: "sohoa.pipeline", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.station = station
        self.logger = logger
    }

    /// Treats `files` as the pages of one document, in order. Bad files are reported in `failures` and skipped;
    /// throws only when no page at all could be used (then nothing is stored). `origin` records a hot-folder
    /// file's hash with the draft, in the same transaction.
    public func process(files: [URL], source: String = "files", origin: (sha256: String, name: String)? = nil,
                        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async throws -> ProcessedDocument {
        let (inputs, probeFailures) = PageSteps.inputs(for: files, limits: station.configuration.limits)
        probeFailures.forEach { progress(.pageFailed($0)) }
        progress(.pagesFound(inputs.count))
        let (pages, pageFailures) = await processPages(inputs, progress: progress)
        let failures = probeFailures + pageFailures
        guard !pages.isEmpty else {
            let reasons = failures.map(\.description).joined(separator: "; ")
            throw PipelineError(.noUsablePage, "no usable page in the document: \(reasons)")
        }
        progress(.extracting)
        let extraction = await extract(pages)
        let stored = try await store(pages, extraction: extraction, source: source, origin: origin)
        progress(.stored(draftId: stored.0.id))
        logStored(stored.0, pages: pages.count, extraction: extraction)
        return ProcessedDocument(draft: stored.0, fields: stored.1, pages: stored.2, failures: failures,
                                 texts: pages.map(\.ocr.text), extraction: extraction)
    }

    /// Processes a captured batch (scanner pages already in the store) into its draft. The pages stay stored
    /// whatever happens; a page that cannot be processed is marked failed with its reason.
    /// `preprocessed` holds pages already cleaned and read while the scanner was still feeding (by page id).
    public func processBatch(id batchId: String, preprocessed: [Int64: ProcessedPage] = [:],
                             progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async throws -> ProcessedDocument {
        let database = station.database
        try await database.finishCapture(batchId: batchId)
        let stored = try await database.pages(batchId: batchId)
        var inputs: [PageInput] = []
        var failures: [InputFailure] = []
        var outcomes: [Int64: Result<PageResult, PageFailure>] = [:]
        for page in stored where page.id.map({ preprocessed[$0] == nil }) ?? true {
            let url = station.blobs.url(for: page.originalSha256)
            do {
                let info = try ImageProbe.probe(url, limits: station.configuration.limits)
                inputs.append(PageInput(url: url, pageIndex: page.sourcePage, info: info, name: page.sourceName,
                                        pageId: page.id))
            } catch {
                let f = InputFailure(file: page.sourceName, page: page.sourcePage,
                                     error: error as? ImagingError ?? ImagingError(.unreadable, file: page.sourceName, "\(error)"),
                                     pageId: page.id)
                failures.append(f)
                if let id = page.id { outcomes[id] = .failure(PageFailure(f.description)) }
                progress(.pageFailed(f))
            }
        }
        progress(.pagesFound(inputs.count))
        let (fresh, pageFailures) = await processPages(inputs, progress: progress)
        failures += pageFailures
        // Back in the batch's order.
        let order = Dictionary(uniqueKeysWithValues: stored.compactMap { p in p.id.map { ($0, p.seq) } })
        let pages = (fresh + preprocessed.values).sorted { order[$0.input.pageId ?? 0] ?? 0 < order[$1.input.pageId ?? 0] ?? 0 }
        guard !pages.isEmpty else {
            let reasons = failures.map(\.description).joined(separator: "; ")
            throw PipelineError(.noUsablePage, "no usable page in batch \(batchId): \(reasons)")
        }
        for f in pageFailures {
            if let id = f.pageId { outcomes[id] = .failure(PageFailure(f.description)) }
        }
        progress(.extracting)
        let extraction = await extract(pages)
        for p in pages {
            guard let id = p.input.pageId else { continue }
            outcomes[id] = .success(try await pageResult(p))
        }
        let (draft, fields, storedPages) = try await database.completeBatch(
            batchId: batchId, results: outcomes, form: extraction.form, procedure: extraction.procedure,
            fields: newFields(extraction))
        progress(.stored(draftId: draft.id))
        logStored(draft, pages: pages.count, extraction: extraction)
        return ProcessedDocument(draft: draft, fields: fields, pages: storedPages, failures: failures,
                                 texts: pages.map(\.ocr.text), extraction: extraction)
    }

    /// Form recognition and field reading over the processed pages (blank ones left out).
    func extract(_ pages: [ProcessedPage]) async -> Extraction {
        let nonBlank = pages.filter { !$0.cleaned.isBlank }
        let textPages = nonBlank.map { PageSteps.textPage($0.ocr, rules: $0.rules) }
        let reader = CropRereader(pool: station.ocr, images: nonBlank.map(\.cleaned.gray))
        var extraction = await station.extractor.extract(textPages, reader: reader)
        // Page numbers in the draft count every stored page, blank ones included.
        let pageNumbers = pages.enumerated().filter { !$0.element.cleaned.isBlank }.map { $0.offset + 1 }
        for i in extraction.fields.indices {
            if let p = extraction.fields[i].page, p >= 1, p <= pageNumbers.count { extraction.fields[i].page = pageNumbers[p - 1] }
        }
        return extraction
    }

    func logStored(_ draft: Draft, pages: Int, extraction: Extraction) {
        logger.info("document stored", metadata: [
            "draft.id": "\(draft.id)", "pages": "\(pages)", "form": "\(extraction.form ?? "-")",
            "flagged": "\(extraction.fields.filter(\.needsReview).count)",
        ])
    }

    /// Says what was done about a photo or a camera capture (never anything read from the page).
    func logCapture(_ p: ProcessedPage) {
        let c = p.cleaned.capture
        guard c.sheet != nil || c.estimatedDPI != nil || c.lightEvened else { return }
        logger.notice("page captured as a photo or by a camera: corrected", metadata: [
            "file": "\(p.input.name)", "page": "\(p.input.pageIndex + 1)",
            "sheet.unwarped": "\(c.sheet != nil)",
            "dpi.header": "\(p.input.info.dpi.map(String.init) ?? "none")",
            "dpi.measured": "\(c.estimatedDPI.map(String.init) ?? "-")",
            "light.evened": "\(c.lightEvened)",
        ])
    }

    /// Pages in parallel, at most one per OCR worker; results in input order.
    func processPages(_ inputs: [PageInput], progress: @escaping @Sendable (ProgressEvent) -> Void) async
        -> ([ProcessedPage], [InputFailure]) {
        let pool = station.ocr
        let dpi = station.configuration.assumedDPI
        var results = [Result<ProcessedPage, InputFailure>?](repeating: nil, count: inputs.count)
        await withTaskGroup(of: (Int, Result<ProcessedPage, InputFailure>).self) { group in
            var next = 0
            var done = 0
            func launch(_ i: Int) {
                let input = inputs[i]
                group.addTask {
                    do {
                        let page = try await pool.run { engine in try PageSteps.process(input, engine: engine, assumedDPI: dpi) }
                        return (i, .success(page))
                    } catch let error as ImagingError {
                        let e = ImagingError(error.code, file: input.name,
                                             (input.info.pageCount > 1 ? "page \(input.pageIndex + 1): " : "") + error.detail)
                        return (i, .failure(InputFailure(file: input.name, page: input.pageIndex, error: e, pageId: input.pageId)))
                    } catch {
                        let e = ImagingError(.operationFailed, file: input.name, "\(error)")
                        return (i, .failure(InputFailure(file: input.name, page: input.pageIndex, error: e, pageId: input.pageId)))
                    }
                }
            }
            // Keep the queue bounded: a few pages ahead of the workers, not the whole document in memory.
            while next < min(inputs.count, pool.workerCount + 1) { launch(next); next += 1 }
            while let (i, result) = await group.next() {
                results[i] = result
                done += 1
                switch result {
                case .success(let p):
                    logCapture(p)
                    progress(.pageDone(done: done, total: inputs.count, seconds: p.seconds))
                case .failure(let f): progress(.pageFailed(f))
                }
                if next < inputs.count { launch(next); next += 1 }
            }
        }
        var pages: [ProcessedPage] = []
        var failures: [InputFailure] = []
        for r in results {
            switch r {
            case .success(let p)?: pages.append(p)
            case .failure(let f)?: failures.append(f)
            case nil: break
            }
        }
        return (pages, failures)
    }

    /// Page files first (content-addressed, atomic), then batch, pages, results and draft in one transaction.
    func store(_ pages: [ProcessedPage], extraction: Extraction, source: String,
               origin: (sha256: String, name: String)?) async throws -> (Draft, [DraftField], [Page]) {
        var newPages: [NewPage] = []
        var results: [PageResult] = []
        let blobs = station.blobs
        for p in pages {
            let url = p.input.url
            let originalHash = try await Blocking.run { try blobs.put(try Data(contentsOf: url)) }
            let size = p.input.info.pages[p.input.pageIndex]
            newPages.append(NewPage(sourceName: p.input.name, sourcePage: p.input.pageIndex,
                                    originalSha256: originalHash, format: p.input.info.format.rawValue,
                                    width: size.width, height: size.height, dpi: p.cleaned.gray.dpi,
                                    dpiAssumed: p.dpiAssumed))
            results.append(try await pageResult(p))
        }
        return try await station.database.storeDocument(
            source: source, pages: newPages, results: results, form: extraction.form, procedure: extraction.procedure,
            fields: newFields(extraction), origin: origin)
    }

    /// The cleaned image goes to the page store (PNG encoding and fsync off the cooperative pool); the rest is the
    /// page's row.
    func pageResult(_ p: ProcessedPage) async throws -> PageResult {
        let blobs = station.blobs
        let cleanedHash = try await Blocking.run { try blobs.put(try p.cleaned.gray.encoded(.png)) }
        return PageResult(cleanedSha256: cleanedHash, quarterTurns: p.cleaned.quarterTurns,
                          skewDegrees: p.cleaned.skewDegrees, isBlank: p.cleaned.isBlank,
                          ocrJSON: String(decoding: try JSONEncoder().encode(p.ocr), as: UTF8.self))
    }

    func newFields(_ extraction: Extraction) -> [NewField] {
        extraction.fields.map {
            NewField(key: $0.key, value: $0.value, raw: $0.raw, confidence: $0.confidence, needsReview: $0.needsReview,
                     page: $0.page, box: $0.box?.array)
        }
    }
}
