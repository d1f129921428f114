import Foundation
import Imaging
import Pipeline
import Server
import Station
import Store
import Testing
import TestSupport

/// The journeys in a real browser: `sohoa serve` as its own process with SANE's pnm scanner, Debian's chromium
/// driven by selenium (`Browser/journeys.py`). Screenshots of every screen go to `.build/ui-screenshots/`.
@Suite(.serialized) struct BrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.timeLimit(.minutes(15)))
    func officerScansReviewerSettlesOfficerSubmits() async throws {
        try await Turn.endToEnd.run { try await officerJourney() }
    }

    func officerJourney() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-ui-\(UUID().uuidString)")
        let data = dir.appendingPathComponent("data")
        let passwords = ["canbo": "officer-pass-123", "kiemtra": "review-pass-123", "quantri": "admin-pass-1234"]
        do {
            let station = try StationParts(StationConfiguration(dataDirectory: data, workers: 2))
            for (name, role) in [("canbo", Role.officer), ("kiemtra", .reviewer), ("quantri", .admin)] {
                _ = try await station.database.createUser(username: name, displayName: name, role: role,
                                                    passwordHash: try PasswordHash.make(passwords[name]!), actor: "test")
            }
        }
        // The scanner: SANE's pnm backend "scans" a Samples form.
        let sane = dir.appendingPathComponent("sane")
        try FileManager.default.createDirectory(at: sane, withIntermediateDirectories: true)
        try Data("pnm\n".utf8).write(to: sane.appendingPathComponent("dll.conf"))
        let form = samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png")
        let sheet = dir.appendingPathComponent("to-khai.pgm")
        try PageImage.load(form, info: try ImageProbe.probe(form)).grayscale().encoded(.pnm).write(to: sheet)

        let server = Process()
        server.executableURL = sohoaExecutable()
        server.arguments = ["serve", "--data", data.path, "--port", "0", "--sane-config", sane.path, "--scanner", "pnm:0",
                            "--scan-option", "filename=\(sheet.path)"]
        let out = Pipe()
        server.standardOutput = out
        let serverLog = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        server.standardError = try FileHandle(forWritingTo: serverLog)
        try server.run()
        defer { if server.isRunning { server.interrupt() } }
        let banner = readFirstLine(out.fileHandleForReading)
        let base = try #require(banner.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(base.hasPrefix("http://127.0.0.1:"))

        let shots = Self.packageRoot.appendingPathComponent(".build/ui-screenshots")
        var env = ProcessInfo.processInfo.environment
        env["SOHOA_PW_OFFICER"] = passwords["canbo"]
        env["SOHOA_PW_REVIEWER"] = passwords["kiemtra"]
        env["SOHOA_PW_ADMIN"] = passwords["quantri"]
        env["SOHOA_UPLOAD"] = form.path
        let script = Self.packageRoot.appendingPathComponent("Tests/ServerTests/Browser/journeys.py")
        let run = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                 ["python3", script.path, base, shots.path,
                                  samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.json").path],
                                 environment: env)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        for name in ["01-login", "02-desk", "03-batch-empty", "04-scanned-draft", "06-flagged-draft", "07-forged-post-refused",
                     "08-review-queue", "09-review-draft", "10-review-done", "11-submitted", "12-audit"] {
            #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent(name + ".png").path), "\(name)")
        }

        // SIGTERM: the service stops cleanly; its store says what the browser did.
        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0,
                "status \(server.terminationStatus): \(String(decoding: (try? Data(contentsOf: serverLog)) ?? Data(), as: UTF8.self).suffix(2000))")
        let station = try StationParts(StationConfiguration(dataDirectory: data, workers: 1))
        let batches = try await station.database.recentBatches()
        #expect(batches.count == 2, "the forged POST created no batch")
        #expect(batches.allSatisfy { $0.status == .queued })
        #expect(try await station.database.verifyAudit().isIntact)
    }
}

/// A citizen's kiosk journey in headless chromium at two screen sizes: a jam on the second sheet, the check, the
/// receipt with its QR code, and the idle timeout. Screenshots go to `.build/ui-screenshots/`. One chromium at a time:
/// it is part of the browser suite.
extension BrowserTests {
    @Test(.timeLimit(.minutes(20)))
    func aCitizenHandsInPapersAtTwoScreenSizes() async throws {
        try await Turn.endToEnd.run { try await Turn.kioskDevice.run { try await citizenAtTwoScreenSizes() } }
    }

