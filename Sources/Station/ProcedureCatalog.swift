import Foundation

/// What a citizen can hand in at a kiosk, and the papers each procedure needs (`Resources/procedures.json`).
public struct ProcedureCatalog: Sendable, Decodable {
    public struct Text: Sendable, Decodable {
        public var vi: String
        public var en: String

        public func `in`(_ lang: KioskLanguage) -> String { lang == .en ? en : vi }
    }

    public struct Paper: Sendable, Decodable {
        public var title: Text
        /// The form id the pages must show, when the paper is one of the station's forms.
        public var form: String?
        public var required: Bool
    }

    public struct Procedure: Sendable, Decodable {
        public var code: String
        public var title: Text
        public var papers: [Paper]
    }

    public var procedures: [Procedure]

    public init(procedures: [Procedure]) { self.procedures = procedures }

    public static func builtIn() throws -> ProcedureCatalog {
        guard let url = Bundle.module.url(forResource: "procedures", withExtension: "json", subdirectory: "Resources") else {
            throw StationError(.store, "the procedure catalogue is missing from the installation")
        }
        return try JSONDecoder().decode(ProcedureCatalog.self, from: Data(contentsOf: url))
    }

    public func procedure(_ code: String) -> Procedure? { procedures.first { $0.code == code } }
}

public enum KioskLanguage: String, Sendable, Codable {
    case vi, en
}
