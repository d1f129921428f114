import Foundation

/// A form as data: how to recognise it and where each field's value sits. One JSON file per form in
/// `Resources/templates/`; a new form is a new file, not new code.
public struct FormTemplate: Codable, Sendable, Identifiable {
    /// Stable id used in drafts ("khai-sinh").
    public var id: String
    /// National procedure code ("1.001193").
    public var procedure: String?
    public var title: String
    /// Phrases printed on the form that identify it; matched diacritic-insensitively.
    public var titlePhrases: [String]
    /// Phrases that, when present, speak for this form more weakly (section captions, footers).
    public var supportPhrases: [String]?
    /// Sections in printed order. A field is looked for only between its section's anchor and the next section's.
    public var sections: [Section]
    /// Table-shaped parts of the form.
    public var tables: [Table]?

    public struct Section: Codable, Sendable {
        public var id: String
        /// Printed phrases that start the section; nil for the section that starts at the top.
        public var anchors: [String]?
        public var fields: [Field]
    }

    public struct Field: Codable, Sendable {
        public var key: String
        /// Printed label variants (the first is the official one).
        public var labels: [String]
        public var type: FieldType
        public var layout: Layout?
        /// For dates: what kind of date, for plausibility.
        public var dateRole: DateRole?
        /// Known values (nationalities, relationships…): a reading close to one of them is corrected to it and
        /// trusted more; a reading far from all of them is flagged.
        public var vocabulary: [String]?
        /// Extra corroboration for free text: "address" checks the text against the administrative units.
        public var corroborate: FieldType?
        /// Read but not reported (e.g. the date "ghi bằng chữ", used to check the date in digits).
        public var hidden: Bool?
        /// Fixed text the value begins with (the offices a recipient is addressed to): read with a letter or a
        /// space off, it is spelled as printed; read too garbled, it is a doubt.
        public var opensWith: [String]?

        public enum Layout: String, Codable, Sendable {
            /// Value after the label on the same line.
            case sameLine
            /// Same line, then continues on following lines until the next label.
            case continues
            /// One digit per box after the label.
            case digitBoxes
            /// "ngày … tháng … năm …" after the label (or alone) on the line.
            case signingDate
            /// A checkbox choice followed by a count ("Số lượng: 2 bản").
            case count
            /// The place before ", ngày … tháng … năm …" (after "Làm tại:" when printed).
            case signingPlace
        }
    }

    public struct Table: Codable, Sendable {
        public var id: String
        /// Phrase printed just before the table (caption); nil when the header row itself is the anchor.
        public var anchors: [String]?
        public var orientation: Orientation
        /// For `.rows` tables (one record per row): header captions of the columns and the field of each.
        /// For `.columns` tables (one record per column, "Bên nữ | Bên nam"): the row labels.
        public var columns: [Column]
        /// `.columns` tables: the record headers ("Bên nữ", "Bên nam") and the key prefix of each.
        public var records: [Record]?
        /// `.rows` tables: the key prefix, rows numbered from 1 ("members" → "members.1.fullName").
        public var rowPrefix: String?
        /// Phrases that end the table.
        public var endAnchors: [String]?

        public enum Orientation: String, Codable, Sendable { case rows, columns }

        public struct Column: Codable, Sendable {
            public var field: String
            public var labels: [String]
            public var type: FieldType
            public var dateRole: DateRole?
            public var vocabulary: [String]?
        }

        public struct Record: Codable, Sendable {
            public var prefix: String
            public var labels: [String]
        }
    }

    /// Every key of a draft of this form (tables give their row keys only once read).
    public var fixedKeys: [String] {
        var keys = sections.flatMap { $0.fields.filter { $0.hidden != true }.map(\.key) }
        for table in tables ?? [] where table.orientation == .columns {
            for record in table.records ?? [] {
                keys += table.columns.map { "\(record.prefix).\($0.field)" }
            }
        }
        return keys
    }
}

/// The templates shipped with sohoa.
public enum FormCatalog {
    public static func builtIn() throws -> [FormTemplate] {
        guard let dir = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try load(from: dir)
    }

    public static func load(from directory: URL) throws -> [FormTemplate] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { try JSONDecoder().decode(FormTemplate.self, from: Data(contentsOf: $0)) }
    }
}
