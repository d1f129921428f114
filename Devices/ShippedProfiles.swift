import Foundation

/// Where the profiles in `Devices/profiles/` are installed with the program.
public enum ShippedProfiles {
    public static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("profiles", isDirectory: true)
    }
}
