import Foundation
import Imaging
import Pipeline
import Scanning
import Server
import Station
import Store
import Testing

/// The real pnm backend (its second device: the pipeline tests use the first), with faults a feeder has: a jam on
/// a given scan, a scanner that stops answering.
final class KioskScanner: @unchecked Sendable {
    let sheet: URL
    private let lock = NSLock()
    private var reads = 0
    var jamOnReads: Set<Int> = []
    var hangOnRead: Int?

    init(sheet: URL) { self.sheet = sheet }

    func access() throws -> ScannerAccess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-kiosk-sane-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("test\npnm\n".utf8).write(to: dir.appendingPathComponent("dll.conf"))
        let runtime = try SaneRuntime.shared(configDirectory: dir.path)
        let catalog = try ProfileCatalog.load(extraDirectory: nil)
        return ScannerAccess(devices: ["pnm:1"], options: [OptionSetting(name: "filename", value: sheet.path)]) { name in
            var device: SaneDevice?
            // The other kiosk suite scans with the same device between its own steps: wait for it.
            for _ in 0..<900 where device == nil {
                do { device = try await runtime.open(name) } catch let e as ScanError where e.code == .deviceBusy {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let real = try #require(device)
            let faulty = FaultInjectingDevice(real) { [self] in
                let fault = next()
                return fault.jam ? .jam : fault.hang ? .hang : nil
            }
            return .init(device: faulty, profile: catalog.profile(for: real.info), close: { await real.close() })
        }
    }

    /// What the next read should do.
    func next() -> (jam: Bool, hang: Bool) {
        lock.withLock {
            reads += 1
            return (jamOnReads.contains(reads), reads == hangOnRead)
        }
    }
}

/// A Samples form as the PGM file the pnm backend reads.
func formSheet() throws -> URL {
    let form = samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png")
    let sheet = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-kiosk-\(UUID().uuidString).pgm")
    try PageImage.load(form, info: try ImageProbe.probe(form)).grayscale().encoded(.pnm).write(to: sheet)
    return sheet
}

func json(_ reply: Client.Reply) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: reply.data)) as? [String: Any] ?? [:]
}

@Suite(.serialized) struct KioskTests {
    func addKiosk(_ s: RunningStation, _ name: String) async throws -> String {
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        _ = try await s.station.database.createKiosk(name: name, tokenHash: SHA256.hex(Data(token.utf8)), actor: "test")
        return token
    }

    /// A fresh one-time code for `name`, as `sohoa kiosk pair-code` prints it.
    func pairingCode(_ s: RunningStation, _ name: String, now: Date = Date()) async throws -> String {
        try await s.app.accounts.issuePairingCode(kioskName: name, by: .system, now: now).code
    }

    /// Opens the pairing page and types `code`, as a kiosk's browser does.
    func pair(_ c: Client, _ s: RunningStation, code: String) async throws -> Client.Reply {
        let page = try await c.get("/kiosk/pair")
        let token = page.body.range(of: "name=\"_csrf\" value=\"").map { String(page.body[$0.upperBound...].prefix { $0 != "\"" }) }
        return try await c.post("/kiosk/pair", ["_csrf": token ?? "", "code": code], csrf: false)
    }

    func phase(_ c: Client, _ id: String, until wanted: Set<String>, seconds: Double = 60) async throws -> [String: Any] {
        var state: [String: Any] = [:]
        _ = try await waitFor(seconds: seconds) {
            state = json(try await c.get("/api/kiosk/intakes/\(id)"))
            return wanted.contains(state["phase"] as? String ?? "")
        }
        return state
    }

