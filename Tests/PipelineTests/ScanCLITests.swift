import Foundation
import Testing

/// `sohoa devices`, `scan`, `batches` and `watch` as separate processes, SANE limited to test and pnm.
@Suite(.serialized) struct ScanCLITests {
    let sane = ["SANE_CONFIG_DIR": saneConfigDirectory.path]

    @Test func devicesListsTheScannersWithTheirProfiles() throws {
        let run = try runSohoa(["devices", "--json", "--local"], environment: sane)
        #expect(run.status == 0, "\(run.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let test = try #require(list.first { $0["name"] as? String == "test:0" })
        #expect(test["profile"] as? String == "sane-test")
        #expect(test["generic"] as? Bool == false)
        let text = try runSohoa(["devices", "--options", "test:0"], environment: sane)
        #expect(text.stdout.contains("source adf: source=Automatic Document Feeder"))
    }

    @Test func aScannerErrorExitsEightWithTheOfficersMessageAndAScanPrintsItsDraft() throws {
        let data = temporaryDirectory().path
        let run = try runSohoa(["scan", "--device", "test:0", "--dpi", "75", "--paper", "40x40", "--data", data, "--json",
                                "--option", "read-return-value=SANE_STATUS_COVER_OPEN"], environment: sane)
        #expect(run.status == 8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "cover_open")
        #expect((error["message"] as? String)?.hasPrefix("Nắp máy quét đang mở") == true)
        #expect(run.stderr.contains("The scanner cover is open"))

        // Two pages, then the batch is read into a draft.
        let ok = try runSohoa(["scan", "--device", "test:0", "--dpi", "75", "--data", data, "--max-pages", "2", "--json"],
                              environment: sane)
        #expect(ok.status == 0, "\(ok.stderr)")
        let draft = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect((draft["id"] as? String)?.hasPrefix("d_") == true)
        #expect(ok.stderr.contains("2 trang"))
        let batches = try runSohoa(["batches", "--data", data], environment: sane)
        #expect(batches.stdout.contains("Không có lô nào đang dở"))
    }

    @Test func watchOnceTakesTheFolderAndReportsEachFile() throws {
        let dir = temporaryDirectory()
        let inbox = dir.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data("GIF89a not supported".utf8).write(to: inbox.appendingPathComponent("anh.gif"))
        let run = try runSohoa(["watch", inbox.path, "--once", "--settle", "0.1", "--json",
                                "--data", dir.appendingPathComponent("data").path])
        #expect(run.status == 3)
        let line = try #require(run.stdout.split(separator: "\n").first)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(event["event"] as? String == "failed")
        #expect(event["file"] as? String == "anh.gif")
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed/anh.gif.reason.txt").path))
    }
}
