/// Why the station's store could not do what was asked. Never carries citizens' data.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case io = "store.io"
        case missingBlob = "store.missing_blob"
        case notFound = "store.not_found"
        /// The record is not in a state that allows this (a batch no longer capturing, a draft already made).
        case conflict = "store.conflict"
        /// Another reviewer holds the draft.
        case claimed = "store.claimed"
        /// Stored bytes do not match what was written (an audit entry's sealed values that no longer open).
        case integrity = "store.integrity"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }
}
