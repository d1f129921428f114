import Foundation
import Imaging
import Testing

/// The CLI as a user runs it: separate processes, so every call is also a restart.
@Suite(.serialized) struct CLITests {
    @Test func processPrintsTheDraftContractAndDraftsReadItBack() throws {
        let data = temporaryDirectory().path
        let entry = try #require(try truths("forms").first { $0.truth.form == "ct01" })
        let run = try runSohoa(["process", "--json", "--data", data] + pageURLs(entry).map(\.path))
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["form"] as? String == "ct01")
        #expect(object["procedure"] as? String == entry.truth.procedure)
        let id = try #require(object["id"] as? String)
        let fields = try #require(object["fields"] as? [[String: Any]])
        for f in fields {
            #expect(Set(f.keys) == ["key", "value", "confidence", "needsReview", "page", "box", "raw"])
            if f["value"] is NSNull { #expect(f["needsReview"] as? Bool == true || f["key"] as? String == "applicant.email") }
        }

        let list = try runSohoa(["drafts", "list", "--data", data])
        #expect(list.status == 0)
        #expect(list.stdout.contains(id))
        let show = try runSohoa(["drafts", "show", id, "--json", "--data", data])
        let again = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(again["id"] as? String == id)
        #expect((again["fields"] as? [[String: Any]])?.count == fields.count)
    }

    @Test func aBadFileIsNamedAndTheExitCodeSaysPartial() throws {
        let dir = temporaryDirectory()
        let bad = dir.appendingPathComponent("trang-2.tif")
        try Data("II*\0garbage".utf8).write(to: bad)
        let entry = try #require(try truths("forms").first)
        let run = try runSohoa(["process", "--data", dir.appendingPathComponent("data").path]
                               + pageURLs(entry).map(\.path) + [bad.path])
        #expect(run.status == 3)
        #expect(run.stderr.contains("trang-2.tif: "))
        #expect(run.stdout.contains("Hồ sơ nháp d_"))
    }

    @Test func nothingUsableExitsFourWithOneLine() throws {
        let dir = temporaryDirectory()
        let empty = dir.appendingPathComponent("scan.png")
        try Data().write(to: empty)
        let run = try runSohoa(["process", "--data", dir.appendingPathComponent("data").path, empty.path])
        #expect(run.status == 4)
        #expect(run.stderr.contains("scan.png: the file is empty"))
        #expect(run.stdout.isEmpty)
        let list = try runSohoa(["drafts", "list", "--data", dir.appendingPathComponent("data").path])
        #expect(list.stdout.contains("Chưa có hồ sơ nháp nào trong \(dir.appendingPathComponent("data").path)"))
    }

    @Test func aPhotoWithNoSheetInItStoresNothing() throws {
        let dir = temporaryDirectory()
        // A brown desk, grain and all, photographed with nothing on it.
        let (w, h) = (1200, 900)
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let grain = UInt8((y * 31 + x / 50 * 7) % 23)
                rgb[(y * w + x) * 3] = 120 + grain
                rgb[(y * w + x) * 3 + 1] = 80 + grain
                rgb[(y * w + x) * 3 + 2] = 50 + grain
            }
        }
        let desk = try PageImage.fromRaster(rgb, width: w, height: h, bytesPerLine: w * 3, channels: 3, depth: 8, dpi: 72)
        let photo = dir.appendingPathComponent("anh-chup.jpg")
        try desk.encoded(.jpeg(quality: 80)).write(to: photo)
        let run = try runSohoa(["process", "--data", dir.appendingPathComponent("data").path, photo.path])
        #expect(run.status == 4)
        #expect(run.stderr.contains("anh-chup.jpg: no sheet of paper was found in the picture"))
        let list = try runSohoa(["drafts", "list", "--data", dir.appendingPathComponent("data").path])
        #expect(list.stdout.contains("Chưa có hồ sơ nháp nào"))
    }

    @Test func unknownDraftIsExitSeven() throws {
        let data = temporaryDirectory().path
        #expect(try runSohoa(["submit", "d_NOPE", "--data", data]).status == 7)   // and the store now exists
        let run = try runSohoa(["drafts", "show", "d_NOPE", "--data", data])
        #expect(run.status == 7)
        #expect(run.stderr.contains("no draft with id d_NOPE"))
    }

    @Test func ocrPrintsTextAndWords() throws {
        let entry = try #require(try truths("text").first)
        let page = try #require(pageURLs(entry).first)
        let text = try runSohoa(["ocr", page.path])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count >= 5)
        let words = try runSohoa(["ocr", "--words", page.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(words.stdout.utf8)) as? [String: Any])
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(!lines.isEmpty)
    }
}
