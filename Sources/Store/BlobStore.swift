import Foundation

/// Content-addressed files on disk (`<root>/ab/cdef…`), named by SHA-256, written atomically:
/// temp file, fsync, rename, fsync of the directory. A crash leaves either the whole file or none.
public struct BlobStore: Sendable {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    public func url(for hash: String) -> URL {
        root.appendingPathComponent(String(hash.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(hash.dropFirst(2)))
    }

    /// Stores `data` (no-op when the same content is already there) and returns its SHA-256 hex.
    @discardableResult
    public func put(_ data: Data) throws -> String {
        let hash = SHA256.hex(data)
        let target = url(for: hash)
        // Already there: touch it, so that retention (which spares files changed since it planned) keeps a file
        // a new page has just started to use.
        if utimes(target.path, nil) == 0 { return hash }
        let dir = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".tmp-\(UUID().uuidString)")
        try Self.writeSynced(data, to: temp)
        guard rename(temp.path, target.path) == 0 else {
            let code = errno
            unlink(temp.path)
            throw StoreError(.io, "cannot store a page image: \(String(cString: strerror(code)))")
        }
        Self.syncDirectory(dir)
        return hash
    }

    public func data(for hash: String) throws -> Data {
        do {
            return try Data(contentsOf: url(for: hash))
        } catch {
            throw StoreError(.missingBlob, "stored image \(hash.prefix(12))… is missing from \(root.path)")
        }
    }

    /// Removes a stored file; a file already gone is not an error.
    public func remove(_ hash: String) throws {
        let target = url(for: hash)
        guard unlink(target.path) == 0 || errno == ENOENT else {
            throw StoreError(.io, "cannot remove stored file \(hash.prefix(12))…: \(String(cString: strerror(errno)))")
        }
    }

    public func contains(_ hash: String) -> Bool { FileManager.default.fileExists(atPath: url(for: hash).path) }

    static func writeSynced(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw StoreError(.io, "cannot create \(url.lastPathComponent): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError(.io, "cannot write a page image: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw StoreError(.io, "cannot flush a page image to disk") }
    }

    static func syncDirectory(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
