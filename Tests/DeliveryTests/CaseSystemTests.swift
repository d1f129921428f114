import CaseSimulator
import Delivery
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Pipeline
import Store
import Testing

/// The REST adapter against the simulator, over real HTTP on loopback.
@Suite struct CaseSystemTests {
    /// A package as the worker loads it: the stored record and its PDF.
    func outgoing(_ station: StationParts, seed: Int) async throws -> (OutgoingDossier, DossierRecord) {
        let draft = try await makeDraft(station, seed: seed)
        let built = try await packager(station).build(draftId: draft.id)
        let file = built.record.components[0].files[0]
        let dossier = OutgoingDossier(
            record: try station.blobs.data(for: built.recordSha256),
            files: [OutgoingFile(name: file.name, contentType: file.contentType, data: try station.blobs.data(for: file.sha256))])
        return (dossier, built.record)
    }

    @Test func aRepeatWithTheSameKeyGetsTheFirstReceiptAndIsCountedAsADuplicate() async throws {
        let station = try makeStation()
        let sim = try await startSimulator()
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            let (dossier, record) = try await outgoing(station, seed: 1)

            let first = try await client.submit(dossier, idempotencyKey: "key-1")
            #expect(!first.replayed)
            #expect(first.code.hasPrefix("000.00.00.H99-"))
            let again = try await client.submit(dossier, idempotencyKey: "key-1")
            #expect(again.replayed)
            #expect(again.code == first.code)
            let other = try await client.submit(try outgoing(station, seed: 2).0, idempotencyKey: "key-2")
            #expect(other.code != first.code)

            let stats = try await fetchStats(sim)
            #expect(stats.received == 2)
            #expect(stats.duplicates == 1)
            #expect(stats.distinctDossiers == 2)
            #expect(try sim.simulator.receipts()["key-1"] == first.code)
            _ = record
        }
        await sim.stop()
    }

    @Test func aKeyReusedForAnotherDossierIsRefusedForGood() async throws {
        let station = try makeStation()
        let sim = try await startSimulator()
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            _ = try await client.submit(try outgoing(station, seed: 1).0, idempotencyKey: "same")
            let failure = await #expect(throws: DeliveryFailure.self) {
                try await client.submit(try outgoing(station, seed: 2).0, idempotencyKey: "same")
            }
            #expect(failure?.kind == .permanent)
            #expect(failure?.status == 422)
            #expect(failure?.message.contains("idempotency_key_reused") == true)
        }
        await sim.stop()
    }

    @Test func aDamagedFileIsRefusedByItsChecksum() async throws {
        let station = try makeStation()
        let sim = try await startSimulator()
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            var (dossier, _) = try await outgoing(station, seed: 3)
            dossier.files[0].data[dossier.files[0].data.count / 2] ^= 0xFF
            let failure = await #expect(throws: DeliveryFailure.self) {
                try await client.submit(dossier, idempotencyKey: "k")
            }
            #expect(failure?.kind == .permanent)
            #expect(failure?.message.contains("checksum_mismatch") == true)
            #expect(try sim.simulator.stats().received == 0)
        }
        await sim.stop()
    }

    @Test func anUploadOverTheCaseSystemsLimitIsRefusedForGood() async throws {
        let station = try makeStation()
        let sim = try await startSimulator { $0.maxUploadBytes = 4096 }
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            let failure = await #expect(throws: DeliveryFailure.self) {
                try await client.submit(try outgoing(station, seed: 8).0, idempotencyKey: "big")
            }
            #expect(failure?.status == 413)
            #expect(failure?.kind == .permanent)
            #expect(try sim.simulator.stats().received == 0)
        }
        await sim.stop()
    }

    @Test func wrongCredentialsAreAPermanentAuthFailure() async throws {
        let station = try makeStation()
        let sim = try await startSimulator()
        let client = try restClient(sim.baseURL, secret: "wrong")
        try await closing(client) { () async throws in
            let failure = await #expect(throws: DeliveryFailure.self) {
                try await client.submit(try outgoing(station, seed: 4).0, idempotencyKey: "k")
            }
            #expect(failure?.code == "auth_rejected")
            #expect(failure?.kind == .permanent)
        }

        // An API key works instead of a token; a wrong one is refused.
        sim.simulator.update { $0.apiKey = "key-\(UUID().uuidString)" }
        let key = try #require(sim.simulator.configuration.apiKey)
        let keyed = try RESTCaseSystem(.init(baseURL: sim.baseURL, auth: .apiKey(key)))
        #expect(try await keyed.submit(try outgoing(station, seed: 5).0, idempotencyKey: "k5").code.isEmpty == false)
        await keyed.shutdown()
        let badKey = try RESTCaseSystem(.init(baseURL: sim.baseURL, auth: .apiKey("nope")))
        let refused = await #expect(throws: DeliveryFailure.self) {
            try await badKey.submit(try outgoing(station, seed: 6).0, idempotencyKey: "k6")
        }
        #expect(refused?.code == "auth_rejected")
        await badKey.shutdown()
        await sim.stop()
    }

    @Test func anExpiredTokenIsRefreshedOnce() async throws {
        let station = try makeStation()
        let sim = try await startSimulator { $0.tokenLifetime = 2 }
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            _ = try await client.submit(try outgoing(station, seed: 1).0, idempotencyKey: "a")
            // Refused before its time: the client fetches a new token and the dossier still goes through.
            sim.simulator.update { $0.expireTokenRate = 1 }
            await #expect(throws: DeliveryFailure.self) {
                try await client.submit(try outgoing(station, seed: 2).0, idempotencyKey: "b")
            }
            sim.simulator.update { $0.expireTokenRate = 0 }
            try await Task.sleep(for: .seconds(2.3))
            _ = try await client.submit(try outgoing(station, seed: 3).0, idempotencyKey: "c")
            let stats = try sim.simulator.stats()
            #expect(stats.expiredTokens >= 2)
            #expect(stats.received == 2)
        }
        await sim.stop()
    }

    @Test func faultsAreRetryableWithTheSimulatorsRetryAfter() async throws {
        let station = try makeStation()
        let sim = try await startSimulator { $0.throttleRate = 1; $0.retryAfter = 7 }
        let client = try restClient(sim.baseURL)
        try await closing(client) { () async throws in
            let (dossier, _) = try await outgoing(station, seed: 1)
            let throttled = await #expect(throws: DeliveryFailure.self) { try await client.submit(dossier, idempotencyKey: "t") }
            #expect(throttled?.code == "rate_limited")
            #expect(throttled?.kind == .retryable)
            #expect(throttled?.retryAfter == 7)

            sim.simulator.update { $0.throttleRate = 0; $0.errorRate = 1 }
            let error = await #expect(throws: DeliveryFailure.self) { try await client.submit(dossier, idempotencyKey: "t") }
            #expect(error?.code == "server_error")
            #expect(error?.kind == .retryable)

            // Stored, but the reply is lost: the client sees a network failure; sending again returns the receipt.
            sim.simulator.update { $0.errorRate = 0; $0.dropRate = 1 }
            let dropped = await #expect(throws: DeliveryFailure.self) { try await client.submit(dossier, idempotencyKey: "t") }
            #expect(dropped?.kind == .retryable)
            #expect(try sim.simulator.stats().received == 1)
            sim.simulator.update { $0.dropRate = 0 }
            let receipt = try await client.submit(dossier, idempotencyKey: "t")
            #expect(receipt.replayed)
            let stats = try sim.simulator.stats()
            #expect(stats.received == 1)
            #expect(stats.duplicates == 1)
            #expect(stats.throttled == 1 && stats.errors == 1 && stats.drops == 1)
        }
        await sim.stop()
    }

    @Test func aDeadAddressIsARetryableNetworkFailureAndPlainHTTPIsForThisMachineOnly() async throws {
        let station = try makeStation()
        let sim = try await startSimulator()
        let port = sim.port
        await sim.stop()
        let client = try restClient(URL(string: "http://127.0.0.1:\(port)")!)
        try await closing(client) { () async throws in
            let failure = await #expect(throws: DeliveryFailure.self) {
                try await client.submit(try outgoing(station, seed: 1).0, idempotencyKey: "x")
            }
            #expect(failure?.code == "network")
            #expect(failure?.kind == .retryable)
        }
        #expect(throws: DeliveryError.self) {
            try RESTCaseSystem(.init(baseURL: URL(string: "http://dvc.example.gov.vn")!, auth: .apiKey("k")))
        }
        #expect(throws: DeliveryError.self) {
            try RESTCaseSystem(.init(baseURL: URL(string: "ftp://127.0.0.1")!, auth: .apiKey("k")))
        }
    }

    /// `GET /_sim/stats`, over HTTP as any client would read it.
    func fetchStats(_ sim: RunningSimulator) async throws -> CaseSimulator.Stats {
        let (data, response) = try await URLSession.shared.data(from: sim.baseURL.appendingPathComponent("_sim/stats"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return try JSONDecoder().decode(CaseSimulator.Stats.self, from: data)
    }
}

/// HTTPS: the station trusts a provincial CA named by `caFile`, and refuses a certificate it cannot verify.
@Suite struct TLSTests {
    @Test func theAdapterSpeaksHTTPSAndChecksTheCertificate() async throws {
        let dir = temporaryDirectory()
        let cert = dir.appendingPathComponent("case-system.pem").path
        let key = dir.appendingPathComponent("case-system.key").path
        let made = try await runTool("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        try #require(made.status == 0, "openssl could not make a test certificate")
        let station = try makeStation()
        let sim = try await startSimulator { $0.tlsCertificate = cert; $0.tlsKey = key }
        #expect(sim.baseURL.scheme == "https")
        let draft = try await makeDraft(station, seed: 1)
        try await submit(station, draft.id)

        // Not trusted: the system's roots do not know this certificate.
        let untrusting = try restClient(sim.baseURL)
        let worker = fastWorker(station, untrusting)
        let outcome = try #require(try await worker.deliverOne())
        guard case .willRetry(let code, _) = outcome else { Issue.record("expected a retry, got \(outcome)"); return }
        #expect(code == "network")
        #expect(try await station.database.outbox().first?.lastError?.contains("TLS certificate is not trusted") == true)
        #expect(try sim.simulator.stats().received == 0)
        await untrusting.shutdown()

        let trusting = try RESTCaseSystem(.init(
            baseURL: sim.baseURL, auth: .oauth2(clientId: simulatorCredentials.id, clientSecret: simulatorCredentials.secret,
                                                tokenURL: nil), caFile: cert))
        let summary = try await fastWorker(station, trusting).runUntilEmpty()
        #expect(summary.delivered == 1)
        #expect(try sim.simulator.stats().received == 1)
        await trusting.shutdown()
        await sim.stop()
        #expect(throws: DeliveryError.self) {
            try RESTCaseSystem(.init(baseURL: sim.baseURL, auth: .apiKey("k"), caFile: dir.appendingPathComponent("none").path))
        }
    }
}
