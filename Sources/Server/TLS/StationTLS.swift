import Foundation
import NIOSSL

/// The HTTPS side of `sohoa serve`: the certificate chain and key read once at start, checked against each other.
public enum StationTLS {
    /// A server TLS configuration (TLS 1.2 or later) from PEM files: `certificate` holds the server certificate
    /// first, then any intermediates (`sohoa tls init` writes server.pem that way).
    public static func serverConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw TLSError("cannot read the certificate \(certificate): give a PEM file (`sohoa tls init` makes one)")
        }
        guard !chain.isEmpty else { throw TLSError("\(certificate) holds no certificate: give a PEM file") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw TLSError("cannot read the private key \(key): give the PEM key made with the certificate "
                           + "(readable by the station's user only)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                           privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw TLSError("the key \(key) does not belong to the certificate \(certificate): give the pair made together")
        }
        return tls
    }

    /// Loopback addresses, where plain HTTP is enough (nobody else can reach the station).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}
