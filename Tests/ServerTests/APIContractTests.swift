import Foundation
import Server
import Station
import Store
import Testing
import TestSupport

/// The station answers as `Sources/Server/Resources/station.openapi.yaml` says: the description, as the station
/// serves it, is valid OpenAPI (openapi-spec-validator), and schemathesis (both from PyPI, installed by `.ci/setup`)
/// generates requests from it against a live station holding real data (a desk batch read into a draft, a paired
/// kiosk's checked intake) and checks every answer: no 5xx, a documented status and content type, a body that fits
/// the schema, the headers it promises, and no protected operation answering without credentials. The people's side is
/// run as an admin and as a reviewer (session cookie and CSRF header), the kiosk's with its bearer token (its intake,
/// then confirming it, cancelling another), and pairing as an API client (`Accept: application/json`).
@Suite(.serialized) struct APIContractTests {
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    /// Both tools import (the check runs once, when the test is about to start).
    static let toolsInstalled: Bool = {
        let probe = try? runProgramSync(python, ["python3", "-c", "import schemathesis, openapi_spec_validator"])
        return probe?.status == 0
    }()

    @Test(.enabled(if: APIContractTests.toolsInstalled,
                   "schemathesis or openapi-spec-validator cannot be imported by python3: run .ci/setup"),
          .timeLimit(.minutes(15)))
    func theStationAnswersAsItsOpenAPIDescriptionSays() async throws {
        try await Turn.endToEnd.run { try await stationAnswersAsItsDescriptionSays() }
    }

    func stationAnswersAsItsDescriptionSays() async throws {
        let s = try await RunningStation.start()
        do {
            try await check(s)
        } catch {
            await s.stop()
            throw error
        }
        await s.stop()
    }

    func check(_ s: RunningStation) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // The description, from the station itself; signed-in people only.
        #expect(try await Client(s).get("/api/openapi.yaml").status == 401)
        let admin = Client(s)
        _ = try await admin.login("quantri")
        let served = try await admin.get("/api/openapi.yaml")
        #expect(served.status == 200)
        #expect(served.headers.first(name: "Content-Type")?.hasPrefix("application/yaml") == true)
        let spec = dir.appendingPathComponent("station.openapi.yaml")
        try served.data.write(to: spec)
        let shipped = try Data(contentsOf: samplesDirectory.deletingLastPathComponent()
            .appendingPathComponent("Sources/Server/Resources/station.openapi.yaml"))
        #expect(served.data == shipped, "the station serves the file in Sources/Server/Resources")
        let valid = try await runProgram(Self.python, ["python3", "-c", """
            import sys
            from openapi_spec_validator import validate
            from openapi_spec_validator.readers import read_from_filename
            validate(read_from_filename(sys.argv[1])[0])
            """, spec.path])
        #expect(valid.status == 0, "not valid OpenAPI: \(valid.stderr)")

        // Real data: an officer's batch read into a draft, through the desk.
        let officer = Client(s)
        _ = try await officer.login("canbo")
        let batch = try await officer.openBatch()
        let page = try Data(contentsOf: samplesDirectory.appendingPathComponent("forms/dev-001-khai-sinh.png"))
        _ = try await officer.upload("/desk/batches/\(batch)/upload", files: [("to-khai.png", page)])
        #expect(try await officer.post("/desk/batches/\(batch)/read", [:]).status == 303)
        #expect(try await waitFor(seconds: 90) { try await s.station.database.draft(batchId: batch) != nil })
        let draft = try #require(try await s.station.database.draft(batchId: batch)).id

        // A kiosk paired through the API, with an intake holding a page, checked, and one just opened.
        let code = try await s.app.accounts.addKiosk(name: "sanh-api", by: .system).code
        let kiosk = Client(s)
        let paired = try await kiosk.post("/kiosk/pair", ["code": code], csrf: false,
                                          headers: [("Accept", "application/json")])
        kiosk.bearer = try #require(json(paired)["token"] as? String)
        func startIntake() async throws -> String {
            let started = try await kiosk.post("/kiosk/intakes", ["procedure": "1.001193"], csrf: false)
            #expect(started.status == 201)
            return try #require(json(started)["intakeId"] as? String)
        }
        let intake = try await startIntake(), fresh = try await startIntake()
        // The form and a second sheet (the procedure asks for two papers; the same page stands in for the other).
        _ = try await s.app.batches.upload([IncomingFile(name: "trang-1.png", data: page),
                                            IncomingFile(name: "trang-2.png", data: page)], into: intake, by: .system)
        #expect(try await kiosk.post("/kiosk/intakes/\(intake)/check", [:], csrf: false).status == 200)
        func kioskPhase() async throws -> String? {
            json(try await kiosk.get("/api/kiosk/intakes/\(intake)"))["phase"] as? String
        }
        #expect(try await waitFor(seconds: 90) { try await kioskPhase() == "checked" })

