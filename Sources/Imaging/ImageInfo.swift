/// What an image file says about itself before any pixel is decoded.
public struct ImageInfo: Sendable, Equatable {
    public enum Format: String, Sendable, Codable {
        case png, jpeg, tiff, pnm
    }

    public var format: Format
    /// Size of each page (multi-page TIFF has several).
    public var pages: [PageSize]
    /// Resolution in dots per inch as written in the file, nil when the file does not say.
    public var dpi: Int?

    public struct PageSize: Sendable, Equatable {
        public var width: Int
        public var height: Int
    }

    public var pageCount: Int { pages.count }
}

/// Limits on what a page may be before it is decoded.
public struct ImageLimits: Sendable {
    /// Pixels per page (width × height).
    public var maxPixels: Int
    /// Longest side.
    public var maxSide: Int
    /// Shortest side.
    public var minSide: Int
    /// Longest side / shortest side.
    public var maxAspect: Double
    /// Pages in one file.
    public var maxPages: Int

    public init(maxPixels: Int = 100_000_000, maxSide: Int = 30_000, minSide: Int = 32, maxAspect: Double = 12,
                maxPages: Int = 500) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.minSide = minSide
        self.maxAspect = maxAspect
        self.maxPages = maxPages
    }

    public static let standard = ImageLimits()
}
