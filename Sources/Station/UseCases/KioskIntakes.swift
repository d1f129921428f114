import Foundation
import Pipeline
import Store

/// Where a citizen's intake at a kiosk stands.
public enum IntakePhase: String, Sendable, Codable, CaseIterable {
    /// Open: waiting for the citizen to put papers in and press Scan (or Done, once pages are in).
    case ready = "scanning-ready"
    /// The feeder is running.
    case scanning
    /// The pages are being read and judged.
    case checking
    /// The scanner stopped on an error (a jam, an empty feeder); the pages so far are kept.
    case stopped
    /// Read and judged: the citizen confirms, rescans a page or scans more.
    case checked
}

/// An intake as the kiosk screen shows it.
public struct IntakeState: Sendable, Codable, Equatable {
    public var intakeId: String
    public var phase: IntakePhase
    public var pages: Int
    /// Problem codes (`blank`, `upside_down`, `too_dark`, `blurred`, `cut_off`, `unreadable`) by page number, for
    /// pages that have any.
    public var problems: [String: [String]]
    /// Required papers not found (their Vietnamese names).
    public var missing: [String]
    /// Why the scanner stopped (Vietnamese), in `stopped`; null otherwise.
    @Nullable public var error: String?
}

/// What the citizen chose when the intake opened, kept with the batch.
struct IntakeSettings: Codable, Sendable {
    var procedure: String
    var phone: String?
}

/// The kiosk's intakes: a kiosk only ever sees its own unconfirmed batches.
public struct KioskIntakes: Sendable {
    let app: StationApp
    var database: AppDatabase { app.parts.database }

    /// Opens an intake for a procedure of the catalogue; the phone number (optional) is for notices.
    public func start(procedure code: String, phone typed: String?, kiosk: Kiosk) async throws -> Batch {
        guard app.catalog.procedure(code) != nil else { throw StationError(.invalid, "choose a procedure") }
        let phone = (typed ?? "").filter(\.isNumber)
        guard phone.isEmpty || (phone.hasPrefix("0") && (10...11).contains(phone.count)) else {
            throw StationError(.invalid, "a phone number is 10 or 11 digits starting with 0")
        }
        let settings = try JSONEncoder.sorted.encode(IntakeSettings(procedure: code, phone: phone.isEmpty ? nil : phone))
        return try await stored {
            try await database.beginBatch(source: kiosk.source, captureSettings: String(decoding: settings, as: UTF8.self),
                                          actor: kiosk.source, detail: ["procedure": code])
        }
    }

    /// The kiosk's own, unconfirmed intake batch; anything else is "not found" (no hint that it exists).
    public func own(_ batchId: String, kiosk: Kiosk) async throws -> Batch {
        guard let batch = try await database.batch(id: batchId), batch.source == kiosk.source,
              try await database.intake(batchId: batchId) == nil else {
            throw StationError(.notFound, "no such intake")
        }
        return batch
    }

    /// The procedure an intake is for.
    public func procedure(of batch: Batch) -> ProcedureCatalog.Procedure? {
        Self.settings(batch).flatMap { app.catalog.procedure($0.procedure) }
    }

    static func settings(_ batch: Batch) -> IntakeSettings? {
        batch.captureSettings.flatMap { try? JSONDecoder().decode(IntakeSettings.self, from: Data($0.utf8)) }
    }

    /// Pages, the job, each page's problems, missing papers, the error to show.
    public func state(_ batch: Batch) async throws -> IntakeState {
        let pages = try await database.pages(batchId: batch.id)
        let job = app.jobs.state(of: batch.id)
        let draft = try await database.draft(batchId: batch.id)
        let quality = draft == nil ? [:] : (app.jobs.quality(of: batch.id) ?? [:])
        var missing: [String] = []
        if let draft, let procedure = procedure(of: batch) {
            let usable = pages.filter { (quality[$0.seq] ?? []).allSatisfy { $0 != "blank" && $0 != "unreadable" } }.count
            let required = procedure.papers.filter(\.required)
            for paper in required where paper.form != nil && paper.form != draft.form { missing.append(paper.title.vi) }
            if usable < required.count {
                missing += required.filter { $0.form == nil }.suffix(required.count - usable).map(\.title.vi)
            }
        }
        let phase: IntakePhase
        if job?.running == true { phase = job?.kind == "scan" ? .scanning : .checking }
        else if job?.error != nil { phase = .stopped }
        else if draft != nil { phase = .checked }
        else { phase = .ready }
        return IntakeState(
            intakeId: batch.id, phase: phase, pages: pages.count,
            problems: Dictionary(uniqueKeysWithValues: quality.filter { !$0.value.isEmpty }.map { ("\($0.key)", $0.value) }),
            missing: missing, error: job?.error)
    }

