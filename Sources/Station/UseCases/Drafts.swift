import Delivery
import Foundation
import Store

/// A typed value that its field's type refused, with the reason (Vietnamese, for the person at the screen).
public struct RefusedValue: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let reason: String
    public let batchId: String
    public var description: String { reason }
}

/// What a submit queued.
public struct Submission: Sendable {
    public let entry: OutboxEntry
    public let package: DossierPackager.Built
    /// Fields sent as not verified (`--accept-flagged`).
    public let acceptedFlagged: [String]

    public var pdfBytes: Int { package.record.components.flatMap(\.files).map(\.size).reduce(0, +) }
    public var pageCount: Int { package.record.components.map(\.pageCount).reduce(0, +) }
}

/// Drafts: field edits at the desk, in review and through the API; review claims; accepting; submitting to the
/// case system's outbox; the outbox's operator actions.
public struct Drafts: Sendable {
    let app: StationApp
    var database: AppDatabase { app.parts.database }

    /// Checks a typed value by its field's type and stores it as settled by `who`. A reviewer must hold the draft
    /// (`requireClaim`). Throws ``RefusedValue`` for a value that cannot be right.
    @discardableResult
    public func edit(draftId: String, key: String, typed: String, by who: Principal,
                     requireClaim: Bool) async throws -> (draft: Draft, value: String?) {
        guard let user = who.user else { throw StationError(.notFound, "no such draft") }
        guard let (draft, _) = try await database.draft(id: draftId) else { throw StationError(.notFound, "no such draft") }
        switch app.editor.check(typed, form: draft.form, key: key) {
        case .refused(let why):
            throw RefusedValue(key: key, reason: why, batchId: draft.batchId)
        case .accepted(let value):
            let updated = try await stored {
                try await database.updateField(draftId: draftId, key: key, value: value, needsReview: false, user: user,
                                               requireClaim: requireClaim, claimTTL: app.claimTTL)
            }
            return (updated, value)
        }
    }

    /// Holds a draft for a reviewer (renewed by each edit).
    public func claim(draftId: String, by who: Principal) async throws {
        guard let user = who.user else { throw StationError(.notFound, "no such draft") }
        try await stored { try await database.claimForReview(draftId: draftId, user: user, ttl: app.claimTTL) }
    }

    /// Claims the oldest draft needing review that nobody else holds; nil when there is none.
    public func claimNext(by who: Principal) async throws -> String? {
        guard let user = who.user else { return nil }
        return try await stored { try await database.claimNextForReview(user: user, ttl: app.claimTTL) }
    }

    /// A reviewer accepts a draft with nothing flagged (a kiosk intake they looked over).
    public func accept(draftId: String, by who: Principal) async throws {
        guard let user = who.user else { throw StationError(.notFound, "no such draft") }
        try await stored { try await database.acceptReviewedDraft(draftId: draftId, user: user) }
    }

    /// Why a draft may not be submitted, if it may not: its state, its flagged fields, an unrecognised form. The
    /// store checks the same again in the transaction that queues it.
    public static func refusal(_ draft: Draft, _ fields: [DraftField], acceptFlagged: Bool) -> StationError? {
        guard draft.status == .needsReview || draft.status == .ready else {
            return StationError(.conflict, "draft \(draft.id) is \(draft.status.rawValue): it cannot be submitted again")
        }
        guard !acceptFlagged else { return nil }
        if draft.form == nil {
            return StationError(.needsReview, "draft \(draft.id) not submitted: its form was not recognised")
        }
        let flagged = fields.filter(\.needsReview).map(\.key)
        if !flagged.isEmpty {
            return StationError(.needsReview, "draft \(draft.id) not submitted: \(flagged.count) field(s) still need review: "
                                + flagged.joined(separator: ", "))
        }
        return nil
    }

    /// Builds the dossier's package once (searchable PDF and JSON record, stored content-addressed) and queues it
    /// for the case system: the outbox row, the draft and batch to `queued`, and the audit entry in one
    /// transaction.
    public func submit(draftId: String, acceptFlagged: Bool = false, by who: Principal,
                       reusingPDF: DossierRecord.File? = nil) async throws -> Submission {
        guard let (draft, fields) = try await database.draft(id: draftId) else {
            throw StationError(.notFound, "no draft \(draftId)")
        }
        if let refusal = Self.refusal(draft, fields, acceptFlagged: acceptFlagged) { throw refusal }
        let packager = DossierPackager(database: database, blobs: app.parts.blobs, formTitles: app.editor.titles,
                                       tessdataPath: app.parts.configuration.ocr.dataPath)
        let built: DossierPackager.Built
        do {
            built = try await packager.build(draftId: draftId, reusingPDF: reusingPDF)
        } catch let e as DeliveryError {
            throw StationError(e.code == .notFound ? .notFound : .unusable, e.description)
        }
        let entry = try await stored {
            try await database.enqueueDelivery(draftId: draftId, recordSha256: built.recordSha256,
                                               acceptFlagged: acceptFlagged, actor: who.name)
        }
        return Submission(entry: entry, package: built,
                          acceptedFlagged: acceptFlagged ? fields.filter(\.needsReview).map(\.key) : [])
    }

    /// An operator sends a parked delivery again (same idempotency key).
    public func retryDelivery(id: String, by who: Principal) async throws {
        try await stored { try await database.retryParkedDelivery(id: id, actor: who.name) }
    }

    /// An operator withdraws a pending or parked delivery; the draft goes back to `ready`.
    public func cancelDelivery(id: String, by who: Principal) async throws {
        try await stored { try await database.cancelDelivery(id: id, actor: who.name) }
    }
}
