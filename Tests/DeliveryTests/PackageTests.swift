import Delivery
import Foundation
import Pipeline
import Store
import Testing

/// Dossier packages: a searchable PDF a real reader can search, and a record that names every file by its hash.
@Suite struct PackageTests {
    @Test func theRenderedPDFIsValidAndItsWordsCanBeFound() async throws {
        let station = try makeStation()
        let draft = try await makeDraft(station, seed: 7)
        let built = try await packager(station).build(draftId: draft.id)
        let file = try #require(built.record.components.first?.files.first)
        let pdf = try station.blobs.data(for: file.sha256)
        #expect(file.size == pdf.count)
        #expect(file.contentType == "application/pdf")

        let path = temporaryDirectory().appendingPathComponent("ho-so.pdf")
        try pdf.write(to: path)
        let info = try await runTool("/usr/bin/pdfinfo", [path.path])
        #expect(info.status == 0, "pdfinfo cannot read the PDF")
        #expect(info.stdout.contains("Pages:           1"))
        // 620 × 240 px at 150 dpi = 297.6 × 115.2 pt.
        #expect(info.stdout.contains("297.6 x 115.2 pts"))
        let text = try await runTool("/usr/bin/pdftotext", [path.path, "-"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("NGUYỄN THỊ HỒNG NHUNG"))
    }

    @Test func aRealFormsPackageCarriesItsTextFieldsAndOriginals() async throws {
        let station = try makeStation()
        let dir = samplesDirectory.appendingPathComponent("forms")
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("dev-001-khai-sinh.json")))
            as? [String: Any]
        let expected = try #require(truth?["fields"] as? [String: Any])
        let doc = try await DocumentPipeline(station: station).process(files: [dir.appendingPathComponent("dev-001-khai-sinh.png")])
        let built = try await packager(station).build(draftId: doc.draft.id)
        let record = built.record

        #expect(record.internalId == doc.draft.id)
        #expect(record.procedureCode == "1.001193")
        #expect(record.formId == "khai-sinh")
        #expect(record.channel == "TrucTiep")
        #expect(record.fields.map(\.key) == doc.fields.map(\.key))
        #expect(record.fields.filter { !$0.verified }.count == doc.fields.filter(\.needsReview).count)
        let requester = doc.fields.first { $0.key == "requester.fullName" }?.value
        #expect(record.applicant.fullName == requester)
        #expect(record.applicant.idNumber == doc.fields.first { $0.key == "requester.idNumber" }?.value)
        let component = try #require(record.components.first)
        #expect(component.originals.map(\.sha256) == doc.pages.map(\.originalSha256))
        #expect(component.pageCount == 1)

        // The record is stored under its own hash, and it is what the case system will read.
        let stored = try station.blobs.data(for: built.recordSha256)
        #expect(SHA256.hex(stored) == built.recordSha256)
        let object = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["MaHoSoNoiBo", "MaTTHC", "ChuHoSo", "ThanhPhanHoSo", "DuLieuBieuMau"]))

        // The PDF's text layer holds what the page says, diacritics included.
        let pdf = temporaryDirectory().appendingPathComponent("ks.pdf")
        try station.blobs.data(for: component.files[0].sha256).write(to: pdf)
        let text = try await runTool("/usr/bin/pdftotext", [pdf.path, "-"]).stdout
        #expect(text.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH"))
        let name = try #require(expected["requester.fullName"] as? String)
        #expect(text.contains(name))
    }

    @Test func aDraftWithoutReadablePagesHasNoPackage() async throws {
        let station = try makeStation()
        let rendered = try renderPage(station, seed: 9)
        var blank = rendered.result
        blank.isBlank = true
        let (draft, _, _) = try await station.database.storeDocument(source: "files", pages: [rendered.page], results: [blank],
                                                               form: "khai-sinh", procedure: "1.001193", fields: [])
        await #expect(throws: DeliveryError.self) { try await packager(station).build(draftId: draft.id) }
        await #expect(throws: DeliveryError.self) { try await packager(station).build(draftId: "d_missing") }
    }
}
