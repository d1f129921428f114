import Delivery
import Foundation
import Pipeline
import Store
import Testing

/// The outbox's transactions: submitting, claiming with leases, receipts, parking, cancelling.
@Suite struct OutboxStoreTests {
    @Test func aDraftWithFlaggedFieldsIsRefusedUnlessAccepted() async throws {
        let station = try makeStation()
        let draft = try await makeDraft(station, seed: 1, flagged: ["child.fullName"])
        let built = try await packager(station).build(draftId: draft.id)
        await #expect(throws: StoreError.self) {
            try await station.database.enqueueDelivery(draftId: draft.id, recordSha256: built.recordSha256, acceptFlagged: false, actor: "test")
        }
        #expect(try await station.database.draft(id: draft.id)?.0.status == .needsReview)
        #expect(try await station.database.outbox().isEmpty)

        let entry = try await station.database.enqueueDelivery(draftId: draft.id, recordSha256: built.recordSha256,
                                                         acceptFlagged: true, actor: "test")
        #expect(entry.state == .pending)
        #expect(entry.idempotencyKey.hasPrefix("sohoa-\(entry.id)-"))
        #expect(try await station.database.draft(id: draft.id)?.0.status == .queued)
        #expect(try await station.database.batch(id: draft.batchId)?.status == .queued)
        // Once queued, it cannot be queued again.
        await #expect(throws: StoreError.self) {
            try await station.database.enqueueDelivery(draftId: draft.id, recordSha256: built.recordSha256, acceptFlagged: true, actor: "test")
        }
        #expect(try await station.database.outbox().count == 1)
    }

    @Test func claimsTakeDueWorkOnceAndRespectLiveLeases() async throws {
        let station = try makeStation()
        let db = station.database
        let a = try await submit(station, try makeDraft(station, seed: 1).id)
        let b = try await submit(station, try makeDraft(station, seed: 2).id)
        let t0 = Date()  // after the submits: building two packages may take more than a second on a loaded machine

        let first = try #require(try await db.claimDueDelivery(owner: "w1", lease: 60, now: t0.addingTimeInterval(1)) { _ in true })
        #expect(first.id == a.id)
        #expect(first.state == .sending)
        #expect(first.attempts == 1)
        let second = try #require(try await db.claimDueDelivery(owner: "w2", lease: 60, now: t0.addingTimeInterval(1)) { _ in true })
        #expect(second.id == b.id)
        // Both are held by live workers: nothing else to take.
        #expect(try await db.claimDueDelivery(owner: "w3", lease: 60, now: t0.addingTimeInterval(2)) { _ in true } == nil)

        // w1's attempt fails and must wait; w2's process dies: its claim is taken at once.
        try await db.markAttemptFailed(id: a.id, owner: "w1", code: "server_error", message: "HTTP 503",
                                 retryAt: t0.addingTimeInterval(30), now: t0.addingTimeInterval(2))
        let retaken = try #require(try await db.claimDueDelivery(owner: "w3", lease: 60, now: t0.addingTimeInterval(3)) {
            $0 != "w2"
        })
        #expect(retaken.id == b.id)
        #expect(retaken.attempts == 2)
        #expect(try await db.claimDueDelivery(owner: "w3", lease: 60, now: t0.addingTimeInterval(4)) { _ in true } == nil)
        // The failed one falls due at its time; an expired lease is taken back too.
        let due = try #require(try await db.claimDueDelivery(owner: "w4", lease: 60, now: t0.addingTimeInterval(31)) { _ in true })
        #expect(due.id == a.id)
        #expect(due.lastErrorCode == "server_error")
        let expired = try #require(try await db.claimDueDelivery(owner: "w5", lease: 60, now: t0.addingTimeInterval(200)) { _ in true })
        #expect([a.id, b.id].contains(expired.id))
    }

    @Test func aReceiptMarksTheDeliveryTheDraftAndTheBatchInOneGo() async throws {
        let station = try makeStation()
        let draft = try await makeDraft(station, seed: 3)
        let entry = try await submit(station, draft.id)
        _ = try await station.database.claimDueDelivery(owner: "w", lease: 60) { _ in true }
        try await station.database.markDelivered(id: entry.id, receiptCode: "000.00.00.H99-261122-000001", receipt: "{}")
        let after = try #require(try await station.database.outboxEntry(id: entry.id))
        #expect(after.state == .delivered)
        #expect(after.receiptCode == "000.00.00.H99-261122-000001")
        #expect(after.leaseOwner == nil)
        #expect(try await station.database.draft(id: draft.id)?.0.status == .delivered)
        #expect(try await station.database.batch(id: draft.batchId)?.status == .delivered)
        // A late second receipt (a worker whose lease ran out) changes nothing.
        try await station.database.markDelivered(id: entry.id, receiptCode: "OTHER", receipt: "{}")
        #expect(try await station.database.outboxEntry(id: entry.id)?.receiptCode == "000.00.00.H99-261122-000001")
        #expect(try await station.database.nextDeliveryDue() == nil)
    }

    @Test func parkedDeliveriesWaitForAnOperator() async throws {
        let station = try makeStation()
        let db = station.database
        let draft = try await makeDraft(station, seed: 4)
        let entry = try await submit(station, draft.id)
        _ = try await db.claimDueDelivery(owner: "w", lease: 60) { _ in true }
        // Another worker's late report does not touch a claim it no longer holds.
        try await db.markAttemptFailed(id: entry.id, owner: "someone-else", code: "x", message: "x", retryAt: nil)
        #expect(try await db.outboxEntry(id: entry.id)?.state == .sending)
        try await db.markAttemptFailed(id: entry.id, owner: "w", code: "rejected", message: "HTTP 422 invalid_record", retryAt: nil)
        #expect(try await db.outboxEntry(id: entry.id)?.state == .parked)
        #expect(try await db.nextDeliveryDue() == nil)
        #expect(try await db.claimDueDelivery(owner: "w", lease: 60) { _ in true } == nil)
        #expect(try await db.outboxCounts()[.parked] == 1)

        try await db.retryParkedDelivery(id: entry.id, actor: "test")
        #expect(try await db.outboxEntry(id: entry.id)?.state == .pending)
        await #expect(throws: StoreError.self) { try await db.retryParkedDelivery(id: entry.id, actor: "test") }

        // Cancelled: the draft can be corrected and submitted again, under a new key.
        try await db.cancelDelivery(id: entry.id, actor: "test")
        #expect(try await db.draft(id: draft.id)?.0.status == .ready)
        let again = try await submit(station, draft.id)
        #expect(again.idempotencyKey != entry.idempotencyKey)
        await #expect(throws: StoreError.self) { try await db.cancelDelivery(id: "dl_nothing", actor: "test") }
    }
}
