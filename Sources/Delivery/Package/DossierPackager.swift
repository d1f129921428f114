import Foundation
import Imaging
import OCR
import Store

/// Builds a dossier's package once, when it is submitted: a searchable PDF of its pages and the JSON record that
/// names that file and the originals by their SHA-256. Both go to the content-addressed store; the record's hash
/// is the package's checksum (it covers the files' hashes).
public struct DossierPackager: Sendable {
    public let database: AppDatabase
    public let blobs: BlobStore
    /// Titles of the forms, by form id (for the component's name).
    public let formTitles: [String: String]
    /// Tesseract's glyph-less font for the PDF's text layer, when it is installed.
    public let glyphlessFont: Data?
    /// JPEG quality of the page images in the PDF.
    public var jpegQuality: Int = 60

    public init(database: AppDatabase, blobs: BlobStore, formTitles: [String: String], tessdataPath: String? = nil) {
        self.database = database
        self.blobs = blobs
        self.formTitles = formTitles
        self.glyphlessFont = Self.findGlyphlessFont(tessdataPath)
    }

    public struct Built: Sendable {
        public var record: DossierRecord
        public var recordSha256: String
    }

    /// Builds and stores the package of a draft. Pages that could not be read and blank pages are left out of the
    /// PDF; every original is listed.
    ///
    /// `reusingPDF` skips rendering and names an already stored PDF instead: benchmarks use it to queue a large
    /// backlog of real-sized packages without rendering each one.
    public func build(draftId: String, channel: String? = nil, reusingPDF: DossierRecord.File? = nil,
                      now: Date = Date()) async throws -> Built {
        guard let (draft, fields) = try await database.draft(id: draftId) else {
            throw DeliveryError(.notFound, "draft \(draftId) does not exist")
        }
        guard let batch = try await database.batch(id: draft.batchId) else {
            throw DeliveryError(.notFound, "the batch of draft \(draftId) does not exist")
        }
        let pages = try await database.pages(batchId: draft.batchId)
        let usable = pages.filter { $0.state == .processed && $0.isBlank != true && $0.cleanedSha256 != nil }
        guard !usable.isEmpty else {
            throw DeliveryError(.packageDamaged, "draft \(draftId) has no readable page to put in the dossier")
        }

        let title = draft.form.flatMap { formTitles[$0] } ?? "Hồ sơ"
        let file: DossierRecord.File
        if let reusingPDF {
            file = reusingPDF
        } else {
            // Decoding, JPEG encoding and the file's fsync block: off Swift's cooperative pool.
            let name = "\(draft.form ?? "ho-so").pdf"
            file = try await Blocking.run { [self] in
                let pdf = try SearchablePDF(title: title, pages: try usable.map(pdfPage), glyphlessFont: glyphlessFont,
                                            creationDate: now).render()
                return .init(name: name, contentType: "application/pdf", size: pdf.count, sha256: try blobs.put(pdf))
            }
        }

        let component = DossierRecord.Component(
            title: title, pageCount: usable.count, files: [file],
            originals: pages.map { .init(page: $0.seq, sha256: $0.originalSha256, format: $0.format) })
        let record = DossierRecord(
            internalId: draft.id, procedureCode: draft.procedure, procedureTitle: draft.form.flatMap { formTitles[$0] },
            formId: draft.form, receivedAt: Self.iso8601(batch.createdAt),
            channel: channel ?? Self.channel(of: batch.source), applicant: Self.applicant(fields),
            fields: fields.map { .init(key: $0.key, value: $0.value, confidence: $0.confidence, verified: !$0.needsReview) },
            components: [component])
        let hash = try await Blocking.run { [blobs] in try blobs.put(try record.encoded()) }
        return Built(record: record, recordSha256: hash)
    }

    private func pdfPage(_ page: Page) throws -> SearchablePDF.Page {
        guard let hash = page.cleanedSha256 else { throw DeliveryError(.packageDamaged, "page \(page.seq) was not cleaned") }
        let url = blobs.url(for: hash)
        guard blobs.contains(hash) else {
            throw DeliveryError(.packageDamaged, "the image of page \(page.seq) is missing from the station")
        }
        var image = try PageImage.load(url, info: try ImageProbe.probe(url), assumedDPI: page.dpi)
        if image.depth != 8 && image.depth != 32 { image = try image.grayscale() }
        let jpeg = try image.encoded(.jpeg(quality: jpegQuality))
        var words: [OCRWord] = []
        if let json = page.ocr, let ocr = try? JSONDecoder().decode(OCRPage.self, from: Data(json.utf8)) {
            words = ocr.words
        }
        return SearchablePDF.Page(jpeg: jpeg, width: image.width, height: image.height,
                                  channels: image.depth == 32 ? 3 : 1, dpi: page.dpi, words: words)
    }

    /// The person the dossier is for: the requester, the applicant, or the first party of the form.
    static func applicant(_ fields: [DraftField]) -> DossierRecord.Applicant {
        let values = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let prefix = ["requester", "applicant", "bride", "groom", "child"].first { p in
            (values["\(p).fullName"] ?? nil)?.isEmpty == false
        } ?? "requester"
        func v(_ key: String) -> String? { (values["\(prefix).\(key)"] ?? nil).flatMap { $0.isEmpty ? nil : $0 } }
        return .init(fullName: v("fullName"), dateOfBirth: v("dateOfBirth"), birthYear: v("birthYear"),
                     idNumber: v("idNumber"), residence: v("residence"), phone: v("phone"), email: v("email"))
    }

    static func channel(of source: String) -> String {
        if source.hasPrefix("hotfolder") { return "ThuMucQuet" }
        if source.hasPrefix("kiosk") { return "Kiosk" }
        return "TrucTiep"
    }

    static func iso8601(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    static func findGlyphlessFont(_ tessdataPath: String?) -> Data? {
        var candidates: [String] = []
        if let tessdataPath { candidates.append(tessdataPath) }
        if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"] { candidates.append(prefix) }
        candidates += ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                       "/usr/share/tessdata"]
        for dir in candidates {
            if let data = FileManager.default.contents(atPath: dir + "/pdf.ttf") { return data }
        }
        return nil
    }
}
