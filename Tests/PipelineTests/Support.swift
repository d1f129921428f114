import Foundation
import Pipeline
import Scanning
@_exported import TestSupport

let samplesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples")

/// Truth files of a sample folder, with their URLs.
func truths(_ folder: String) throws -> [(url: URL, truth: TruthDocument)] {
    let dir = samplesDirectory.appendingPathComponent(folder)
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "json" }
        .sorted { $0.path < $1.path }
        .compactMap { url in
            guard let t = try? JSONDecoder().decode(TruthDocument.self, from: Data(contentsOf: url)) else { return nil }
            return (url, t)
        }
}

func pageURLs(_ entry: (url: URL, truth: TruthDocument)) -> [URL] {
    entry.truth.pages.map { entry.url.deletingLastPathComponent().appendingPathComponent($0) }
}

func temporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func scratchFile(_ name: String, _ data: Data, in dir: URL) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try data.write(to: url)
    return url
}

/// A station on a fresh data directory with two OCR workers.
func makeStation(_ dir: URL = temporaryDirectory()) throws -> StationParts {
    try StationParts(StationConfiguration(dataDirectory: dir, workers: 2))
}

/// Runs the CLI as a user would, without OMP_THREAD_LIMIT (it must see to that itself).
func runSohoa(_ args: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "OMP_THREAD_LIMIT")
    env.merge(extra) { $1 }
    return try runProgramSync(sohoaExecutable(), args, environment: env)
}

/// A SANE configuration directory enabling only the `test` and `pnm` backends (CI's setup).
let saneConfigDirectory: URL = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-sane-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try? Data("test\npnm\n".utf8).write(to: dir.appendingPathComponent("dll.conf"))
    return dir
}()

/// Error-injection scans use pages under 64 KB (see the Scanning tests' `smallPage` for why).
let smallPage = PaperSize(width: 40, height: 40)
