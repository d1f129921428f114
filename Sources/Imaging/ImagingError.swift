import Foundation

/// Why a page image could not be used. Messages name the file and the problem, never page content.
public struct ImagingError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case unreadable = "image.unreadable"
        case empty = "image.empty"
        case notAnImage = "image.not_an_image"
        case corrupt = "image.corrupt"
        case tooLarge = "image.too_large"
        case absurdDimensions = "image.absurd_dimensions"
        case noSuchPage = "image.no_such_page"
        case operationFailed = "image.operation_failed"
        /// A photo with no sheet of paper in it.
        case noPage = "image.no_page"
        /// A page too small (too few pixels for its size) to read.
        case tooSmall = "image.too_small"
    }

    public let code: Code
    public let file: String
    public let detail: String

    public init(_ code: Code, file: String, _ detail: String) {
        self.code = code
        self.file = file
        self.detail = detail
    }

    public var description: String {
        let name = file.isEmpty ? "" : "\(file): "
        return "\(name)\(detail)"
    }
}
