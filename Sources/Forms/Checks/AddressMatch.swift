/// The administrative units found at the end of an address.
public struct AddressMatch: Sendable, Equatable {
    /// Official name of the commune, ward or special zone ("Phường Ba Đình", "Xã Ea H'Leo").
    public var ward: String
    /// Official name of the province or centrally run city ("Thành phố Hà Nội").
    public var province: String
    /// Official name of the district, for a pre-2025 address that names one.
    public var district: String?
    /// True when the units are those before the 1 July 2025 reorganisation.
    public var isLegacy: Bool
    /// 0…1: how closely the printed unit names match the official ones (1 = same letters once diacritics are
    /// folded; lower for misspellings, for a unit type that differs from the official one, for a tie between two
    /// units whose names differ only in diacritics).
    public var score: Double
    /// The address with the matched unit names replaced by their official spelling, the rest as printed.
    public var corrected: String

    public init(ward: String, province: String, district: String?, isLegacy: Bool, score: Double, corrected: String) {
        self.ward = ward
        self.province = province
        self.district = district
        self.isLegacy = isLegacy
        self.score = score
        self.corrected = corrected
    }
}
