import CLeptonica
import Foundation

/// zlib compression (RFC 1950), through Leptonica's copy of zlib: what PDF's FlateDecode streams hold.
public enum Deflate {
    public static func compress(_ data: Data) throws -> Data {
        var size = 0
        let out: UnsafeMutablePointer<l_uint8>? = data.withUnsafeBytes { raw in
            zlibCompress(raw.bindMemory(to: l_uint8.self).baseAddress, raw.count, &size)
        }
        guard let out else { throw ImagingError(.operationFailed, file: "", "data could not be compressed") }
        defer { lept_free(out) }
        return Data(bytes: out, count: size)
    }
}
