import CCrypt
import Foundation

/// Passwords are kept as yescrypt hashes (libxcrypt, the scheme Debian uses for /etc/shadow): salted, slow and
/// memory-hard. This is the only file that talks to libcrypt.
public enum PasswordHash {
    /// The shortest password accepted.
    public static let minimumLength = 10

    public static func make(_ password: String) throws -> String {
        var rng = SystemRandomNumberGenerator()  // getrandom(2) on Linux
        let random = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let ok = random.withUnsafeBufferPointer { r in
            r.baseAddress!.withMemoryRebound(to: CChar.self, capacity: r.count) {
                crypt_gensalt_rn("$y$", 0, $0, Int32(r.count), &setting, Int32(setting.count))
            }
        }
        guard ok != nil else { throw StationError(.store, "cannot make a password salt") }
        return try hash(password, setting: String(cString: setting))
    }

    /// True when `password` matches `stored`; compares in constant time.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard stored.hasPrefix("$"), let computed = try? hash(password, setting: stored) else { return false }
        let a = Array(computed.utf8), b = Array(stored.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func hash(_ password: String, setting: String) throws -> String {
        var data = crypt_data()
        guard let out = crypt_r(password, setting, &data) else { throw StationError(.store, "cannot hash a password") }
        let result = String(cString: out)
        guard result.hasPrefix("$") else { throw StationError(.store, "cannot hash a password") }
        return result
    }
}
