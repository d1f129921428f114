import Foundation
import Store

/// Who asks the station to do something: an account, the command line or the station itself. Its `name` is what the
/// audit log records. (A kiosk acts as itself: the intake use cases take its `Kiosk` and record `kiosk:NAME`.)
public struct Principal: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case user(User)
        /// A command run on the station's own machine (`cli:` and the system user's name).
        case commandLine
        /// The station itself (a janitor, a resumed job).
        case system
    }

    public let kind: Kind
    public let name: String

    public static func user(_ user: User) -> Principal { Principal(kind: .user(user), name: user.username) }
    public static func commandLine(_ systemUser: String = NSUserName()) -> Principal {
        Principal(kind: .commandLine, name: "cli:\(systemUser)")
    }
    public static let system = Principal(kind: .system, name: "sohoa")

    /// The account, when a person signed in.
    public var user: User? {
        if case .user(let u) = kind { return u }
        return nil
    }
}
