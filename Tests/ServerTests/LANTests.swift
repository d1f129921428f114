import Foundation
import Pipeline
import Server
import Station
import Store
import Testing
import TestSupport

/// A second host on the centre's LAN: a network namespace with its own address on a veth pair (10.231.N.0/30,
/// private, made for this run), a station serving HTTPS on the host side with a certificate from `sohoa tls init`,
/// and chromium in the namespace trusting the station CA. Skipped only where namespaces cannot be made.
@Suite(.serialized) struct LANTests {
    static let ip = URL(fileURLWithPath: "/usr/sbin/ip")

    /// Whether `ip netns add` works here (root, a kernel that allows it).
    static let namespacesWork: Bool = {
        let probe = "sohoa-probe-\(getpid())"
        guard FileManager.default.isExecutableFile(atPath: ip.path),
              (try? runProgramSync(ip, ["netns", "add", probe]))?.status == 0 else { return false }
        _ = try? runProgramSync(ip, ["netns", "del", probe])
        return true
    }()

    /// The namespace and the veth pair; `remove()` takes them away (the pair goes with the namespace).
    struct Network {
        let name: String
        let hostAddress: String
        let peerAddress: String

        static func make() throws -> Network {
            let pid = Int(getpid())
            let n = pid % 250
            let net = Network(name: "sohoa-lan-\(pid)", hostAddress: "10.231.\(n).1", peerAddress: "10.231.\(n).2")
            let (host, peer) = ("sohoa-h\(pid % 100000)", "sohoa-n\(pid % 100000)")
            let steps: [[String]] = [
                ["netns", "add", net.name],
                ["link", "add", host, "type", "veth", "peer", "name", peer],
                ["link", "set", peer, "netns", net.name],
                ["addr", "add", "\(net.hostAddress)/30", "dev", host],
                ["link", "set", host, "up"],
                ["-n", net.name, "addr", "add", "\(net.peerAddress)/30", "dev", peer],
                ["-n", net.name, "link", "set", peer, "up"],
                ["-n", net.name, "link", "set", "lo", "up"],
            ]
            for step in steps {
                let r = try runProgramSync(ip, step)
                if r.status != 0 {
                    net.remove()
                    _ = try? runProgramSync(ip, ["link", "del", host])
                    throw TestFailure("ip \(step.joined(separator: " ")): \(r.stderr)")
                }
            }
            return net
        }

        func remove() { _ = try? runProgramSync(LANTests.ip, ["netns", "del", name]) }
    }

    struct TestFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    @Test(.enabled(if: LANTests.namespacesWork, "needs `ip netns add` (root in a sandbox that allows network namespaces)"),
          .timeLimit(.minutes(15)))
    func aBrowserOnAnotherHostSignsInOverHTTPSAndPairsAKiosk() async throws {
        try await Turn.endToEnd.run { try await browserOnAnotherHost() }
    }

    func browserOnAnotherHost() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-lan-\(UUID().uuidString)")
        let data = dir.appendingPathComponent("data")
        defer { try? FileManager.default.removeItem(at: dir) }
        let password = "officer-pass-123"
        do {
            let station = try StationParts(StationConfiguration(dataDirectory: data, workers: 1))
            _ = try await station.database.createUser(username: "canbo", displayName: "canbo", role: .officer,
                                                passwordHash: try PasswordHash.make(password), actor: "test")
        }
        let net = try Network.make()
        defer { net.remove() }
        let sohoa = sohoaExecutable()

        // Plain HTTP on the LAN address is refused, saying how to fix it.
        let plain = try await runProgram(sohoa, ["serve", "--data", data.path, "--host", net.hostAddress, "--port", "0"])
        #expect(plain.status == 64, "\(plain.stdout)\(plain.stderr)")
        #expect(plain.stderr.contains("sohoa tls init --host \(net.hostAddress)"), "\(plain.stderr)")

        // `tls init`: a CA and a server certificate for the LAN address, keys 0600.
        let made = try await runProgram(sohoa, ["tls", "init", "--data", data.path, "--host", net.hostAddress])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("update-ca-certificates") && made.stdout.contains("certutil"))
        let tls = data.appendingPathComponent("tls")
        for key in ["ca-key.pem", "server-key.pem"] {
            let mode = try FileManager.default.attributesOfItem(atPath: tls.appendingPathComponent(key).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(key) is \(String(mode ?? 0, radix: 8))")
        }

        // A kiosk and its one-time code, as an administrator does it.
        let added = try await runProgram(sohoa, ["kiosk", "add", "sanh-lan", "--data", data.path])
        #expect(added.status == 0, "\(added.stderr)")
        let code = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(KioskPairing.normalize(code) != nil, "\(code)")

        // The station: TLS files and data from a configuration file, the address from a flag (flags win).
        let config = dir.appendingPathComponent("sohoa.yaml")
        try """
            # sohoa serve settings (test)
            data: \(data.path)
            host: 127.0.0.1
            port: 0
            tlsCert: \(tls.appendingPathComponent("server.pem").path)
            tlsKey: \(tls.appendingPathComponent("server-key.pem").path)
            kioskIdle: 300
            """.write(to: config, atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = sohoa
        server.arguments = ["serve", "--config", config.path, "--host", net.hostAddress]
        let out = Pipe()
        server.standardOutput = out
        let log = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        server.standardError = try FileHandle(forWritingTo: log)
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let banner = readFirstLine(out.fileHandleForReading)
        let base = try #require(banner.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(base.hasPrefix("https://\(net.hostAddress):"), "\(banner)")

        // The second host trusts the station CA in its own NSS database, as the README tells a centre to do.
        let home = dir.appendingPathComponent("home")
        let nss = home.appendingPathComponent(".pki/nssdb")
        try FileManager.default.createDirectory(at: nss, withIntermediateDirectories: true)
        let certutil = URL(fileURLWithPath: "/usr/bin/certutil")
        #expect(try runProgramSync(certutil, ["-d", "sql:\(nss.path)", "-N", "--empty-password"]).status == 0)
        let trusted = try runProgramSync(certutil, ["-d", "sql:\(nss.path)", "-A", "-t", "C,,", "-n", "sohoa station CA",
                                                    "-i", tls.appendingPathComponent("ca.pem").path])
        #expect(trusted.status == 0, "\(trusted.stderr)")

        let shots = BrowserTests.packageRoot.appendingPathComponent(".build/ui-screenshots")
        let script = BrowserTests.packageRoot.appendingPathComponent("Tests/ServerTests/Browser/lan.py")
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home.path
        env["SOHOA_PW_OFFICER"] = password
        let run = try await runProgram(Self.ip, ["netns", "exec", net.name, "/usr/bin/env", "python3", script.path, base,
                                                 code, shots.path], environment: env)
        let serveLog = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)\n\(serveLog.suffix(2000))")
        #expect(!serveLog.contains(code) && !serveLog.contains(password), "no code or password in the log")

        server.terminate()
        server.waitUntilExit()
        let station = try StationParts(StationConfiguration(dataDirectory: data, workers: 1))
        let audit = try await station.database.auditEntries(limit: 100)
        #expect(audit.contains { $0.action == "login" }, "the sign-in is audited")
        #expect(audit.contains { $0.action == "kiosk.pair" && ($0.detail ?? "").contains(net.peerAddress) },
                "the pairing came from the second host")
    }
}
