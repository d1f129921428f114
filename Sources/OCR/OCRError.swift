/// Why OCR could not run.
public struct OCRError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case engineUnavailable = "ocr.engine_unavailable"
        case recognitionFailed = "ocr.recognition_failed"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }
}
