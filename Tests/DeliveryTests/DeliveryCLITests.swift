import CaseSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Pipeline
import Store
import Testing

/// `submit`, `queue`, `deliver` and `case-sim` as an operator runs them: separate processes on one data directory.
@Suite(.serialized) struct DeliveryCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func submitRefusesFlaggedDraftsThenQueuesAndDeliverEmptiesTheQueue() async throws {
        let data = temporaryDirectory()
        let (flagged, clean): (String, String)
        do {
            let station = try makeStation(data)
            flagged = try await makeDraft(station, seed: 1, flagged: ["child.fullName", "requester.idNumber"]).id
            clean = try await makeDraft(station, seed: 2).id
        }
        let refused = try await runSohoa(["submit", flagged, "--data", data.path])
        #expect(refused.status == 9)
        #expect(refused.stderr.contains("2 field(s) still need review: requester.idNumber, child.fullName"))
        #expect(refused.stderr.contains("--accept-flagged"))
        let missing = try await runSohoa(["submit", "d_nothing", "--data", data.path])
        #expect(missing.status == 7)

        let queued = try json(try await runSohoa(["submit", clean, "--data", data.path, "--json"]).stdout)
        #expect(queued["state"] as? String == "pending")
        #expect((queued["pdfBytes"] as? Int ?? 0) > 1000)
        let again = try await runSohoa(["submit", clean, "--data", data.path])
        #expect(again.status == 9)
        #expect(again.stderr.contains("queued"))
        let accepted = try json(try await runSohoa(["submit", flagged, "--accept-flagged", "--data", data.path, "--json"]).stdout)
        #expect(accepted["acceptedFlagged"] as? Int == 2)

        let before = try json(try await runSohoa(["queue", "--json", "--data", data.path]).stdout)
        #expect((before["counts"] as? [String: Int])?["pending"] == 2)

        // No address or no credentials: a usage error that says what to set.
        let noAddress = try await runSohoa(["deliver", "--until-empty", "--data", data.path])
        #expect(noAddress.status == 64)
        #expect(noAddress.stderr.contains("SOHOA_CASE_SYSTEM"))
        var bare = stationEnvironment()
        bare.removeValue(forKey: "SOHOA_CASE_CLIENT_SECRET")
        let noSecret = try await runSohoa(["deliver", "--until-empty", "--data", data.path, "--case-system", "http://127.0.0.1:1"],
                                    environment: bare)
        #expect(noSecret.status == 64)
        #expect(noSecret.stderr.contains("SOHOA_CASE_CLIENT_SECRET"))

        let sim = try await startSimulator()
        let run = try await runSohoa(["deliver", "--until-empty", "--json", "--data", data.path,
                                "--case-system", sim.baseURL.absoluteString])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try json(run.stdout)
        #expect(summary["delivered"] as? Int == 2)
        #expect(summary["waiting"] as? Int == 0)
        let after = try json(try await runSohoa(["queue", "--json", "--data", data.path]).stdout)
        #expect((after["counts"] as? [String: Int])?["delivered"] == 2)
        let codes = (after["deliveries"] as? [[String: Any]])?.compactMap { $0["receiptCode"] as? String } ?? []
        #expect(Set(codes) == Set(try sim.simulator.receipts().values))
        let text = try await runSohoa(["queue", "--data", data.path]).stdout
        #expect(text.contains("đã gửi 2"))
        #expect(text.contains("mã hồ sơ 000.00.00.H99-"))
        await sim.stop()
    }

    @Test func aRefusedDossierIsParkedAndAnOperatorRetriesOrCancelsIt() async throws {
        let data = temporaryDirectory()
        let draft: String
        do {
            let station = try makeStation(data)
            draft = try await makeDraft(station, seed: 5).id
            try await submit(station, draft)
        }
        // The case system refuses the station's credentials for good: parked, with the reason.
        let sim = try await startSimulator()
        var wrong = stationEnvironment()
        wrong["SOHOA_CASE_CLIENT_SECRET"] = "not-the-secret"
        let run = try await runSohoa(["deliver", "--until-empty", "--data", data.path, "--case-system", sim.baseURL.absoluteString],
                               environment: wrong)
        #expect(run.status == 0)
        #expect(run.stdout.contains("1 hồ sơ tạm dừng"))
        let parked = try json(try await runSohoa(["queue", "--json", "--state", "parked", "--data", data.path]).stdout)
        let row = try #require((parked["deliveries"] as? [[String: Any]])?.first)
        #expect(row["lastErrorCode"] as? String == "auth_rejected")
        let id = try #require(row["id"] as? String)

        // Fixed credentials, the operator sends it again.
        #expect(try await runSohoa(["queue", "retry", id, "--data", data.path]).status == 0)
        #expect(try await runSohoa(["queue", "retry", id, "--data", data.path]).status == 9)
        let again = try await runSohoa(["deliver", "--until-empty", "--data", data.path, "--case-system", sim.baseURL.absoluteString])
        #expect(again.status == 0)
        #expect(try sim.simulator.stats().received == 1)
        // A delivered dossier cannot be cancelled.
        let cancel = try await runSohoa(["queue", "cancel", id, "--data", data.path])
        #expect(cancel.status == 9)
        #expect(try await runSohoa(["queue", "cancel", "dl_nothing", "--data", data.path]).status == 7)
        await sim.stop()
    }

    @Test func theSimulatorCommandServesItsAPIAndStats() async throws {
        let p = Process()
        p.executableURL = sohoaExecutable()
        p.arguments = ["case-sim", "--port", "0", "--error-rate", "0.2"]
        p.environment = stationEnvironment()
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate() }
        // It names its address once it listens.
        let line = readFirstLine(out.fileHandleForReading)
        let address = try #require(line.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(address.hasPrefix("http://127.0.0.1:"))
        let base = try #require(URL(string: address))

        let data = temporaryDirectory()
        do {
            let station = try makeStation(data)
            for i in 0..<3 { try await submit(station, try makeDraft(station, seed: 10 + i).id) }
        }
        let run = try await runSohoa(["deliver", "--until-empty", "--json", "--backoff-base", "0.05", "--data", data.path,
                                "--case-system", base.absoluteString])
        #expect(run.status == 0, "\(run.stderr)")
        let (body, _) = try await URLSession.shared.data(from: base.appendingPathComponent("_sim/stats"))
        let stats = try json(String(decoding: body, as: UTF8.self))
        #expect(stats["received"] as? Int == 3)
        #expect(stats["duplicates"] as? Int == 0)
        // Every route but health and stats wants credentials.
        var post = URLRequest(url: base.appendingPathComponent("api/v1/hoso"))
        post.httpMethod = "POST"
        let (_, anonymous) = try await URLSession.shared.data(for: post)
        #expect((anonymous as? HTTPURLResponse)?.statusCode == 401)
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit, "SIGTERM stops it cleanly")
    }
}
