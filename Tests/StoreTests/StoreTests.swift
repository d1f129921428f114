import Foundation
import Testing

@testable import Store

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Data(input.utf8)) == digest)
    }

    @Test func millionAs() {
        var h = SHA256()
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let data = Data((0..<1000).map { UInt8($0 % 251) })
        var h = SHA256()
        h.update(data.prefix(63))
        h.update(data.dropFirst(63).prefix(130))
        h.update(data.dropFirst(193))
        #expect(h.finalizeHex() == SHA256.hex(data))
    }
}

@Suite struct BlobStoreTests {
    func temporaryStore() throws -> BlobStore {
        try BlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)"))
    }

    @Test func storesByContentOnceAndLeavesNoTemporaryFiles() throws {
        let store = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let data = Data("trang 1".utf8)
        let a = try store.put(data)
        let b = try store.put(data)
        #expect(a == b)
        #expect(a == SHA256.hex(data))
        #expect(try store.data(for: a) == data)
        let all = FileManager.default.enumerator(atPath: store.root.path)?.allObjects as? [String] ?? []
        #expect(all.filter { $0.contains(".tmp-") }.isEmpty)
        #expect(all.filter { !$0.contains("/") }.count == 1)  // one fan-out directory
    }

    @Test func missingBlobIsAClearError() throws {
        let store = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.root) }
        #expect(throws: StoreError.self) { try store.data(for: String(repeating: "a", count: 64)) }
    }
}

@Suite struct AppDatabaseTests {
    func page(_ name: String, hash: String = String(repeating: "ab", count: 32)) -> NewPage {
        NewPage(sourceName: name, sourcePage: 0, originalSha256: hash, format: "png", width: 2480, height: 3508,
                dpi: 300, dpiAssumed: false)
    }

    func result() -> PageResult {
        PageResult(cleanedSha256: String(repeating: "cd", count: 32), quarterTurns: 0, skewDegrees: 0.4,
                   isBlank: false, ocrJSON: "{}")
    }

    @Test func storesADocumentAndReadsItBack() async throws {
        let db = try AppDatabase.inMemory()
        let fields = [
            NewField(key: "child.fullName", value: "NGUYỄN AN", raw: "NGUYỄN AN", confidence: 0.95, needsReview: false,
                     page: 1, box: [10, 20, 300, 40]),
            NewField(key: "child.sex", value: nil, raw: nil, confidence: 0, needsReview: true, page: nil, box: nil),
        ]
        let (draft, stored, pages) = try await db.storeDocument(source: "files", pages: [page("a.png"), page("b.png")],
                                                          results: [result(), result()], form: "khai-sinh",
                                                          procedure: "1.001193", fields: fields)
        #expect(draft.id.hasPrefix("d_"))
        #expect(draft.status == .needsReview)
        #expect(pages.map(\.seq) == [1, 2])
        #expect(stored.count == 2)
        let (readDraft, readFields) = try #require(try await db.draft(id: draft.id))
        #expect(readDraft.id == draft.id && readDraft.batchId == draft.batchId && readDraft.form == draft.form)
        #expect(readDraft.procedure == draft.procedure && readDraft.status == draft.status)
        // SQLite keeps time to the millisecond.
        #expect(abs(readDraft.createdAt.timeIntervalSince(draft.createdAt)) < 0.001)
        #expect(readFields.map(\.key) == ["child.fullName", "child.sex"])
        #expect(readFields[0].box == [10, 20, 300, 40])
        #expect(readFields[1].value == nil)
        let summaries = try await db.draftSummaries()
        #expect(summaries.count == 1)
        #expect(summaries[0].pageCount == 2)
        #expect(summaries[0].flaggedCount == 1)
    }

    @Test func allFieldsConfidentMeansReady() async throws {
        let db = try AppDatabase.inMemory()
        let f = NewField(key: "k", value: "v", raw: "v", confidence: 0.9, needsReview: false, page: 1, box: nil)
        let (draft, _, _) = try await db.storeDocument(source: "files", pages: [page("a.png")], results: [result()],
                                                 form: "ct01", procedure: "1.004222", fields: [f])
        #expect(draft.status == .ready)
    }

