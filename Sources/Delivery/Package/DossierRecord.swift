import Foundation

/// The dossier as the case system receives it: the JSON part of an upload. Names follow the national dossier
/// vocabulary (MaHoSo, MaTTHC, ChuHoSo, ThanhPhanHoSo…); the API is described in `case-system.openapi.yaml`.
public struct DossierRecord: Codable, Sendable, Equatable {
    public var version: String = "1.0"
    /// The station's own id for the dossier (the draft id).
    public var internalId: String
    /// National procedure code (mã thủ tục hành chính).
    public var procedureCode: String?
    public var procedureTitle: String?
    public var formId: String?
    /// When the desk received the papers (ISO 8601, UTC).
    public var receivedAt: String
    /// How the papers came in: "TrucTiep" at the desk, "Kiosk", "ThuMucQuet" from a network scanner.
    public var channel: String
    public var applicant: Applicant
    public var fields: [Field]
    public var components: [Component]

    enum CodingKeys: String, CodingKey {
        case version = "PhienBan"
        case internalId = "MaHoSoNoiBo"
        case procedureCode = "MaTTHC"
        case procedureTitle = "TenTTHC"
        case formId = "MaBieuMau"
        case receivedAt = "NgayTiepNhan"
        case channel = "KenhTiepNhan"
        case applicant = "ChuHoSo"
        case fields = "DuLieuBieuMau"
        case components = "ThanhPhanHoSo"
    }

    /// Chủ hồ sơ: the person the dossier is for.
    public struct Applicant: Codable, Sendable, Equatable {
        public var fullName: String?
        public var dateOfBirth: String?
        public var birthYear: String?
        public var idNumber: String?
        public var residence: String?
        public var phone: String?
        public var email: String?

        enum CodingKeys: String, CodingKey {
            case fullName = "HoTen"
            case dateOfBirth = "NgaySinh"
            case birthYear = "NamSinh"
            case idNumber = "SoDinhDanh"
            case residence = "NoiCuTru"
            case phone = "SoDienThoai"
            case email = "Email"
        }
    }

    /// One field of the form as reviewed.
    public struct Field: Codable, Sendable, Equatable {
        public var key: String
        public var value: String?
        public var confidence: Double
        /// True when an operator confirmed it or it was read without doubt; false when submitted still flagged.
        public var verified: Bool

        enum CodingKeys: String, CodingKey {
            case key = "Ma"
            case value = "GiaTri"
            case confidence = "DoTinCay"
            case verified = "DaXacMinh"
        }
    }

    /// Thành phần hồ sơ: one paper of the dossier.
    public struct Component: Codable, Sendable, Equatable {
        public var title: String
        public var pageCount: Int
        public var files: [File]
        /// The original page images as captured, by hash, in page order.
        public var originals: [Original]

        enum CodingKeys: String, CodingKey {
            case title = "TenThanhPhan"
            case pageCount = "SoTrang"
            case files = "TepDinhKem"
            case originals = "BanGoc"
        }
    }

    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var contentType: String
        public var size: Int
        public var sha256: String

        enum CodingKeys: String, CodingKey {
            case name = "TenTep"
            case contentType = "LoaiTep"
            case size = "KichThuoc"
            case sha256 = "MaBam"
        }
    }

    public struct Original: Codable, Sendable, Equatable {
        public var page: Int
        public var sha256: String
        public var format: String

        enum CodingKeys: String, CodingKey {
            case page = "Trang"
            case sha256 = "MaBam"
            case format = "DinhDang"
        }
    }
}

extension DossierRecord {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    public func encoded() throws -> Data { try Self.encoder.encode(self) }
}
