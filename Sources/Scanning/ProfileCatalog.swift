import DeviceProfiles
import Foundation

/// The scanner profiles: those shipped in `Devices/profiles/`, then a site's own directory (same id replaces).
public struct ProfileCatalog: Sendable {
    public private(set) var profiles: [DeviceProfile]

    public init(profiles: [DeviceProfile]) {
        self.profiles = profiles
    }

    /// The shipped profiles, plus `extraDirectory`'s (a desk's own scanners) when given.
    public static func load(extraDirectory: URL? = nil) throws -> ProfileCatalog {
        var catalog = try ProfileCatalog(directory: ShippedProfiles.directory)
        if let extraDirectory {
            for p in try ProfileCatalog(directory: extraDirectory).profiles {
                catalog.profiles.removeAll { $0.id == p.id }
                catalog.profiles.append(p)
            }
        }
        return catalog
    }

    /// Every `*.json` in a directory; a broken file is an error naming it (a profile is never silently skipped).
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var profiles: [DeviceProfile] = []
        for file in files {
            do {
                let profile = try JSONDecoder().decode(DeviceProfile.self, from: Data(contentsOf: file))
                if profiles.contains(where: { $0.id == profile.id }) {
                    throw ScanError(.invalidOption, detail: "duplicate profile id \(profile.id)")
                }
                profiles.append(profile)
            } catch let error as DecodingError {
                throw ScanError(.invalidOption, detail: "device profile \(file.lastPathComponent) is not valid: \(Self.describe(error))")
            }
        }
        self.profiles = profiles
    }

    /// The best-fitting profile, or `DeviceProfile.generic` when none fits.
    public func profile(for device: ScannerInfo) -> DeviceProfile {
        var best: (DeviceProfile, Int)?
        for p in profiles {
            guard let s = p.score(for: device) else { continue }
            if best == nil || s > best!.1 { best = (p, s) }
        }
        return best?.0 ?? profiles.first(where: \.isGeneric) ?? .generic
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let ctx): return "missing \(key.stringValue) at \(path(ctx))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(ctx.debugDescription) at \(path(ctx))"
        @unknown default: return "\(error)"
        }
    }

    static func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.map(\.stringValue).joined(separator: ".").ifEmpty("top level")
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
