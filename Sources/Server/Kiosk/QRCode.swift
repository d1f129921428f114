import CQRencode
import Foundation

/// QR codes for receipts, from libqrencode. The only file that talks to it.
enum QRCode {
    /// An SVG of `text` (error correction M), `scale` pixels per module, with the standard quiet zone.
    static func svg(_ text: String, scale: Int = 6) throws -> String {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw ServerError(.internal, "cannot make the receipt's QR code")
        }
        defer { QRcode_free(code) }
        let n = Int(code.pointee.width)
        let quiet = 4
        let size = (n + 2 * quiet) * scale
        var path = ""
        for y in 0..<n {
            for x in 0..<n where code.pointee.data[y * n + x] & 1 == 1 {
                path += "M\((x + quiet) * scale) \((y + quiet) * scale)h\(scale)v\(scale)h-\(scale)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(size)" height="\(size)" viewBox="0 0 \(size) \(size)" \
            role="img" aria-label="QR"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