    @Test func aKioskTokenReachesOnlyItsOwnIntakes() async throws {
        let s = try await RunningStation.start()
        let token = try await addKiosk(s, "sanh-1")
        let other = try await addKiosk(s, "sanh-2")
        // An officer's batch and draft exist at the station.
        let officer = Client(s)
        _ = try await officer.login("canbo")
        let deskBatch = try await officer.openBatch()

        let kiosk = Client(s)
        kiosk.bearer = token
        for page in ["/desk", "/review", "/admin/audit", "/desk/batches/\(deskBatch)", "/pages/\(deskBatch)/1"] {
            #expect(try await kiosk.get(page).status == 303, "\(page) is for people, not kiosks")
        }
        for api in ["/api/review/queue", "/api/batches/\(deskBatch)", "/api/drafts/d_01M80H1A07VDEEEKJJ9BMTDYSP", "/metrics"] {
            #expect(try await kiosk.get(api).status == 401, "\(api)")
        }
        #expect(try await kiosk.post("/desk/batches", ["procedure": "1.001193"], csrf: false).status == 303)
        #expect(try await kiosk.get("/api/kiosk/intakes/\(deskBatch)").status == 404, "an officer's batch is not an intake")

        let created = try await kiosk.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false)
        #expect(created.status == 201)
        let intake = try #require(json(created)["intakeId"] as? String)
        #expect(try await kiosk.get("/api/kiosk/intakes/\(intake)").status == 200)
        let neighbour = Client(s)
        neighbour.bearer = other
        #expect(try await neighbour.get("/api/kiosk/intakes/\(intake)").status == 404, "another kiosk's intake")
        #expect(try await neighbour.post("/kiosk/intakes/\(intake)/cancel", [:], csrf: false).status == 404)
        // A browser-like kiosk pairs with a one-time code typed on its own page; it must then send its page's token.
        let paired = Client(s)
        #expect(try await pair(paired, s, code: try pairingCode(s, "sanh-1")).status == 303)
        #expect(try await paired.get("/kiosk").body.contains("Đăng ký khai sinh"))
        #expect(try await paired.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false).status == 403)
        #expect(try await Client(s).get("/kiosk/pair?token=\(token)").headers["Set-Cookie"].allSatisfy { !$0.hasPrefix("sohoa_kiosk=") },
                "a token in a URL pairs nothing")
        #expect(try await Client(s).get("/kiosk").status == 401)
        #expect(try await kiosk.get("/api/kiosk/intakes/\(intake)").status == 401, "pairing ends the device paired before")

        try await s.station.database.revokeKiosk(name: "sanh-1", actor: "test")
        #expect(try await kiosk.get("/api/kiosk/intakes/\(intake)").status == 401, "revoked at once")
        #expect(try await paired.get("/kiosk").status == 401)
        await s.stop()
    }

    @Test(.timeLimit(.minutes(10)))  // it waits its turn with the kiosk's device
    func aCitizenScansThroughAJamChecksAndGetsAReceipt() async throws {
        try await Turn.kioskDevice.run { try await citizenScansThroughAJam() }
    }

    func citizenScansThroughAJam() async throws {
        let scanner = KioskScanner(sheet: try formSheet())
        scanner.jamOnReads = [2]
        let s = try await RunningStation.start(scanners: try scanner.access())
        let kiosk = Client(s)
        kiosk.bearer = try await addKiosk(s, "sanh-1")
        let intake = try #require(json(try await kiosk.post("/kiosk/intakes", ["procedure": "1.001193", "phone": "0912345678"],
                                                             csrf: false))["intakeId"] as? String)
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/scan", [:], csrf: false)
        var state = try await phase(kiosk, intake, until: ["scanning-ready", "stopped"])
        #expect(state["pages"] as? Int == 1)
        // The second sheet jams: the citizen is told what to do, the first page is kept.
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/scan", [:], csrf: false)
        state = try await phase(kiosk, intake, until: ["stopped"])
        #expect((state["error"] as? String)?.contains("kẹt giấy") == true, "\(state)")
        #expect(state["pages"] as? Int == 1)
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/scan", [:], csrf: false)
        state = try await phase(kiosk, intake, until: ["scanning-ready"])
        #expect(state["pages"] as? Int == 2)
        // Confirm before checking is refused.
        #expect(try await kiosk.post("/kiosk/intakes/\(intake)/confirm", [:], csrf: false).status == 409)
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/check", [:], csrf: false)
        state = try await phase(kiosk, intake, until: ["checked", "stopped"], seconds: 120)
        #expect(state["phase"] as? String == "checked", "\(state)")
        #expect((state["missing"] as? [String])?.isEmpty == true, "\(state)")
        let confirmed = try await kiosk.post("/kiosk/intakes/\(intake)/confirm", [:], csrf: false)
        let number = try #require(json(confirmed)["receipt"] as? String)
        #expect(number.hasPrefix("TN-") && number.count == 14)
        let receipt = try await kiosk.get("/kiosk/receipts/\(number)")
        #expect(receipt.status == 200)
        #expect(receipt.body.contains(number) && receipt.body.contains("<svg") && receipt.body.contains("id=\"page-count\">2<"))
        // The intake is the kiosk's no more; it waits in the operators' queue.
        #expect(try await kiosk.get("/api/kiosk/intakes/\(intake)").status == 404)
        let draft = try #require(try await s.station.database.draft(batchId: intake))
        #expect(draft.status == .needsReview)
        #expect(try await s.station.database.reviewQueue().contains { $0.draftId == draft.id })
        #expect(try await s.station.database.intake(number: number)?.phone == "0912345678")
        await s.stop()
    }

    @Test(.timeLimit(.minutes(10)))  // it waits its turn with the kiosk's device
    func blankPagesAndMissingFormsAreCaughtAndAStuckScannerIsStopped() async throws {
        try await Turn.kioskDevice.run { try await blankPagesAndAStuckScanner() }
    }

    func blankPagesAndAStuckScanner() async throws {
        let blank = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-blank-\(UUID().uuidString).pgm")
        try PageImage.fromGray8([UInt8](repeating: 250, count: 1240 * 1754), width: 1240, height: 1754, dpi: 150)
            .encoded(.pnm).write(to: blank)
        let scanner = KioskScanner(sheet: blank)
        scanner.hangOnRead = 2
        let s = try await RunningStation.start(scanners: try scanner.access(), watchdog: 1.5)
        let kiosk = Client(s)
        kiosk.bearer = try await addKiosk(s, "sanh-1")
        let intake = try #require(json(try await kiosk.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false))["intakeId"]
            as? String)
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/scan", [:], csrf: false)
        _ = try await phase(kiosk, intake, until: ["scanning-ready"])
        // The scanner stops answering: the watchdog stops the scan and says so.
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/scan", [:], csrf: false)
        let stuck = try await phase(kiosk, intake, until: ["stopped"], seconds: 20)
        #expect(stuck["error"] is String)
        _ = try await kiosk.post("/kiosk/intakes/\(intake)/check", [:], csrf: false)
        let checked = try await phase(kiosk, intake, until: ["checked", "stopped"], seconds: 60)
        let problems = checked["problems"] as? [String: [String]] ?? [:]
        #expect(problems["1"]?.contains("blank") == true, "\(checked)")
        #expect((checked["missing"] as? [String])?.contains("Tờ khai đăng ký khai sinh") == true)
        #expect(try await kiosk.post("/kiosk/intakes/\(intake)/confirm", [:], csrf: false).status == 409)
        // The citizen gives up: the intake and its page files are gone.
        let pages = try await s.station.database.pages(batchId: intake)
        #expect(try await kiosk.post("/kiosk/intakes/\(intake)/cancel", ["reason": "idle"], csrf: false).status == 200)
        #expect(try await s.station.database.batch(id: intake) == nil)
        #expect(pages.allSatisfy { !s.station.blobs.contains($0.originalSha256) })
        await s.stop()
    }

    @Test func theJanitorClearsIntakesNobodyFinished() async throws {
        let s = try await RunningStation.start()
        let kiosk = Client(s)
        kiosk.bearer = try await addKiosk(s, "sanh-1")
        let intake = try #require(json(try await kiosk.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false))["intakeId"]
            as? String)
        let janitor = KioskJanitor(station: s.station, maxAge: 300, logger: .init(label: "test"))
        #expect(try await janitor.sweep() == 0, "a fresh intake stays")
        #expect(try await janitor.sweep(now: Date().addingTimeInterval(600)) == 1)
        #expect(try await s.station.database.batch(id: intake) == nil)
        #expect(try await s.station.database.auditEntries(subject: intake).contains { $0.action == "intake.abandon" })
        await s.stop()
    }
}
