import Crypto
import Foundation

/// The audit's cryptography in one place: per-batch keys, AES-GCM sealing of citizens' values, and the keyed hash
/// (HMAC-SHA256) that stands in for a name typed at a failed login. Nothing else in Store touches key bytes.
enum Sealing {
    /// A fresh random 256-bit key.
    static func newKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// Seals `values` (as canonical JSON) under `key`; `context` (the entry's place in the log) is authenticated
    /// with them, so sealed bytes moved to another entry do not open. Returns base64 of nonce, ciphertext and tag.
    static func seal(_ values: [String: String], key: Data, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(AppDatabase.canonicalJSON(values).utf8), using: SymmetricKey(data: key),
                                   authenticating: Data(context.utf8))
        guard let combined = box.combined else {
            throw StoreError(.integrity, "cannot seal an audit entry's values")
        }
        return combined.base64EncodedString()
    }

    /// Opens what `seal` made; throws when the bytes, the key or the context do not match.
    static func open(_ sealed: String, key: Data, context: String) throws -> [String: String] {
        do {
            guard let combined = Data(base64Encoded: sealed) else { throw StoreError(.integrity, "not base64") }
            let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: combined), using: SymmetricKey(data: key),
                                         authenticating: Data(context.utf8))
            return try JSONDecoder().decode([String: String].self, from: plain)
        } catch {
            throw StoreError(.integrity, "an audit entry's sealed values do not open with their batch's key: the entry "
                             + "or the key was altered; run `sohoa audit verify`")
        }
    }

    /// HMAC-SHA256 of `message` under `key`, as hex.
    static func hmacHex(_ message: String, key: Data) -> String {
        HMAC<Crypto.SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key)).hexString
    }
}
