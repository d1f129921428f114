import Foundation

/// Just enough `multipart/form-data` (RFC 7578) to read uploads: a station's dossier, a desk's page files.
public enum Multipart {
    public struct Part: Sendable {
        public var name: String?
        public var filename: String?
        public var contentType: String?
        public var body: Data
    }

    public static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 70 ? nil : value
            }
        }
        return nil
    }

    public static func parse(_ data: Data, boundary: String) -> [Part] {
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = data.range(of: delimiter)?.upperBound else { return [] }
        while true {
            // After a delimiter: "--" ends the body, otherwise CRLF and the part's headers.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: Data("\r\n".utf8)) else { break }
            let start = cursor + 2
            guard let headers = data.range(of: headerEnd, in: start..<data.endIndex),
                  let next = data.range(of: Data("\r\n".utf8) + delimiter, in: headers.upperBound..<data.endIndex)
            else { break }
            var part = Part(body: data.subdata(in: headers.upperBound..<next.lowerBound))
            let headerText = String(decoding: data[start..<headers.lowerBound], as: UTF8.self)
            for line in headerText.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    part.name = parameter("name", in: line)
                    part.filename = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    part.contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            parts.append(part)
            cursor = next.upperBound
        }
        return parts
    }

    private static func parameter(_ name: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let kv = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == name { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
