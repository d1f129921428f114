import Foundation
import Pipeline
import Store
import Testing

@Suite(.serialized) struct PipelineTests {
    /// One sample of each form, end to end: recognised, every field present, most right, none of the confident
    /// ones wrong beyond a small margin.
    @Test func sampleFormsBecomeDrafts() async throws {
        let station = try makeStation()
        let pipeline = DocumentPipeline(station: station)
        var firstOfEach: [String: (url: URL, truth: TruthDocument)] = [:]
        for entry in try truths("forms") {
            guard let form = entry.truth.form, firstOfEach[form] == nil else { continue }
            firstOfEach[form] = entry
        }
        #expect(firstOfEach.count == 3)
        for (form, entry) in firstOfEach {
            let doc = try await pipeline.process(files: pageURLs(entry))
            #expect(doc.draft.form == form)
            #expect(doc.draft.procedure == entry.truth.procedure)
            let outcomes = Evaluator.score(truth: entry.truth, form: doc.draft.form,
                                           fields: doc.readings(policy: station.extractor.policy))
            let truthKeys = Set((entry.truth.fields ?? [:]).keys)
            #expect(truthKeys.isSubset(of: Set(doc.fields.map(\.key))), "missing keys in \(form)")
            let right = outcomes.filter(\.right).count
            #expect(Double(right) / Double(outcomes.count) >= 0.7, "\(form): \(right)/\(outcomes.count) right")
            let silent = outcomes.filter { !$0.right && !$0.flagged }.count
            #expect(silent <= 1, "\(form): \(silent) silently wrong")
            // Read back from the store.
            let (stored, fields) = try #require(try await station.database.draft(id: doc.draft.id))
            #expect(stored.form == form)
            #expect(fields.count == doc.fields.count)
            for f in fields where f.value != nil { #expect(f.page != nil && f.box != nil) }
        }
    }

    /// The committed phone photos and document-camera captures (perspective, shade, a red seal, blue pen, a 72-dpi
    /// or missing header, one upside down): every form recognised, the sheet unwarped and its resolution measured,
    /// most fields right and almost none of the unflagged ones wrong.
    @Test func photosAndCameraCapturesBecomeDrafts() async throws {
        let station = try makeStation()
        let pipeline = DocumentPipeline(station: station)
        let entries = try truths("photo")
        #expect(entries.count >= 6)
        var outcomes: [FieldOutcome] = []
        for entry in entries {
            let doc = try await pipeline.process(files: pageURLs(entry))
            #expect(doc.draft.form == entry.truth.form, "\(entry.url.lastPathComponent)")
            let page = try #require(doc.pages.first)
            #expect(page.dpiAssumed, "the 72-dpi header or its absence is not taken for the page's resolution")
            outcomes += Evaluator.score(truth: entry.truth, form: doc.draft.form,
                                        fields: doc.readings(policy: station.extractor.policy))
        }
        let right = outcomes.filter(\.right).count
        #expect(Double(right) / Double(outcomes.count) >= 0.7, "\(right)/\(outcomes.count) right")
        let silent = outcomes.filter { !$0.right && !$0.flagged }.count
        #expect(silent <= 3, "\(silent) of \(outcomes.count) silently wrong")
    }

    @Test func badFilesAreReportedAndTheOthersProcessed() async throws {
        let dir = temporaryDirectory()
        let station = try makeStation(dir.appendingPathComponent("data"))
        let good = try #require(try truths("forms").first)
        let empty = try scratchFile("empty.png", Data(), in: dir)
        let text = try scratchFile("note.jpg", Data("không phải ảnh".utf8), in: dir)
        let doc = try await DocumentPipeline(station: station).process(files: [empty] + pageURLs(good) + [text])
        #expect(doc.failures.map(\.file) == ["empty.png", "note.jpg"])
        #expect(doc.pages.count == good.truth.pages.count)
        #expect(doc.draft.form == good.truth.form)
    }

    @Test func nothingUsableStoresNothing() async throws {
        let dir = temporaryDirectory()
        let station = try makeStation(dir.appendingPathComponent("data"))
        let empty = try scratchFile("empty.png", Data(), in: dir)
        await #expect(throws: PipelineError.self) {
            try await DocumentPipeline(station: station).process(files: [empty])
        }
        #expect(try await station.database.draftSummaries().isEmpty)
        let blobs = FileManager.default.enumerator(atPath: station.blobs.root.path)?.allObjects ?? []
        #expect(blobs.isEmpty)
    }

    @Test func originalsAreKeptByteForByte() async throws {
        let station = try makeStation()
        let entry = try #require(try truths("forms").first)
        let doc = try await DocumentPipeline(station: station).process(files: pageURLs(entry))
        for (page, url) in zip(doc.pages, pageURLs(entry)) {
            #expect(try await station.blobs.data(for: page.originalSha256) == Data(contentsOf: url))
            #expect(page.cleanedSha256 != nil)
        }
    }

    @Test func textPagesAreNotForms() async throws {
        let station = try makeStation()
        let entry = try #require(try truths("text").first)
        let doc = try await DocumentPipeline(station: station).process(files: pageURLs(entry))
        #expect(doc.draft.form == nil)
        #expect(doc.draft.status == .needsReview)
        let truthText = try String(contentsOf: samplesDirectory.appendingPathComponent("text")
            .appendingPathComponent(try #require(entry.truth.text)), encoding: .utf8)
        #expect(Evaluator.cer(truth: truthText, ocr: doc.texts.joined(separator: "\n")) < 0.02)
    }
}