    @Test func aFailedWriteLeavesNothing() async throws {
        let db = try AppDatabase.inMemory()
        // The second page's hash breaks a schema constraint: the whole document must roll back.
        await #expect(throws: (any Error).self) {
            try await db.storeDocument(source: "files", pages: [page("a.png"), page("b.png", hash: "short")],
                                 results: [result(), result()], form: nil, procedure: nil, fields: [])
        }
        let counts = try await db.writer.read { db in
            try ["batch", "page", "draft", "field"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
        #expect(counts == [0, 0, 0, 0])
    }

    @Test func survivesReopeningTheFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("db-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sohoa.sqlite")
        let id: String
        do {
            let db = try AppDatabase.open(at: url)
            id = try await db.storeDocument(source: "files", pages: [page("a.png")], results: [result()], form: "ct01",
                                      procedure: nil, fields: []).0.id
        }
        let again = try AppDatabase.open(at: url)
        await #expect(try again.draft(id: id) != nil)
        let mode = try await again.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func idsSortByTime() {
        let a = RecordID.make("d", now: Date(timeIntervalSince1970: 1_700_000_000))
        let b = RecordID.make("d", now: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(a < b)
        #expect(a.count == 28)
    }
}

@Suite struct CaptureTests {
    func page(_ n: Int) -> NewPage {
        NewPage(sourceName: "scan-\(n).png", sourcePage: 0, originalSha256: String(repeating: "\(n % 10)", count: 64),
                format: "png", width: 100, height: 100, dpi: 300, dpiAssumed: false)
    }

    @Test(arguments: [(1, 3, [2, 3, 1, 4]), (4, 1, [4, 1, 2, 3]), (2, 2, [1, 2, 3, 4]), (3, 4, [1, 2, 4, 3])])
    func aPageMovesAndTheOthersCloseUp(from: Int, to: Int, order: [Int]) async throws {
        let db = try AppDatabase.inMemory()
        let officer = try await db.createUser(username: "canbo", displayName: "canbo", role: .officer, passwordHash: "$y$x",
                                        actor: "test")
        let batch = try await db.beginBatch(source: "desk:canbo")
        for n in 1...4 { _ = try await db.addCapturedPage(batchId: batch.id, page(n)) }
        try await db.movePage(batchId: batch.id, from: from, to: to, actor: officer.username)
        #expect(try await db.pages(batchId: batch.id).map(\.sourceName) == order.map { "scan-\($0).png" })
        #expect(try await db.pages(batchId: batch.id).map(\.seq) == [1, 2, 3, 4])
        try await db.deletePage(batchId: batch.id, seq: 1, actor: officer.username)
        #expect(try await db.pages(batchId: batch.id).map(\.seq) == [1, 2, 3])
        await #expect(throws: StoreError.self) { try await db.movePage(batchId: batch.id, from: 1, to: 9, actor: officer.username) }
        // Once read, pages do not move until the batch is reopened.
        try await db.finishCapture(batchId: batch.id)
        await #expect(throws: StoreError.self) { try await db.deletePage(batchId: batch.id, seq: 1, actor: officer.username) }
    }

    @Test func pagesAreCommittedOneByOneAndTheBatchWaitsUntilItIsRead() async throws {
        let db = try AppDatabase.inMemory()
        let batch = try await db.beginBatch(source: "scanner:test:0", captureSettings: #"{"dpi":300}"#)
        #expect(batch.status == .capturing)
        let first = try await db.addCapturedPage(batchId: batch.id, page(1))
        let second = try await db.addCapturedPage(batchId: batch.id, page(2))
        #expect(first.seq == 1 && second.seq == 2)
        try await db.recordCaptureError(batchId: batch.id, code: "paper_jam")
        var waiting = try await db.unfinishedBatches()
        #expect(waiting.count == 1 && waiting[0].pageCount == 2 && waiting[0].lastError == "paper_jam")
        // A page added after the jam clears the error.
        _ = try await db.addCapturedPage(batchId: batch.id, page(3))
        waiting = try await db.unfinishedBatches()
        #expect(waiting[0].lastError == nil && waiting[0].pageCount == 3)

        try await db.finishCapture(batchId: batch.id)
        await #expect(throws: StoreError.self) { _ = try await db.addCapturedPage(batchId: batch.id, self.page(4)) }
        let pages = try await db.pages(batchId: batch.id)
        let result = PageResult(cleanedSha256: String(repeating: "c", count: 64), quarterTurns: 0, skewDegrees: 0.1,
                                isBlank: false, ocrJSON: "{}")
        let (draft, fields, stored) = try await db.completeBatch(
            batchId: batch.id,
            results: [pages[0].id!: .success(result), pages[1].id!: .success(result), pages[2].id!: .failure(PageFailure("damaged"))],
            form: "ct01", procedure: "1.004222",
            fields: [NewField(key: "a", value: "1", raw: "1", confidence: 0.9, needsReview: false, page: 1, box: nil)])
        #expect(draft.status == .ready)
        #expect(fields.count == 1)
        #expect(stored.map(\.state) == [PageState.processed, PageState.processed, PageState.failed])
        #expect(stored[2].error == "damaged")
        #expect(try await db.batch(id: batch.id)?.status == .ready)
        #expect(try await db.unfinishedBatches().isEmpty)
        // A batch gets one draft only.
        await #expect(throws: StoreError.self) {
            _ = try await db.completeBatch(batchId: batch.id, results: [:], form: nil, procedure: nil, fields: [])
        }
    }

    @Test func anEmptyBatchCannotBeProcessedAndAnUnknownOneIsNamed() async throws {
        let db = try AppDatabase.inMemory()
        let batch = try await db.beginBatch(source: "scanner:test:0")
        await #expect(throws: StoreError.self) { try await db.finishCapture(batchId: batch.id) }
        await #expect(throws: StoreError.self) { _ = try await db.addCapturedPage(batchId: "b_missing", self.page(1)) }
    }
}
