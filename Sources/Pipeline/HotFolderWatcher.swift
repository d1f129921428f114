import Foundation
import Imaging
import Logging
import Scanning
import Store

/// What happened to one file from the hot folder.
public struct HotFolderEvent: Sendable {
    public enum Kind: String, Sendable { case ingested, duplicate, failed, deferred }
    public var kind: Kind
    public var file: String
    public var draftId: String?
    /// Why it failed or was a duplicate (no citizen data).
    public var reason: String?
}

/// Takes complete files from a hot folder into the station: each file is one document (a multi-page TIFF is
/// one document), never the same bytes twice, and a bad file goes to `failed/` without stopping the watcher.
public final class HotFolderWatcher: Sendable {
    public let station: StationParts
    public let interval: TimeInterval
    let logger: Logger
    private let folder: LockedValue<HotFolder>

    public init(station: StationParts, directory: URL, settle: TimeInterval = 2, interval: TimeInterval = 1,
                logger: Logger = Logger(label: "sohoa.hotfolder", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        self.station = station
        self.interval = interval
        self.logger = logger
        self.folder = LockedValue(try HotFolder(inbox: directory, settle: settle))
    }

    /// Watches until cancelled.
    public func run(onEvent: @escaping @Sendable (HotFolderEvent) -> Void = { _ in }) async {
        while !Task.isCancelled {
            await pollOnce(onEvent: onEvent)
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }

    /// Takes what is in the folder now once it has settled, then returns (`sohoa watch --once`).
    public func drain(onEvent: @escaping @Sendable (HotFolderEvent) -> Void = { _ in }) async -> [HotFolderEvent] {
        let settle = folder.withLock { folder in
            _ = folder.poll()  // first sight of each file
            return folder.settle
        }
        try? await Task.sleep(nanoseconds: UInt64((settle + 0.05) * 1e9))
        return await pollOnce(onEvent: onEvent)
    }

    /// One look at the folder; each stable file is taken in turn.
    @discardableResult
    public func pollOnce(now: Date = Date(), onEvent: @escaping @Sendable (HotFolderEvent) -> Void = { _ in }) async
        -> [HotFolderEvent] {
        let ready = folder.withLock { $0.poll(now: now) }
        var events: [HotFolderEvent] = []
        for url in ready {
            let event = await take(url)
            events.append(event)
            onEvent(event)
        }
        return events
    }

    func take(_ url: URL) async -> HotFolderEvent {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            // Gone or unreadable for now (a scanner still holding it?): look again later.
            folder.withLock { $0.postpone(url, until: Date().addingTimeInterval(10)) }
            return HotFolderEvent(kind: .deferred, file: name, reason: "cannot read the file yet")
        }
        let hash = SHA256.hex(data)
        do {
            if let earlier = try await station.database.ingestedFile(sha256: hash) {
                let reason = "Trùng nội dung với tệp \(earlier.name) đã nhận trước đó; không nhận lại. "
                    + "(Same content as \(earlier.name), taken before: not taken again.)"
                try folder.withLock { _ = try $0.archive(url, as: .done, reason: reason) }
                logger.info("hot folder: duplicate", metadata: ["file": "\(name)", "batch.id": "\(earlier.batchId ?? "-")"])
                return HotFolderEvent(kind: .duplicate, file: name, reason: reason)
            }
        } catch {
            return deferStoreError(url, error)
        }
        do {
            let document = try await DocumentPipeline(station: station, logger: logger)
                .process(files: [url], source: "hotfolder", origin: (hash, name))
            let warnings = document.failures.map(\.description)
            let reason = warnings.isEmpty ? nil
                : "Một số trang không đọc được (Some pages were refused):\n" + warnings.joined(separator: "\n")
            try folder.withLock { _ = try $0.archive(url, as: .done, reason: reason) }
            logger.info("hot folder: taken", metadata: ["file": "\(name)", "draft.id": "\(document.draft.id)"])
            return HotFolderEvent(kind: .ingested, file: name, draftId: document.draft.id, reason: reason)
        } catch let error as PipelineError where error.code == .noUsablePage {
            let message = "Không nhận được tệp: không có trang nào đọc được. Kiểm tra máy quét lưu ảnh PNG, JPEG hoặc TIFF rồi quét lại.\n"
                + "Not taken: no usable page. Make the scanner save PNG, JPEG or TIFF and scan again.\n" + error.detail
            do {
                try folder.withLock { _ = try $0.archive(url, as: .failed, reason: message) }
            } catch {
                folder.withLock { $0.postpone(url, until: Date().addingTimeInterval(60)) }
            }
            logger.warning("hot folder: refused", metadata: ["file": "\(name)", "error": "\(error.code.rawValue)"])
            return HotFolderEvent(kind: .failed, file: name, reason: message)
        } catch {
            return deferStoreError(url, error)
        }
    }

    /// The station itself failed (disk full, database locked): keep the file where it is and try later.
    func deferStoreError(_ url: URL, _ error: Error) -> HotFolderEvent {
        folder.withLock { $0.postpone(url, until: Date().addingTimeInterval(30)) }
        logger.error("hot folder: station error, file left in place", metadata: [
            "file": "\(url.lastPathComponent)", "error": "\(error)",
        ])
        return HotFolderEvent(kind: .deferred, file: url.lastPathComponent, reason: "\(error)")
    }
}
