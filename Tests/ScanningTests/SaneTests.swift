import Foundation
import Testing
@testable import Scanning

@Suite("SANE test backend", .serialized)
struct SaneTests {
    @Test func listsTheVirtualScanners() async throws {
        let devices = try await sane.devices(localOnly: true)
        #expect(devices.contains { $0.name == "test:0" })
        #expect(devices.contains { $0.name.hasPrefix("pnm") })
    }

    @Test func explore() async throws {
        let (device, profile) = try await openTestScanner()
        defer { Task { await device.close() } }
        let session = try await ScanSession.configure(device, profile: profile, request: ScanRequest(dpi: 100))
        print(session.settings)
        var n = 0
        let outcome = try await session.run { page in
            print(page.number, page.frame.width, page.frame.height, page.frame.depth, page.frame.inkCoverage())
        }
        print(outcome)
        let again = try? await session.run { _ in n += 0 }
        print("again", again as Any)
    }
}
