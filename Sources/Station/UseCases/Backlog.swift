import Delivery
import Foundation
import Store

extension Drafts {
    /// For the delivery benchmark (`sohoa bench-deliver`): `count` copies of an already read dossier, each a new
    /// draft queued with its own record and idempotency key but sharing one rendered PDF, so that a large backlog
    /// measures queueing and delivery rather than rendering. Each copy is stored, then queued, one transaction each.
    public func queueCopies(of document: ProcessedDocumentSnapshot, count: Int, sharing pdf: DossierRecord.File,
                            by who: Principal) async throws {
        let packager = DossierPackager(database: database, blobs: app.parts.blobs, formTitles: app.editor.titles,
                                       tessdataPath: app.parts.configuration.ocr.dataPath)
        for _ in 0..<max(0, count) {
            let (draft, _, _) = try await stored {
                try await database.storeDocument(source: "bench", pages: document.pages, results: document.results,
                                                 form: document.form, procedure: document.procedure,
                                                 fields: document.fields)
            }
            let built = try await packager.build(draftId: draft.id, reusingPDF: pdf)
            _ = try await stored {
                try await database.enqueueDelivery(draftId: draft.id, recordSha256: built.recordSha256,
                                                   acceptFlagged: true, actor: who.name)
            }
        }
    }
}

/// What a read dossier stored, in the form the store takes it again (for ``Drafts/queueCopies(of:count:sharing:by:)``).
public struct ProcessedDocumentSnapshot: Sendable {
    public var pages: [NewPage]
    public var results: [PageResult]
    public var fields: [NewField]
    public var form: String?
    public var procedure: String?

    public init(draft: Draft, fields: [DraftField], pages: [Page]) {
        let processed = pages.filter { $0.state == .processed }
        self.pages = processed.map {
            NewPage(sourceName: $0.sourceName, sourcePage: $0.sourcePage, originalSha256: $0.originalSha256,
                    format: $0.format, width: $0.width, height: $0.height, dpi: $0.dpi, dpiAssumed: $0.dpiAssumed)
        }
        results = processed.map {
            PageResult(cleanedSha256: $0.cleanedSha256 ?? "", quarterTurns: $0.quarterTurns ?? 0,
                       skewDegrees: $0.skewDegrees ?? 0, isBlank: $0.isBlank ?? false, ocrJSON: $0.ocr ?? "{}")
        }
        self.fields = fields.map {
            NewField(key: $0.key, value: $0.value, raw: $0.raw, confidence: $0.confidence, needsReview: $0.needsReview,
                     page: $0.page, box: $0.box)
        }
        form = draft.form
        procedure = draft.procedure
    }
}
