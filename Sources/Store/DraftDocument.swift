import Foundation

/// The dossier draft contract (README, "The draft contract"): what `sohoa process --json`, `sohoa drafts show --json`
/// and `GET /api/drafts/ID` print. Every optional value is written as an explicit `null`, never left out; numbers are
/// JSON numbers; `form` is `null` when the form was not recognised.
public struct DraftDocument: Codable, Sendable, Equatable {
    /// The draft's id in the station's store (`d_…`).
    public var id: String
    /// The batch its pages came in (`b_…`).
    public var batchId: String
    /// The form's id (`khai-sinh`, `ct01`, `ket-hon`), or nil when the form was not recognised.
    @Nullable public var form: String?
    /// The national procedure code of the form, or nil.
    @Nullable public var procedure: String?
    public var status: DossierStatus
    /// Every field of the recognised form, found or not, in the template's order.
    public var fields: [Field]
    /// Pages or files refused while this draft was made (the draft holds the others); empty when read back.
    public var warnings: [String]

    /// One field of the draft.
    public struct Field: Codable, Sendable, Equatable {
        public var key: String
        /// The normalised value, or nil when the field was not found.
        @Nullable public var value: String?
        /// 0…1, rounded to three decimals.
        public var confidence: Double
        public var needsReview: Bool
        /// 1-based page number, or nil when the field was not found.
        @Nullable public var page: Int?
        /// `[x, y, width, height]` in pixels of the cleaned page, or nil.
        @Nullable public var box: [Int]?
        /// The text as read, or nil.
        @Nullable public var raw: String?

        public init(key: String, value: String?, confidence: Double, needsReview: Bool, page: Int?, box: [Int]?,
                    raw: String?) {
            self.key = key
            self.value = value
            self.confidence = confidence
            self.needsReview = needsReview
            self.page = page
            self.box = box
            self.raw = raw
        }

        public init(_ field: DraftField) {
            self.init(key: field.key, value: field.value, confidence: (field.confidence * 1000).rounded() / 1000,
                      needsReview: field.needsReview, page: field.page, box: field.box, raw: field.raw)
        }

    }

    public init(draft: Draft, fields: [DraftField], warnings: [String] = []) {
        id = draft.id
        batchId = draft.batchId
        form = draft.form
        procedure = draft.procedure
        status = draft.status
        self.fields = fields.map(Field.init)
        self.warnings = warnings
    }


    /// The contract as UTF-8 JSON, keys sorted (stable output); `pretty` indents it for a person (the CLI),
    /// otherwise one line (the API).
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return try encoder.encode(self)
    }
}
