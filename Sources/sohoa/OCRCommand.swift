import ArgumentParser
import Foundation
import Imaging
import OCR
import Pipeline

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr", abstract: "Clean a page and print its recognised text (nothing is stored).")

    @OptionGroup var station: StationOptions

    @Flag(name: .long, help: "Print words with confidence and box as JSON.")
    var words = false

    @Flag(name: .long, help: "Print hOCR.")
    var hocr = false

    @Option(name: .long, help: "Also write the cleaned page as PNG to this path (page number appended for multi-page files).")
    var saveCleaned: String?

    @Argument(help: "An image file (every page of a multi-page TIFF).")
    var file: String

    func run() async throws {
        let config = station.configuration()
        let url = URL(fileURLWithPath: file)
        let (inputs, failures) = PageSteps.inputs(for: [url], limits: config.limits)
        if let f = failures.first { throw fail(f.description, ExitStatus.noUsablePage) }
        let engine: TesseractEngine
        do { engine = try TesseractEngine(config.ocr) } catch { throw fail("\(error)", ExitStatus.engine) }
        var pages: [OCRPage] = []
        for input in inputs {
            do {
                if hocr {
                    let image = try PageImage.load(input.url, page: input.pageIndex, info: input.info)
                    print(try engine.hocr(try PageCleaner.clean(image).gray))
                    continue
                }
                let page = try PageSteps.process(input, engine: engine, assumedDPI: config.assumedDPI)
                pages.append(page.ocr)
                if let saveCleaned {
                    let path = inputs.count > 1 ? "\(saveCleaned)-\(input.pageIndex + 1).png" : saveCleaned
                    try page.cleaned.gray.encoded(.png).write(to: URL(fileURLWithPath: path))
                }
                if !words { print(page.ocr.text) }
            } catch {
                throw fail("\(error)", ExitStatus.noUsablePage)
            }
        }
        if words {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(pages.count == 1 ? AnyEncodable(pages[0]) : AnyEncodable(pages)), as: UTF8.self))
        }
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
