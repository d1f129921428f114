import Foundation
import Testing

@testable import Store

/// The draft contract's JSON: every key present, nulls explicit, numbers as numbers; and the read-only open.
@Suite struct DraftDocumentTests {
    static let draft = Draft(id: "d_01M80H1A07VDEEEKJJ9BMTDYSP", batchId: "b_01M80H140ETTK54F0KG4ZJPH98", form: nil,
                             procedure: nil, status: .needsReview, createdAt: Date(), updatedAt: Date())
    static let fields = [
        DraftField(draftId: draft.id, ord: 0, key: "child.fullName", value: "NGUYỄN VĂN AN", raw: "NGUYỄN VĂN AN",
                   confidence: 0.97234, needsReview: false, page: 1, box: [10, 20, 300, 40]),
        DraftField(draftId: draft.id, ord: 1, key: "applicant.email", value: nil, raw: nil, confidence: 0,
                   needsReview: true, page: nil, box: nil),
    ]

    @Test func optionalValuesAreExplicitNullsAndNumbersAreNumbers() throws {
        let document = DraftDocument(draft: Self.draft, fields: Self.fields, warnings: ["trang-2.tif: damaged"])
        let object = try #require(try JSONSerialization.jsonObject(with: document.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["id", "batchId", "form", "procedure", "status", "fields", "warnings"])
        #expect(object["form"] is NSNull && object["procedure"] is NSNull)
        #expect(object["status"] as? String == "needs_review")
        #expect(object["warnings"] as? [String] == ["trang-2.tif: damaged"])
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.map { Set($0.keys) } == Array(repeating: ["key", "value", "confidence", "needsReview", "page",
                                                                  "box", "raw"], count: 2))
        #expect(fields[0]["confidence"] as? Double == 0.972)
        #expect(fields[0]["page"] as? Int == 1)
        #expect(fields[0]["box"] as? [Int] == [10, 20, 300, 40])
        for key in ["value", "page", "box", "raw"] { #expect(fields[1][key] is NSNull, "\(key)") }
        // The same document decodes back, pretty or not.
        #expect(try JSONDecoder().decode(DraftDocument.self, from: document.jsonData(pretty: true)) == document)
    }

    @Test func openExistingRefusesAMissingStoreAndCreatesNothing() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-ro-\(UUID().uuidString)")
        let url = dir.appendingPathComponent("sohoa.sqlite")
        #expect(throws: StoreError.self) { try AppDatabase.openExisting(at: url) }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
        let db = try AppDatabase.open(at: url)
        _ = try await db.beginBatch(source: "files")
        let reader = try AppDatabase.openExisting(at: url)
        await #expect(try reader.recentBatches().count == 1)
        await #expect(throws: (any Error).self) { try await reader.beginBatch(source: "files") }
        await #expect(try db.recentBatches().count == 1)
    }
}
