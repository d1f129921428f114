import Foundation
import Store

/// Why a use case refused or failed, with a stable code and a message for the person who must act (never
/// citizens' data). The HTTP layer maps codes to statuses, the command line to exit codes.
public struct StationError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// No such batch, page, draft, delivery, kiosk or account (or not one this principal may see).
        case notFound = "not_found"
        /// Not in a state that allows it: a batch no longer capturing, a draft already submitted, a busy scanner.
        case conflict = "conflict"
        /// The input is wrong: a value its field's type cannot have, a missing choice, a malformed name.
        case invalid = "invalid"
        /// A draft still has flagged fields or no recognised form.
        case needsReview = "needs_review"
        /// Another reviewer holds the draft.
        case claimed = "claimed"
        /// Nothing usable in what was handed in (an upload that is not an image, a file too large).
        case unusable = "unusable"
        /// The station's store or page files failed.
        case store = "store"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Store errors in the station's terms.
    static func from(_ error: StoreError) -> StationError {
        switch error.code {
        case .notFound: StationError(.notFound, error.description)
        case .conflict: StationError(.conflict, error.description)
        case .claimed: StationError(.claimed, "another reviewer is working on this draft")
        case .io, .missingBlob, .integrity: StationError(.store, error.description)
        }
    }
}

/// Runs a store call, turning its errors into the station's.
func stored<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as StoreError {
        throw StationError.from(e)
    }
}