        let reviewer = Client(s)
        _ = try await reviewer.login("kiemtra")
        let session = ["sessionCookie": "api_key = \"${SOHOA_CONTRACT_SESSION}\"",
                       "csrfToken": "api_key = \"${SOHOA_CONTRACT_CSRF}\""]
        let bearer = ["kioskToken": "bearer = \"${SOHOA_CONTRACT_KIOSK}\""]
        let people = "^/(api/)?kiosk/"
        let runs = [
            // An admin may call every operation of the session's side: nothing may answer only 401/403 or 404.
            Run(name: "admin", exclude: people, auth: session, parameters: ["batch": batch, "draft": draft],
                secrets: ["SOHOA_CONTRACT_SESSION": try #require(admin.cookies["sohoa_session"]),
                          "SOHOA_CONTRACT_CSRF": try #require(admin.csrf)],
                failOn: ["missing_auth", "missing_test_data"]),
            // A reviewer: 403 for the desk's batches and the metrics; its edits claim the draft.
            Run(name: "reviewer", exclude: people, auth: session, parameters: ["batch": batch, "draft": draft],
                secrets: ["SOHOA_CONTRACT_SESSION": try #require(reviewer.cookies["sohoa_session"]),
                          "SOHOA_CONTRACT_CSRF": try #require(reviewer.csrf)],
                failOn: ["missing_test_data"]),
            // The kiosk: its intake, then confirming it and cancelling the other (each the end of an intake).
            Run(name: "kiosk", include: "^/(api/)?kiosk/intakes(/[^/]+(/(scan|check)|/pages/.*)?)?$", auth: bearer,
                parameters: ["batch": intake], secrets: ["SOHOA_CONTRACT_KIOSK": try #require(kiosk.bearer)]),
            Run(name: "kiosk-confirm", include: "/confirm$", auth: bearer, parameters: ["batch": intake],
                secrets: ["SOHOA_CONTRACT_KIOSK": try #require(kiosk.bearer)],
                // The kiosk run's checks read the pages again: confirm once that is done.
                prepare: { _ = try await waitFor(seconds: 90) { try await kioskPhase() == "checked" } }),
            Run(name: "kiosk-cancel", include: "/cancel$", auth: bearer, parameters: ["batch": fresh],
                secrets: ["SOHOA_CONTRACT_KIOSK": try #require(kiosk.bearer)]),
            // Pairing, as an API client: wrong codes (401), then the throttle (429 with Retry-After).
            Run(name: "pairing", include: "^/kiosk/pair$", headers: ["Accept: application/json"]),
        ]
        for run in runs {
            try await run.prepare()
            let outcome = try await schemathesis(run, spec: spec, port: s.port, dir: dir)
            #expect(outcome.passed, "schemathesis, \(run.name): \(outcome.report)")
        }
        // The credentials and the data reached the operations that change something. (Schemathesis's `missing_auth`
        // cannot say so for the kiosk's actions: their only input is the token, so fuzzing them tries only bad ones.)
        let edits = try await s.station.database.auditEntries(limit: 10_000).filter { $0.action.hasPrefix("field.") }
        #expect(edits.contains { $0.actor == "quantri" }, "the admin's run edited fields")
        #expect(edits.contains { $0.actor == "kiemtra" }, "the reviewer's run edited fields")
        #expect(try await s.station.database.intake(batchId: intake) != nil, "the kiosk's run confirmed its intake")
        #expect(try await kiosk.get("/api/kiosk/intakes/\(fresh)").status == 404, "the kiosk's run cancelled the other")
    }

    /// One schemathesis run: the operations whose path `include` matches (or all but those `exclude` matches), with
    /// credentials per security scheme and fixed path parameters (the real data).
    struct Run {
        var name: String
        var include: String?
        var exclude: String?
        /// Per security scheme, its TOML settings; `${VAR}` names a value in `secrets`, which reach schemathesis
        /// through its environment, never a file or its arguments.
        var auth: [String: String] = [:]
        var parameters: [String: String] = [:]
        var headers: [String] = []
        var secrets: [String: String] = [:]
        /// Schemathesis warnings that fail the run: operations that only ever answered 401/403 (`missing_auth`) or
        /// 404 (`missing_test_data`) would mean that the credentials or the data did not reach them.
        var failOn: [String] = []
        var prepare: () async throws -> Void = {}
    }

    struct Outcome {
        var passed: Bool
        /// What schemathesis printed (the station's data here are the synthetic Samples forms).
        var report: String
    }

    func schemathesis(_ run: Run, spec: URL, port: Int, dir: URL) async throws -> Outcome {
        // Whatever fails, schemathesis also fails on these: it could not check a body, or a pattern of the spec.
        let failOn = (run.failOn + ["missing_deserializer", "unsupported_regex"]).map { "\"\($0)\"" }
        var config = """
            [cache]
            enabled = false

            [generation]
            database = "none"

            [warnings]
            fail-on = [\(failOn.joined(separator: ", "))]


            """
        for (scheme, settings) in run.auth.sorted(by: { $0.key < $1.key }) {
            config += "[auth.openapi.\(scheme)]\n\(settings)\n\n"
        }
        config += "[parameters]\n" + run.parameters.sorted { $0.key < $1.key }
            .map { "\"path.\($0.key)\" = \"\($0.value)\"\n" }.joined()
        let file = dir.appendingPathComponent("schemathesis-\(run.name).toml")
        try Data(config.utf8).write(to: file)
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in run.secrets { environment[k] = v }
        // Hypothesis keeps its files here rather than in the working directory (the package).
        environment["HYPOTHESIS_STORAGE_DIRECTORY"] = dir.appendingPathComponent("hypothesis").path
        var arguments = [
            "python3", "-m", "schemathesis.cli", "--no-color", "--config-file", file.path,
            "run", spec.path, "--url", "http://127.0.0.1:\(port)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                + "response_schema_conformance,response_headers_conformance,ignored_auth",
            "--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--seed", "20260114", "--workers", "1",
            "--request-timeout", "10",
        ]
        if let include = run.include { arguments += ["--include-path-regex", include] }
        if let exclude = run.exclude { arguments += ["--exclude-path-regex", exclude] }
        for header in run.headers { arguments += ["--header", header] }
        let result = try await runProgram(Self.python, arguments, environment: environment)
        return Outcome(passed: result.status == 0, report: result.stdout + result.stderr)
    }
}
