import ArgumentParser
import Foundation
import Pipeline
import Server

struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "HTTPS for the centre's LAN: the station's own CA and server certificate.",
        subcommands: [Init.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a station CA and a server certificate in <data>/tls/, and say how to trust the CA.",
            discussion: """
                The server certificate names every --host plus localhost, 127.0.0.1 and ::1. Run it again with new \
                --host values to make a new server certificate under the same CA (the PCs that trust the CA need \
                nothing new); --new-ca replaces the CA too. Keys are written with mode 0600.
                """)
        @Option(name: .long, help: "The station's data directory (default: $SOHOA_DATA, else ~/.local/share/sohoa).")
        var data: String?

        @Option(name: .long, help: "An IP address or DNS name the centre's PCs use to reach the station (repeatable).")
        var host: [String] = []

        @Option(name: .long, help: "A name for the CA (default: this machine's host name).")
        var name: String?

        @Flag(name: .customLong("new-ca"), help: "Make a new CA even if one exists (every PC must trust it again).")
        var newCA = false

        func run() async throws {
            var configuration = StationConfiguration()
            if let data { configuration.dataDirectory = URL(fileURLWithPath: data, isDirectory: true) }
            let directory = configuration.dataDirectory.appendingPathComponent("tls", isDirectory: true)
            let made: StationCertificates.Made
            do {
                made = try StationCertificates.make(in: directory, hosts: host,
                                                    stationName: name ?? ProcessInfo.processInfo.hostName, newCA: newCA)
            } catch let e as TLSError {
                throw fail(e.description, ExitStatus.usage)
            }
            let f = made.files
            let first = host.first ?? "127.0.0.1"
            let until = ISO8601DateFormatter().string(from: made.notAfter).prefix(10)
            print("""
                \(made.reusedCA ? "Giữ CA của trạm (kept the station CA)" : "Đã tạo CA của trạm (made a station CA)"): \(f.caCertificate.path)
                Chứng chỉ máy chủ (server certificate) for \((made.addresses + made.names).joined(separator: ", ")), valid until \(until):
                  \(f.certificate.path)
                  \(f.key.path)  (0600)
                Khóa của CA (CA key, keep it secret, back it up): \(f.caKey.path)

                Chạy trạm (serve over HTTPS):
                  sohoa serve --host \(first) --port 8443 --tls-cert \(f.certificate.path) --tls-key \(f.key.path)

                Tin cậy CA trên các máy của trung tâm (trust the CA on each PC; copy ca.pem, check its SHA-256
                fingerprint \(made.caFingerprint)):
                  Debian/Ubuntu:  sudo cp ca.pem /usr/local/share/ca-certificates/sohoa-station-ca.crt && sudo update-ca-certificates
                  Chromium/Chrome on Linux (its own store; package libnss3-tools):
                                  certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "sohoa station CA" -i ca.pem
                  Windows (Chrome, Edge; an administrator's prompt):
                                  certutil -addstore -f Root ca.pem
                  Firefox:        Settings → Privacy & Security → Certificates → View Certificates → Authorities →
                                  Import ca.pem, tick "Trust this CA to identify websites" (or, on Windows, set
                                  security.enterprise_roots.enabled to true in about:config to use the Windows store)
                Then open https://\(first.contains(":") ? "[\(first)]" : first):8443/ on the PC.
                """)
        }
    }
}

struct SystemdUnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "systemd-unit",
        abstract: "Print the hardened systemd unit for `sohoa serve` (save it as /etc/systemd/system/sohoa.service).")

    func run() async throws {
        guard let url = Bundle.module.url(forResource: "sohoa", withExtension: "service", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw fail("the unit file is missing from this build (Sources/sohoa/Resources/sohoa.service)", ExitStatus.store)
        }
        print(text, terminator: "")
    }
}
