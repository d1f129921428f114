import Foundation
import Store

/// Short one-time codes that pair a kiosk's browser with the station: 8 characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), shown as `ABCD-EFGH`, valid for 15 minutes, one use, kept only as a hash. 31⁸ ≈ 8.5·10¹¹ codes
/// against at most a few dozen guesses per quarter hour (`StationServer.pairThrottle`).
public enum KioskPairing {
    public static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    public static let length = 8
    public static let lifetime: TimeInterval = 15 * 60

    /// A new random code, grouped for reading aloud (`ABCD-EFGH`).
    public static func makeCode() -> String {
        var rng = SystemRandomNumberGenerator()  // getrandom(2) on Linux
        let chars = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
        return String(chars[0..<4]) + "-" + String(chars[4...])
    }

    /// The code as typed, normalised (case, spaces and dashes ignored), or nil when it cannot be a code.
    public static func normalize(_ typed: String) -> String? {
        let chars = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard chars.count == length, chars.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return chars
    }

    /// What the store keeps of a code.
    public static func hash(normalized code: String) -> String { SHA256.hex(Data("kiosk-pair:\(code)".utf8)) }

    /// A device token nobody knows: a kiosk registered but not yet paired.
    public static func unpairedTokenHash() -> String { Accounts.tokenHash(Accounts.randomHex(bytes: 32)) }
}
