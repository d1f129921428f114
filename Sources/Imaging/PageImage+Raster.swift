import CLeptonica
import Foundation

extension PageImage {
    /// A scanner's raw rows into an image: 1-bit lineart (a set bit is black), 8- or 16-bit grey, 8- or 16-bit
    /// RGB (16-bit samples in host byte order, reduced to 8 bits).
    public static func fromRaster(_ pixels: [UInt8], width: Int, height: Int, bytesPerLine: Int, channels: Int,
                                  depth: Int, dpi: Int) throws -> PageImage {
        guard width > 0, height > 0, [1, 3].contains(channels), [1, 8, 16].contains(depth),
              !(depth == 1 && channels == 3),
              bytesPerLine * 8 >= width * channels * depth, pixels.count >= bytesPerLine * height else {
            throw ImagingError(.corrupt, file: "", "scanner data does not match its size (\(width)×\(height), \(channels)×\(depth) bit)")
        }
        let pixDepth: Int32 = depth == 1 ? 1 : channels == 3 ? 32 : 8
        guard let pix = pixCreate(l_int32(width), l_int32(height), pixDepth) else {
            throw ImagingError(.operationFailed, file: "", "out of memory for a \(width)×\(height) page")
        }
        pixSetResolution(pix, l_int32(dpi), l_int32(dpi))
        let wpl = Int(pixGetWpl(pix))
        let data = pixGetData(pix)!
        let high = depth == 16 ? 1 : 0  // the high byte of a little-endian 16-bit sample
        let step = depth == 16 ? 2 : 1
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let line = y * bytesPerLine
                let words = data + y * wpl
                switch (channels, depth) {
                case (1, 1):
                    // Leptonica keeps bytes in native 32-bit words, big-endian order inside each word.
                    let row = UnsafeMutableRawPointer(words).assumingMemoryBound(to: UInt8.self)
                    for x in 0..<(width + 7) / 8 { row[x ^ 3] = src[line + x] }
                case (1, _):
                    let row = UnsafeMutableRawPointer(words).assumingMemoryBound(to: UInt8.self)
                    for x in 0..<width { row[x ^ 3] = src[line + x * step + high] }
                default:
                    for x in 0..<width {
                        let i = line + x * 3 * step + high
                        let r = UInt32(src[i]), g = UInt32(src[i + step]), b = UInt32(src[i + 2 * step])
                        words[x] = r << 24 | g << 16 | b << 8
                    }
                }
            }
        }
        return PageImage(owning: pix, dpi: dpi)
    }
}
