import Foundation

/// Why a dossier could not be packaged or delivered. Messages say what to do and never carry citizens' data.
public struct DeliveryError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case notFound = "delivery.not_found"
        /// A package file is missing or does not match its hash: rebuild by cancelling and submitting again.
        case packageDamaged = "delivery.package_damaged"
        /// The draft is not in a state that can be submitted (flagged fields, already queued).
        case refused = "delivery.refused"
        /// The case system's address or credentials are missing or unusable.
        case configuration = "delivery.configuration"
        /// A backup or restore cannot go ahead where it was pointed (a directory not empty, no backup there).
        case backupRefused = "delivery.backup_refused"
        /// A backup's files do not match its manifest: take another backup.
        case backupDamaged = "delivery.backup_damaged"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }
}

/// Why one attempt to hand a dossier to the case system failed, and whether trying again can help.
public struct DeliveryFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The network, a timeout, a 5xx, 408 or 429: the same request later may succeed.
        case retryable
        /// The case system refused the dossier itself (4xx) or the package is damaged: an operator must act.
        case permanent
    }

    public var kind: Kind
    /// A stable code: `network`, `timeout`, `server_error`, `rate_limited`, `auth_rejected`, `rejected`,
    /// `package_damaged`, `bad_reply`.
    public var code: String
    public var message: String
    /// The HTTP status, when there was a reply.
    public var status: Int?
    /// The case system's `Retry-After`, in seconds.
    public var retryAfter: TimeInterval?

    public init(_ kind: Kind, _ code: String, _ message: String, status: Int? = nil, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }

    /// How an HTTP status is taken: 408, 429 and 5xx are worth retrying; any other 4xx is the dossier's problem.
    public static func kind(ofStatus status: Int) -> Kind {
        status == 408 || status == 429 || status >= 500 ? .retryable : .permanent
    }
}
