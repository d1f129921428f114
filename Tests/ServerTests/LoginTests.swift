import Foundation
import Server
import Station
import Store
import Testing

/// `next=` after signing in, and what a wrong name costs.
@Suite struct LoginTests {
    func hiddenNext(_ page: Client.Reply) -> String? {
        page.body.range(of: "name=\"next\" value=\"").map { String(page.body[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test func nextLeadsOnlyToThisStationsOwnPaths() async throws {
        let s = try await RunningStation.start()
        // A page without a session sends the browser to the login page, which keeps where it was going.
        let bounced = try await Client(s).get("/review")
        #expect(bounced.status == 303 && bounced.location == "/login?next=/review")
        let form = try await Client(s).get("/login?next=%2Freview%3Fpage%3D2")
        #expect(hiddenNext(form) == "/review?page=2", "GET /login takes next=")

        let hostile = ["//evil.example/x", "/\\evil.example", "\\\\evil.example",
                       "https://evil.example/", "javascript:alert(1)", "/desk\r\nSet-Cookie: x=1", "/desk\u{0}",
                       "/\tevil", " /desk", "evil.example", "/login", "/login?next=//evil.example"]
        for next in hostile {
            let query = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(hiddenNext(try await Client(s).get("/login?next=\(query)")) == "/", "GET refuses \(next.debugDescription)")
            let c = Client(s)
            let page = try await c.get("/login")
            let token = page.body.range(of: "name=\"_csrf\" value=\"").map { String(page.body[$0.upperBound...].prefix { $0 != "\"" }) }
            let reply = try await c.post("/login", ["_csrf": token ?? "", "username": "canbo",
                                                    "password": RunningStation.passwords["canbo"]!, "next": next], csrf: false)
            #expect(reply.status == 303 && reply.location == "/", "POST refuses \(next.debugDescription): \(reply.location ?? "-")")
        }
        let c = Client(s)
        let page = try await c.get("/login?next=/review")
        let token = page.body.range(of: "name=\"_csrf\" value=\"").map { String(page.body[$0.upperBound...].prefix { $0 != "\"" }) }
        let reply = try await c.post("/login", ["_csrf": token ?? "", "username": "kiemtra",
                                                "password": RunningStation.passwords["kiemtra"]!, "next": hiddenNext(page) ?? ""],
                                     csrf: false)
        #expect(reply.location == "/review")
        await s.stop()
    }

    @Test func anUnknownNameCostsAsMuchAsAWrongPassword() async throws {
        let s = try await RunningStation.start()
        func time(_ name: String, _ password: String) async throws -> Double {
            let start = ContinuousClock.now
            #expect(try await Client(s).login(name, password: password).status == 401)
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        // Interleaved, and compared by their fastest tries: load on the machine only ever adds time. Under the
        // throttles: 3 tries per name (5 lock it) and 18 from this address (20 lock it).
        var known: [Double] = [], unknown: [Double] = []
        for i in 0..<3 {
            for name in ["canbo", "kiemtra", "kiemtra2"] {
                known.append(try await time(name, "wrong-password-\(i)"))
                unknown.append(try await time("khong-co-\(name)-\(i)", "wrong-password-\(i)"))
            }
        }
        #expect(unknown.min()! > known.min()! * 0.5, "unknown \(unknown) vs known \(known)")
        await s.stop()
    }
}
