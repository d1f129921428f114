import Forms
import Foundation
import Imaging
import Logging
import OCR
import Store

/// The station's long-lived parts: the store, the page files, the OCR workers and the form templates.
public final class StationParts: Sendable {
    public let configuration: StationConfiguration
    public let database: AppDatabase
    public let blobs: BlobStore
    public let ocr: OCRPool
    public let extractor: FormExtractor

    public init(_ configuration: StationConfiguration) throws {
        self.configuration = configuration
        self.blobs = try BlobStore(root: configuration.pagesURL)
        self.database = try AppDatabase.open(at: configuration.databaseURL)
        self.ocr = OCRPool(workers: configuration.workers, configuration: configuration.ocr)
        var policy = ReviewPolicy()
        if let t = configuration.reviewThreshold { policy.threshold = t }
        self.extractor = FormExtractor(templates: try FormCatalog.builtIn(), policy: policy)
    }
}
