import ArgumentParser
import Foundation
import Imaging
import OCR
import Pipeline

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr", abstract: "Clean a page and print its recognised text (nothing is stored).")

    @OptionGroup var language: LanguageOptions

    @Flag(name: .long, help: "Print words with confidence and box as JSON.")
    var words = false

    @Flag(name: .long, help: "Print a whole hOCR document (XHTML; each page's image property names the file).")
    var hocr = false

    @Option(name: .long, help: "Also write the cleaned page as PNG to this path (page number appended for multi-page files).")
    var saveCleaned: String?

    @Argument(help: "An image file (every page of a multi-page TIFF).")
    var file: String

    func run() async throws {
        if words && hocr { throw ValidationError("--words and --hocr are two different outputs: choose one") }
        try requireInputFiles([file])
        var config = StationConfiguration()
        config.ocr.languages = language.languages
        let url = URL(fileURLWithPath: file)
        let (inputs, failures) = PageSteps.inputs(for: [url], limits: config.limits)
        if let f = failures.first { throw fail(f.description, ExitStatus.noUsablePage) }
        let engine: TesseractEngine
        do { engine = try TesseractEngine(config.ocr) } catch { throw fail("\(error)", ExitStatus.engine) }
        var pages: [OCRPage] = []
        var hocrPages: [String] = []
        for input in inputs {
            do {
                if hocr {
                    let image = try PageImage.load(input.url, page: input.pageIndex, info: input.info)
                    let cleaned = try PageCleaner.clean(image).gray
                    hocrPages.append(try engine.hocr(cleaned, imageName: file, pageIndex: input.pageIndex))
                    try save(cleaned, input, of: inputs.count)
                    continue
                }
                let page = try PageSteps.process(input, engine: engine, assumedDPI: config.assumedDPI)
                pages.append(page.ocr)
                try save(page.cleaned.gray, input, of: inputs.count)
                if !words { print(page.ocr.text) }
            } catch {
                throw fail("\(error)", ExitStatus.noUsablePage)
            }
        }
        if hocr { print(HOCRDocument.make(pages: hocrPages, title: url.lastPathComponent)) }
        if words {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(pages.count == 1 ? AnyEncodable(pages[0]) : AnyEncodable(pages)), as: UTF8.self))
        }
    }
}

extension OCRCommand {
    /// Writes the cleaned page where --save-cleaned says (the page number appended for multi-page files).
    private func save(_ cleaned: PageImage, _ input: PageInput, of count: Int) throws {
        guard let saveCleaned else { return }
        let path = count > 1 ? "\(saveCleaned)-\(input.pageIndex + 1).png" : saveCleaned
        try cleaned.encoded(.png).write(to: URL(fileURLWithPath: path))
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
