import Imaging

/// Why a document, or one of its files, could not be processed.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case noUsablePage = "pipeline.no_usable_page"
        case notFound = "pipeline.not_found"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }
}

/// A file (or one page of it) that was refused, and why; the rest of the document goes on.
public struct InputFailure: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var page: Int?
    public var error: ImagingError
    /// The stored page it was, when processing a captured batch.
    public var pageId: Int64?

    public init(file: String, page: Int?, error: ImagingError, pageId: Int64? = nil) {
        self.file = file
        self.page = page
        self.error = error
        self.pageId = pageId
    }

    public var description: String { error.description }
}
