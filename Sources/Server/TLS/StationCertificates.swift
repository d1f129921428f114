import Crypto
import Foundation
import SwiftASN1
import X509

/// The station's own certificate authority and its HTTPS server certificate (`sohoa tls init`), made with
/// swift-certificates and swift-crypto (P-256, ECDSA-SHA256). The CA is trusted once on each PC of the centre; the
/// server certificate can be made again (a new address) under the same CA without touching the PCs.
public enum StationCertificates {
    /// The files in `<data>/tls/`.
    public struct Files: Sendable {
        public let directory: URL
        public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
        public var caKey: URL { directory.appendingPathComponent("ca-key.pem") }
        /// The server certificate followed by the CA's: the chain `serve --tls-cert` sends.
        public var certificate: URL { directory.appendingPathComponent("server.pem") }
        public var key: URL { directory.appendingPathComponent("server-key.pem") }

        public init(directory: URL) { self.directory = directory }
    }

    public struct Made: Sendable {
        public var files: Files
        /// True when an existing CA was kept (the PCs that trust it need nothing new).
        public var reusedCA: Bool
        public var names: [String]
        public var addresses: [String]
        public var caFingerprint: String
        public var notAfter: Date
    }

    /// How long the server certificate lasts: 825 days, the longest macOS and iOS accept under a private CA.
    public static let serverLifetime: TimeInterval = 825 * 86400
    public static let caLifetime: TimeInterval = 20 * 365 * 86400

    /// Makes (or keeps, unless `newCA`) the CA and makes a server certificate for `hosts` plus localhost, 127.0.0.1
    /// and ::1. Keys are written with mode 0600, the folder 0700.
    public static func make(in directory: URL, hosts: [String], stationName: String, newCA: Bool = false,
                            now: Date = Date()) throws -> Made {
        let files = Files(directory: directory)
        var names: [String] = [], addresses: [String] = [], general: [GeneralName] = []
        for host in hosts + ["localhost", "127.0.0.1", "::1"] {
            let host = host.trimmingCharacters(in: .whitespaces).lowercased()
            if let bytes = ipAddressBytes(host) {
                if !addresses.contains(host) {
                    addresses.append(host)
                    general.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
                }
            } else if isDNSName(host) {
                if !names.contains(host) { names.append(host); general.append(.dnsName(host)) }
            } else {
                throw TLSError("'\(host)' is neither an IP address nor a host name: pass --host with the address or name "
                               + "the centre's PCs type to reach this station")
            }
        }
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)

        let caKey: P256.Signing.PrivateKey
        let ca: Certificate
        let reused = !newCA && fm.fileExists(atPath: files.caCertificate.path) && fm.fileExists(atPath: files.caKey.path)
        if reused {
            do {
                caKey = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: files.caKey, encoding: .utf8))
                ca = try Certificate(pemEncoded: String(contentsOf: files.caCertificate, encoding: .utf8))
            } catch {
                throw TLSError("cannot read the station CA in \(directory.path): restore it from a backup, or make a new "
                               + "one with --new-ca (every PC must then trust the new ca.pem)")
            }
        } else {
            caKey = P256.Signing.PrivateKey()
            let caName = try DistinguishedName {
                OrganizationName("sohoa")
                CommonName("sohoa station CA \(stationName)")
            }
            let publicKey = Certificate.PublicKey(caKey.publicKey)
            ca = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(caLifetime),
                issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: .init(caKey))
        }

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("sohoa")
            CommonName(names.first { $0 != "localhost" } ?? addresses.first ?? "localhost")
        }
        let caKeyId = try ca.extensions.subjectKeyIdentifier?.keyIdentifier
        let notAfter = min(now.addingTimeInterval(serverLifetime), ca.notValidAfter)
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: notAfter,
            issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(general)
                SubjectKeyIdentifier(hash: publicKey)
                if let caKeyId { AuthorityKeyIdentifier(keyIdentifier: caKeyId) }
            },
            issuerPrivateKey: .init(caKey))

        let caPEM = try ca.serializeAsPEM().pemString + "\n"
        if !reused {
            try writeSecret(caKey.pemRepresentation + "\n", to: files.caKey)
            try write(caPEM, to: files.caCertificate, mode: 0o644)
        }
        try writeSecret(key.pemRepresentation + "\n", to: files.key)
        try write(try server.serializeAsPEM().pemString + "\n" + caPEM, to: files.certificate, mode: 0o644)

        let der = try ca.serializeAsPEM().derBytes
        let fingerprint = Crypto.SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        return Made(files: files, reusedCA: reused, names: names, addresses: addresses, caFingerprint: fingerprint,
                    notAfter: notAfter)
    }

    /// A key file: created 0600 before anything is written to it, replaced atomically.
    static func writeSecret(_ text: String, to url: URL) throws {
        try write(text, to: url, mode: 0o600)
    }

    static func write(_ text: String, to url: URL, mode: Int) throws {
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw TLSError("cannot write in \(url.deletingLastPathComponent().path): check that the folder is yours")
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temp.path)
            if rename(temp.path, url.path) != 0 { throw TLSError("cannot replace \(url.path)") }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address, or nil.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func isDNSName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && text.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

/// TLS set-up errors: what is wrong and what to do.
public struct TLSError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
