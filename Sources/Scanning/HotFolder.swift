import Foundation

/// A folder network scanners drop files into (scan to folder). A file is handed over only once it is complete:
/// its size and modification time unchanged for `settle` seconds. Taken files move to `done/`, refused ones to
/// `failed/` with a reason file beside them.
public struct HotFolder: Sendable {
    public let inbox: URL
    public let doneDirectory: URL
    public let failedDirectory: URL
    /// Seconds a file's size and mtime must stay the same before it is taken.
    public let settle: TimeInterval

    struct Observation: Sendable {
        var size: Int
        var modified: Date
        var unchangedSince: Date
    }

    private var observed: [String: Observation] = [:]
    /// Files to leave alone until a time (a store error: try again later, don't spin).
    private var deferred: [String: Date] = [:]

    public init(inbox: URL, settle: TimeInterval = 2) throws {
        self.inbox = inbox
        self.doneDirectory = inbox.appendingPathComponent("done", isDirectory: true)
        self.failedDirectory = inbox.appendingPathComponent("failed", isDirectory: true)
        self.settle = settle
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: inbox.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ScanError(.deviceNotFound, detail: "hot folder \(inbox.path) does not exist or is not a directory")
        }
        try fm.createDirectory(at: doneDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(at: failedDirectory, withIntermediateDirectories: true)
    }

    /// Looks at the folder and returns the files that have been stable for `settle` seconds, oldest first.
    /// Files still being written, hidden files and partial downloads are left for a later look.
    public mutating func poll(now: Date = Date()) -> [URL] {
        let fm = FileManager.default
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let entries = try? fm.contentsOfDirectory(at: inbox, includingPropertiesForKeys: keys,
                                                        options: [.skipsHiddenFiles]) else { return [] }
        var present: Set<String> = []
        var ready: [(URL, Date)] = []
        for url in entries {
            let name = url.lastPathComponent
            guard !Self.isPartial(name),
                  let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                  let size = values.fileSize, let modified = values.contentModificationDate else { continue }
            present.insert(name)
            if let until = deferred[name], until > now { continue }
            if var seen = observed[name], seen.size == size, seen.modified == modified {
                // An empty file is a scanner that has created its file but not written yet.
                if size > 0 && now.timeIntervalSince(seen.unchangedSince) >= settle {
                    ready.append((url, modified))
                }
                seen.size = size
                observed[name] = seen
            } else {
                observed[name] = Observation(size: size, modified: modified, unchangedSince: now)
            }
        }
        observed = observed.filter { present.contains($0.key) }
        deferred = deferred.filter { present.contains($0.key) }
        return ready.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Leaves a file where it is until `until` (it will be offered again then).
    public mutating func postpone(_ url: URL, until: Date) {
        deferred[url.lastPathComponent] = until
        observed[url.lastPathComponent] = nil
    }

    public enum Outcome: Sendable { case done, failed }

    /// Moves a handled file out of the inbox, with a reason file when there is something to say.
    /// Returns the file's new place.
    @discardableResult
    public mutating func archive(_ url: URL, as outcome: Outcome, reason: String? = nil) throws -> URL {
        let dir = outcome == .done ? doneDirectory : failedDirectory
        let fm = FileManager.default
        var target = dir.appendingPathComponent(url.lastPathComponent)
        if fm.fileExists(atPath: target.path) {
            let stamp = Self.stamp(Date())
            let base = url.deletingPathExtension().lastPathComponent, ext = url.pathExtension
            target = dir.appendingPathComponent(ext.isEmpty ? "\(base)-\(stamp)" : "\(base)-\(stamp).\(ext)")
        }
        if let reason {
            try Data((reason + "\n").utf8).write(to: target.appendingPathExtension("reason.txt"), options: .atomic)
        }
        try fm.moveItem(at: url, to: target)
        observed[url.lastPathComponent] = nil
        return target
    }

    static func isPartial(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".part", ".tmp", ".crdownload", ".partial", ".filepart", "~"].contains { lower.hasSuffix($0) }
    }

    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss.SSS"
        return f.string(from: date)
    }
}
