import Foundation

/// The province's case system, as the outbox sees it. The first adapter is `RESTCaseSystem`; tests also use a
/// fake one for faults a real server cannot produce on demand.
public protocol CaseSystem: Sendable {
    /// Hands one dossier over. The same `idempotencyKey` is sent with every attempt of a delivery: a case system
    /// that already has the dossier answers with the receipt it gave the first time. Throws `DeliveryFailure`.
    func submit(_ dossier: OutgoingDossier, idempotencyKey: String) async throws -> CaseReceipt
}

/// A package as it goes over the wire: the JSON record and the files it names.
public struct OutgoingDossier: Sendable {
    public var record: Data
    public var files: [OutgoingFile]

    public init(record: Data, files: [OutgoingFile]) {
        self.record = record
        self.files = files
    }
}

public struct OutgoingFile: Sendable {
    public var name: String
    public var contentType: String
    public var data: Data

    public init(name: String, contentType: String, data: Data) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }
}

/// What the case system answers when it has the dossier.
public struct CaseReceipt: Codable, Sendable, Equatable {
    /// The case system's dossier code (mã hồ sơ), which the citizen and the desk use from now on.
    public var code: String
    public var receivedAt: String?
    public var status: String?
    /// True when the case system already had this dossier (a repeat after a lost reply).
    public var replayed: Bool

    enum CodingKeys: String, CodingKey {
        case code = "MaHoSo"
        case receivedAt = "NgayTiepNhan"
        case status = "TrangThai"
        case replayed = "DaTiepNhanTruocDo"
    }

    public init(code: String, receivedAt: String?, status: String?, replayed: Bool) {
        self.code = code
        self.receivedAt = receivedAt
        self.status = status
        self.replayed = replayed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        receivedAt = try c.decodeIfPresent(String.self, forKey: .receivedAt)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        replayed = try c.decodeIfPresent(Bool.self, forKey: .replayed) ?? false
    }
}
