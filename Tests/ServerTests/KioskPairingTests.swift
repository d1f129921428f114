import Foundation
import Server
import Station
import Store
import Testing

/// Pairing a kiosk with a short one-time code: typed on the kiosk, never in a URL, one use, minutes long, throttled.
@Suite struct KioskPairingTests {
    let helper = KioskTests()

    @Test func codesAreShortReadableAndKeptOnlyAsHashes() throws {
        for _ in 0..<200 {
            let code = KioskPairing.makeCode()
            #expect(code.count == 9 && code.split(separator: "-").map(\.count) == [4, 4], "\(code)")
            #expect(!code.contains { "01OIL".contains($0) }, "no look-alike characters: \(code)")
            #expect(KioskPairing.normalize(code.lowercased().replacingOccurrences(of: "-", with: " ")) ==
                    code.replacingOccurrences(of: "-", with: ""))
        }
        #expect(KioskPairing.normalize("ABCD-EFG0") == nil, "0 is not in the alphabet")
        #expect(KioskPairing.normalize("ABCD-EFG") == nil)
    }

    @Test func aCodePairsOnceWithinItsTimeAndNeverAppearsInTheStore() async throws {
        let s = try await RunningStation.start()
        _ = try await helper.addKiosk(s, "sanh-1")
        let code = try await helper.pairingCode(s, "sanh-1")

        // The form, then a typo-tolerant entry (lower case, spaces).
        let browser = Client(s)
        let form = try await browser.get("/kiosk/pair")
        #expect(form.status == 200 && form.body.contains("Mã ghép nối") && form.body.contains("id=\"code\""))
        #expect(try await browser.post("/kiosk/pair", ["code": code], csrf: false).status == 403, "the form's token is needed")
        let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
        let paired = try await helper.pair(browser, s, code: typed)
        #expect(paired.status == 303 && paired.location == "/kiosk")
        let cookie = try #require(paired.headers["Set-Cookie"].first { $0.hasPrefix("sohoa_kiosk=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(try await browser.get("/kiosk").status == 200)

        // One use.
        let again = try await helper.pair(Client(s), s, code: code)
        #expect(again.status == 401 && again.body.contains("pair-code"))

        // Fifteen minutes.
        let old = try await helper.pairingCode(s, "sanh-1", now: Date().addingTimeInterval(-16 * 60))
        #expect(try await helper.pair(Client(s), s, code: old).status == 401, "expired")

        // A new code replaces the one before; an API client trades it for a bearer token.
        let first = try await helper.pairingCode(s, "sanh-1")
        let second = try await helper.pairingCode(s, "sanh-1")
        #expect(try await helper.pair(Client(s), s, code: first).status == 401, "replaced by a newer code")
        let api = Client(s)
        let reply = try await api.post("/kiosk/pair", ["code": second], csrf: false, headers: [("Accept", "application/json")])
        #expect(reply.status == 200)
        api.bearer = try #require(json(reply)["token"] as? String)
        #expect(try await api.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false).status == 201)
        #expect(try await browser.get("/kiosk").status == 401, "the device paired before is unpaired")

        // No code, hash of a code or token reaches the audit log; codes of a revoked kiosk do not pair.
        let audit = try await s.station.database.auditEntries(limit: 1000)
        #expect(audit.contains { $0.action == "kiosk.pair" } && audit.contains { $0.action == "kiosk.pair-code" })
        for e in audit {
            for secret in [code, first, second].flatMap({ [$0, $0.replacingOccurrences(of: "-", with: "")] }) {
                #expect(!(e.detail ?? "").contains(secret))
            }
        }
        let last = try await helper.pairingCode(s, "sanh-1")
        try await s.station.database.revokeKiosk(name: "sanh-1", actor: "test")
        #expect(try await helper.pair(Client(s), s, code: last).status == 401)
        await #expect(throws: StationError.self) { try await helper.pairingCode(s, "sanh-1") }
        await s.stop()
    }

    @Test func wrongCodesAreThrottled() async throws {
        let s = try await RunningStation.start()
        _ = try await helper.addKiosk(s, "sanh-1")
        let c = Client(s)
        for _ in 0..<10 { #expect(try await helper.pair(c, s, code: KioskPairing.makeCode()).status == 401) }
        let blocked = try await helper.pair(c, s, code: try helper.pairingCode(s, "sanh-1"))
        #expect(blocked.status == 429 && blocked.headers.first(name: "Retry-After") != nil, "even a right code waits")
        await s.stop()
    }
}