    func citizenAtTwoScreenSizes() async throws {
        let scanner = KioskScanner(sheet: try formSheet())
        scanner.jamOnReads = [2, 5]
        let s = try await RunningStation.start(scanners: try scanner.access(), kioskIdle: 4)
        _ = try await s.station.database.createKiosk(name: "sanh-1", tokenHash: KioskPairing.unpairedTokenHash(), actor: "test")
        let shots = BrowserTests.packageRoot.appendingPathComponent(".build/ui-screenshots")
        let script = BrowserTests.packageRoot.appendingPathComponent("Tests/ServerTests/Browser/kiosk.py")
        var numbers: [String] = []
        for (w, h) in [(1280, 1024), (1920, 1080)] {
            let code = try await s.app.accounts.issuePairingCode(kioskName: "sanh-1", by: .system).code
            let run = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                     ["python3", script.path, "http://127.0.0.1:\(s.port)", code, shots.path, "\(w)", "\(h)"])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            numbers.append(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            for name in ["01-start", "04-place-papers", "05-jam", "07-check", "08-receipt", "10-after-idle"] {
                #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("kiosk-\(w)x\(h)-\(name).png").path),
                        "\(name) at \(w)x\(h)")
            }
        }
        // Two receipts, two drafts waiting for an operator; the walked-away intakes left nothing behind.
        var intakes: [Intake] = []
        for number in numbers { if let i = try? await s.station.database.intake(number: number) { intakes.append(i) } }
        #expect(intakes.count == 2)
        let queue = try await s.station.database.reviewQueue().map(\.draftId)
        for intake in intakes {
            #expect(intake.pageCount == 2)
            let draft = try #require(try await s.station.database.draft(batchId: intake.batchId))
            #expect(queue.contains(draft.id))
        }
        #expect(try await s.station.database.recentBatches().count == 2, "abandoned intakes are cleared")
        await s.stop()
    }
}

/// Issue 12's XSS test: a field value `<script>alert(1)</script>` is read from paper (the desk's upload and the
/// kiosk's scanner), typed at the desk, edited through the API, reviewed, and shown on every page that shows values;
/// `Browser/xss.py` checks in chromium that it never runs and that every page keeps the strict CSP.
extension BrowserTests {
    @Test(.timeLimit(.minutes(20)))
    func aScriptInAFieldIsReadReviewedAndShownButNeverRuns() async throws {
        try await Turn.endToEnd.run { try await Turn.kioskDevice.run { try await scriptInAField() } }
    }

    func scriptInAField() async throws {
        let script = BrowserTests.packageRoot.appendingPathComponent("Tests/ServerTests/Browser/xss.py")
        let sample = samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-xss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let page = dir.appendingPathComponent("to-khai-xss.png")
        let drawn = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "page", sample.path,
                                                                                page.path])
        try #require(drawn.status == 0, "\(drawn.stderr)")
        // The kiosk's scanner feeds the same paper.
        let sheet = dir.appendingPathComponent("to-khai-xss.pgm")
        try PageImage.load(page, info: try ImageProbe.probe(page)).grayscale().encoded(.pnm).write(to: sheet)
        let scanner = KioskScanner(sheet: sheet)
        // A long idle timeout: reading a whole page on a busy CI machine must not send the kiosk back to its start.
        let s = try await RunningStation.start(in: dir.appendingPathComponent("data"), scanners: try scanner.access(),
                                               kioskIdle: 900)
        _ = try await s.station.database.createKiosk(name: "sanh-xss", tokenHash: KioskPairing.unpairedTokenHash(), actor: "test")
        let code = try await s.app.accounts.issuePairingCode(kioskName: "sanh-xss", by: .system).code
        var env = ProcessInfo.processInfo.environment
        env["SOHOA_PW_OFFICER"] = RunningStation.passwords["canbo"]
        env["SOHOA_PW_REVIEWER"] = RunningStation.passwords["kiemtra"]
        env["SOHOA_PW_ADMIN"] = RunningStation.passwords["quantri"]
        let shots = BrowserTests.packageRoot.appendingPathComponent(".build/ui-screenshots")
        let run = try await runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", script.path, "journey", "http://127.0.0.1:\(s.port)", code, shots.path,
                                        page.path,
                                        samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.json").path],
                                       environment: env)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("xss passed"))
        // What the browser did, in the store: the payload as a value, never in the audit's clear text.
        let batches = try await s.station.database.recentBatches()
        #expect(batches.count == 2, "the kiosk's intake and the desk's batch")
        for batch in batches {
            let draft = try #require(try await s.station.database.draft(batchId: batch.id))
            let (_, fields) = try #require(try await s.station.database.draft(id: draft.id))
            #expect(fields.first { $0.key == "child.placeOfBirth" }?.value == "Bệnh viện <script>alert(1)</script> Vĩnh Long")
        }
        let audit = try await s.station.database.auditEntries(limit: 10_000)
        #expect(audit.allSatisfy { !($0.detail ?? "").contains("<script>") }, "values are sealed, not in clear")
        #expect(try await s.station.database.verifyAudit().isIntact)
        await s.stop()
    }
}
