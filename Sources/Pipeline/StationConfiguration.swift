import Foundation
import Imaging
import OCR

/// Where the station keeps its data and how it processes pages. Read in one place (the CLI) and passed down.
public struct StationConfiguration: Sendable {
    public var dataDirectory: URL
    public var ocr: OCRConfiguration
    /// Pages processed at once (one Tesseract engine each).
    public var workers: Int
    public var limits: ImageLimits
    /// Resolution assumed for files that do not state one.
    public var assumedDPI: Int
    public var reviewThreshold: Double?

    public init(dataDirectory: URL = StationConfiguration.defaultDataDirectory(), ocr: OCRConfiguration = .init(),
                workers: Int = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)),
                limits: ImageLimits = .standard, assumedDPI: Int = 300, reviewThreshold: Double? = nil) {
        self.dataDirectory = dataDirectory
        self.ocr = ocr
        self.workers = workers
        self.limits = limits
        self.assumedDPI = assumedDPI
        self.reviewThreshold = reviewThreshold
    }

    /// `$SOHOA_DATA`, else `$XDG_DATA_HOME/sohoa`, else `~/.local/share/sohoa`.
    public static func defaultDataDirectory() -> URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["SOHOA_DATA"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("sohoa", isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".local/share/sohoa", isDirectory: true)
    }

    public var databaseURL: URL { dataDirectory.appendingPathComponent("sohoa.sqlite") }
    public var pagesURL: URL { dataDirectory.appendingPathComponent("pages", isDirectory: true) }
}
