import CaseSimulator
import Delivery
import Foundation
import Imaging
import Logging
import OCR
import Pipeline
import Store
@_exported import TestSupport

let samplesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples")

func temporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-delivery-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A station on a fresh data directory (one OCR worker: these tests read at most one real page).
func makeStation(_ dir: URL = temporaryDirectory()) throws -> StationParts {
    try StationParts(StationConfiguration(dataDirectory: dir, workers: 1))
}

func packager(_ station: StationParts) -> DossierPackager {
    let titles = Dictionary(station.extractor.templates.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
    return DossierPackager(database: station.database, blobs: station.blobs, formTitles: titles)
}

/// A page the test renders: a grey sheet with dark word-shaped bars (distinct per `seed`), stored as the
/// original and the cleaned image, with OCR words over the bars.
struct RenderedPage {
    var page: NewPage
    var result: PageResult
}

func renderPage(_ station: StationParts, seed: Int, words: [String] = ["NGUYỄN", "THỊ", "HỒNG", "NHUNG"],
                shareOriginal: Data? = nil) throws -> RenderedPage {
    let (width, height) = (620, 240)
    var pixels = [UInt8](repeating: 235, count: width * height)
    var ocrWords: [OCRWord] = []
    var x = 20
    for (i, word) in words.enumerated() {
        let w = 30 + word.count * 18
        for yy in 100..<140 { for xx in x..<min(width, x + w) { pixels[yy * width + xx] = UInt8(20 + (seed + i) % 60) } }
        ocrWords.append(OCRWord(text: word, confidence: 0.95, box: PixelRect(x: x, y: 100, width: w, height: 40)))
        x += w + 14
    }
    // A seed-dependent mark so that every page's bytes differ.
    for i in 0..<16 where (seed >> (i % 16)) & 1 == 1 { pixels[10 * width + 10 + i] = 0 }
    let image = try PageImage.fromGray8(pixels, width: width, height: height, dpi: 150)
    let png = try image.encoded(.png)
    let original = try station.blobs.put(shareOriginal ?? png)
    let cleaned = try station.blobs.put(png)
    let ocr = OCRPage(width: width, height: height, dpi: 150, lines: [OCRLine(words: ocrWords)])
    let json = String(decoding: try JSONEncoder().encode(ocr), as: UTF8.self)
    return RenderedPage(
        page: NewPage(sourceName: "trang-\(seed).png", sourcePage: 0, originalSha256: original, format: "png",
                      width: width, height: height, dpi: 150, dpiAssumed: false),
        result: PageResult(cleanedSha256: cleaned, quarterTurns: 0, skewDegrees: 0, isBlank: false, ocrJSON: json))
}

/// A stored draft of a recognised form with one rendered page; `flagged` keys need review.
@discardableResult
func makeDraft(_ station: StationParts, seed: Int, flagged: Set<String> = [], shareOriginal: Data? = nil) async throws -> Draft {
    let rendered = try renderPage(station, seed: seed, shareOriginal: shareOriginal)
    let fields = [
        NewField(key: "requester.fullName", value: "NGUYỄN THỊ HỒNG NHUNG", raw: "NGUYỄN THỊ HỒNG NHUNG",
                 confidence: 0.97, needsReview: flagged.contains("requester.fullName"), page: 1, box: [20, 100, 500, 40]),
        NewField(key: "requester.idNumber", value: String(format: "0251880%05d", seed), raw: nil, confidence: 0.99,
                 needsReview: flagged.contains("requester.idNumber"), page: 1, box: nil),
        NewField(key: "child.fullName", value: "TRẦN VĂN AN", raw: nil, confidence: 0.9,
                 needsReview: flagged.contains("child.fullName"), page: 1, box: nil),
    ]
    let (draft, _, _) = try await station.database.storeDocument(
        source: "files", pages: [rendered.page], results: [rendered.result], form: "khai-sinh", procedure: "1.001193",
        fields: fields)
    return draft
}

/// Builds the draft's package and queues it, as `sohoa submit` does.
@discardableResult
func submit(_ station: StationParts, _ draftId: String, acceptFlagged: Bool = false) async throws -> OutboxEntry {
    let built = try await packager(station).build(draftId: draftId)
    return try await station.database.enqueueDelivery(draftId: draftId, recordSha256: built.recordSha256,
                                                acceptFlagged: acceptFlagged, actor: "test")
}

let simulatorCredentials = (id: "tram-test", secret: "secret-\(UUID().uuidString)")

func startSimulator(port: Int = 0, _ change: (inout SimulatorConfiguration) -> Void = { _ in }) async throws
    -> RunningSimulator {
    var config = SimulatorConfiguration(clientId: simulatorCredentials.id, clientSecret: simulatorCredentials.secret)
    change(&config)
    var logger = Logger(label: "test.case-sim")
    logger.logLevel = .critical
    return try await RunningSimulator.start(try CaseSimulator(config, logger: logger), port: port)
}

func restClient(_ base: URL, secret: String = simulatorCredentials.secret, timeout: TimeInterval = 30) throws
    -> RESTCaseSystem {
    try RESTCaseSystem(.init(baseURL: base, auth: .oauth2(clientId: simulatorCredentials.id, clientSecret: secret,
                                                          tokenURL: nil),
                             connectTimeout: 1, requestTimeout: timeout))
}

/// A worker with short backoffs, for tests.
func fastWorker(_ station: StationParts, _ caseSystem: any CaseSystem, concurrency: Int = 2,
                retention: TimeInterval? = nil) -> DeliveryWorker {
    DeliveryWorker(database: station.database, blobs: station.blobs, caseSystem: caseSystem,
                   configuration: DeliveryConfiguration(concurrency: concurrency, lease: 30, idlePoll: 0.02,
                                                        retry: RetryPolicy(baseDelay: 0.02, maxDelay: 0.2),
                                                        retention: retention))
}

/// The environment a station process gets: the simulator's credentials.
func stationEnvironment() -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["SOHOA_CASE_CLIENT_ID"] = simulatorCredentials.id
    env["SOHOA_CASE_CLIENT_SECRET"] = simulatorCredentials.secret
    env.removeValue(forKey: "SOHOA_CASE_API_KEY")
    return env
}

func runSohoa(_ args: [String], environment: [String: String] = stationEnvironment()) async throws -> CommandResult {
    try await runProgram(sohoaExecutable(), args, environment: environment)
}

/// A command-line tool (poppler's pdftotext and pdfinfo, openssl).
func runTool(_ path: String, _ args: [String]) async throws -> CommandResult {
    try await runProgram(URL(fileURLWithPath: path), args)
}

/// Runs `body`, then closes the client's connections whether or not `body` threw (a client must be shut down).
func closing<T>(_ client: RESTCaseSystem, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
