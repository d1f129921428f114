/// One field of a draft as extraction read it.
public struct ExtractedField: Sendable, Equatable {
    public var key: String
    public var value: String?
    /// The text as read (before normalisation).
    public var raw: String?
    public var confidence: Double
    public var needsReview: Bool
    /// 1-based page number.
    public var page: Int?
    public var box: TextBox?
    /// Why the checks doubted it (stable codes).
    public var issues: [CheckIssue]

    public init(key: String, value: String? = nil, raw: String? = nil, confidence: Double = 0, needsReview: Bool = true,
                page: Int? = nil, box: TextBox? = nil, issues: [CheckIssue] = []) {
        self.key = key
        self.value = value
        self.raw = raw
        self.confidence = confidence
        self.needsReview = needsReview
        self.page = page
        self.box = box
        self.issues = issues
    }
}

/// What extraction made of a document.
public struct Extraction: Sendable {
    public var form: String?
    public var procedure: String?
    /// How well the form's title matched (0…1).
    public var formScore: Double
    public var fields: [ExtractedField]
}

/// Reads a region of a page again (another segmentation, a character whitelist) when the first reading is doubtful.
public protocol CropReader: Sendable {
    /// Words found inside `box` of page `page` (0-based), boxes in page pixels. `variant` 0 is the usual reading;
    /// 1 reads the same crop another way (another scale), for a confirming reading.
    func read(page: Int, box: TextBox, type: FieldType, variant: Int) async throws -> [TextWord]
    /// The digits written one per printed box, read as one line: each box's marks cut out and packed side by side
    /// (a reading made differently from box-by-box reads and from the page's words).
    func readPacked(page: Int, boxes: [TextBox]) async throws -> [TextWord]
}

extension CropReader {
    func read(page: Int, box: TextBox, type: FieldType) async throws -> [TextWord] {
        try await read(page: page, box: box, type: type, variant: 0)
    }

    /// Readers that cannot pack digit boxes say nothing.
    public func readPacked(page: Int, boxes: [TextBox]) async throws -> [TextWord] { [] }
}


/// How confident a value must be to go through without review.
public struct ReviewPolicy: Sendable {
    /// Fields below this confidence are flagged.
    public var threshold: Double
    /// Issues that always flag a field.
    public var alwaysFlag: Set<CheckIssue>

    /// The threshold was chosen from `sohoa eval`'s risk–coverage table on the generator's dev split (scans and
    /// photos): 0.80 is the loosest that keeps silent errors under 0.5 % of fields on scans and under 1 % on photos
    /// (0.65 let 0.5 % and 1.3 % through for 10 and 8 more points of straight-through).
    public init(threshold: Double = 0.80, alwaysFlag: Set<CheckIssue> = ReviewPolicy.defaultAlwaysFlag) {
        self.threshold = threshold
        self.alwaysFlag = alwaysFlag
    }

    /// Whether `field` is flagged whatever the threshold: nothing read, or an issue that always flags.
    public func flagsWhateverTheThreshold(_ field: ExtractedField) -> Bool {
        field.needsReview && (field.value == nil || field.issues.contains(where: alwaysFlag.contains))
    }

    public static let defaultAlwaysFlag: Set<CheckIssue> = [
        .readingsDisagree, .unconfirmedReading, .rowNotRead,
        .empty, .badFormat, .notACalendarDate, .implausibleDate, .yearOutOfRange, .unusualNameSyllable,
        .nameWordCount, .nonLetterInName, .badIdLength, .badProvinceCode, .idCenturySexMismatch,
        .idBirthYearMismatch, .badPhonePrefix, .badPhoneLength, .unknownEthnicity, .wordsDateDisagrees, .badEmail,
        .doubtfulSyllable, .garbledFixedPhrase, .datesOutOfOrder,
    ]
}