    /// Starts the feeder (again, after a stop or to add pages).
    public func scan(_ batch: Batch, kiosk: Kiosk) async throws {
        let device = try idleScanner(batch)
        try await reopenIfRead(batch, kiosk: kiosk)
        app.jobs.submit(.kioskScan(batchId: batch.id, device: device, replacing: nil))
    }

    /// Scans one sheet again in place of page `seq`.
    public func rescan(_ batch: Batch, seq: Int, kiosk: Kiosk) async throws {
        guard try await database.pages(batchId: batch.id).contains(where: { $0.seq == seq }) else {
            throw StationError(.notFound, "no such page")
        }
        let device = try idleScanner(batch)
        try await reopenIfRead(batch, kiosk: kiosk)
        app.jobs.submit(.kioskScan(batchId: batch.id, device: device, replacing: seq))
    }

    /// Reads the pages and judges each one (in the background).
    public func check(_ batch: Batch) async throws {
        guard app.jobs.state(of: batch.id)?.running != true else { throw StationError(.conflict, "still scanning") }
        guard try await !database.pages(batchId: batch.id).isEmpty else {
            throw StationError(.conflict, "nothing scanned yet")
        }
        app.jobs.submit(.kioskCheck(batchId: batch.id))
    }

    /// Confirms the intake: its receipt number, and its draft goes to the operators' review queue.
    public func confirm(_ batch: Batch, kiosk: Kiosk) async throws -> Intake {
        guard app.jobs.state(of: batch.id)?.running != true, try await database.draft(batchId: batch.id) != nil else {
            throw StationError(.conflict, "check the pages first")
        }
        guard try await state(batch).missing.isEmpty else { throw StationError(.conflict, "required papers are missing") }
        let settings = Self.settings(batch)
        let intake = try await stored {
            try await database.confirmIntake(batchId: batch.id, kiosk: kiosk, procedure: settings?.procedure ?? "",
                                             phone: settings?.phone)
        }
        app.jobs.forget(batch.id)
        return intake
    }

    /// The citizen cancels (or walked away: `reason` "idle"): the batch, its rows and its page files go.
    public func cancel(_ batch: Batch, kiosk: Kiosk, reason: String) async throws {
        guard app.jobs.state(of: batch.id)?.running != true else { throw StationError(.conflict, "still scanning") }
        try await stored {
            try await Self.discard(batch.id, kiosk: kiosk, reason: reason == "idle" ? "idle" : "cancel", in: app.parts)
        }
        app.jobs.forget(batch.id)
    }

    /// Drops an unconfirmed intake with its rows (audited) and the page files no other page uses.
    static func discard(_ batchId: String, kiosk: Kiosk, reason: String, in parts: StationParts) async throws {
        let files = try await parts.database.abandonKioskBatch(batchId: batchId, kiosk: kiosk, reason: reason)
        let blobs = parts.blobs
        try await Blocking.run { for hash in files { try blobs.remove(hash) } }
    }

    /// A receipt this kiosk printed in the last 15 minutes (a citizen may print it again; nobody else may look).
    public func receipt(_ number: String, kiosk: Kiosk, now: Date = Date()) async throws -> Intake {
        guard let intake = try await database.intake(number: number), intake.kioskId == kiosk.id,
              now.timeIntervalSince(intake.createdAt) < 15 * 60 else {
            throw StationError(.notFound, "no such receipt here")
        }
        return intake
    }

    private func idleScanner(_ batch: Batch) throws -> String {
        guard app.jobs.state(of: batch.id)?.running != true, let device = app.scanners?.devices.first else {
            throw StationError(.conflict, "the scanner is busy")
        }
        return device
    }

    private func reopenIfRead(_ batch: Batch, kiosk: Kiosk) async throws {
        if batch.status != .capturing {
            try await stored { try await database.reopenBatch(batchId: batch.id, actor: kiosk.source) }
        }
    }
}
