/// How Tesseract is set up.
public struct OCRConfiguration: Sendable, Equatable {
    /// Tesseract language string ("vie+eng", or "script/Vietnamese+eng").
    public var languages: String
    /// tessdata directory; nil for Tesseract's default (TESSDATA_PREFIX or the packaged one).
    public var dataPath: String?
    /// Segmentation for whole pages.
    public var pageMode: SegmentationMode

    public init(languages: String = "vie+eng", dataPath: String? = nil, pageMode: SegmentationMode = .auto) {
        self.languages = languages
        self.dataPath = dataPath
        self.pageMode = pageMode
    }
}

/// Tesseract page segmentation modes sohoa uses.
public enum SegmentationMode: Int32, Sendable {
    case auto = 3
    case singleColumn = 4
    case singleBlock = 6
    case singleLine = 7
    case singleWord = 8
    case singleCharacter = 10
    case sparseText = 11
}
