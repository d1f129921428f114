import Foundation

/// A data file of this module's `Resources/FOLDER/` (copied whole into the bundle, so it may sit under
/// `Resources/` or directly in the bundle, depending on how the bundle was laid out).
func bundledResource(_ name: String, ext: String, folder: String) -> URL? {
    Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/\(folder)")
        ?? Bundle.module.url(forResource: name, withExtension: ext, subdirectory: folder)
}
