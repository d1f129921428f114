import Crypto
import Foundation

/// SHA-256 as lowercase hex, used to name stored page images by their content, to hash session and kiosk tokens and
/// to chain the audit log. Backed by swift-crypto.
public struct SHA256 {
    private var hasher = Crypto.SHA256()

    public init() {}

    public static func hex(_ data: Data) -> String {
        Crypto.SHA256.hash(data: data).hexString
    }

    public mutating func update(_ data: Data) {
        hasher.update(data: data)
    }

    public mutating func finalizeHex() -> String {
        hasher.finalize().hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex of the bytes.
    var hexString: String {
        var s = ""
        for byte in self {
            s.append(hexDigits[Int(byte >> 4)])
            s.append(hexDigits[Int(byte & 0x0f)])
        }
        return s
    }
}

private let hexDigits: [Character] = Array("0123456789abcdef")
