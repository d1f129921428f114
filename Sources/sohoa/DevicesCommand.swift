import ArgumentParser
import Foundation
import Scanning

struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List the scanners SANE can reach, with the profile each one uses.")

    @OptionGroup var scanner: ScannerOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Only scanners on this machine (skip network discovery, which can take seconds).")
    var local = false

    @Option(name: .long, help: "Show one scanner's options and how its profile maps sources and modes.")
    var options: String?

    func run() async throws {
        let runtime = try scanner.runtime()
        let catalog = try scanner.catalog()
        if let name = options {
            try await showOptions(name, runtime: runtime, catalog: catalog)
            return
        }
        let devices = try await runtime.devices(localOnly: local)
        if json {
            struct Item: Encodable {
                var name, vendor, model, type, profile: String
                var generic: Bool
            }
            try printJSON(devices.map { d in
                let p = catalog.profile(for: d)
                return Item(name: d.name, vendor: d.vendor, model: d.model, type: d.type, profile: p.id, generic: p.isGeneric)
            }, pretty: true)
            return
        }
        if devices.isEmpty {
            print("Không tìm thấy máy quét nào: kiểm tra máy đã bật, cắm cáp (hoặc cùng mạng) và cấu hình SANE.")
            print("No scanner found: check it is on, connected (or on the same network) and enabled in SANE's dll.conf.")
            return
        }
        for d in devices {
            let p = catalog.profile(for: d)
            let profile = p.isGeneric ? "chưa có hồ sơ riêng, dùng thiết lập chung (no profile: generic defaults)" : "hồ sơ \(p.id)"
            print("\(d.name)\t\(d.vendor) \(d.model) (\(d.type))\t\(profile)")
        }
    }

    func showOptions(_ name: String, runtime: SaneRuntime, catalog: ProfileCatalog) async throws {
        let device: SaneDevice
        do {
            device = try await scanner.open(name, runtime: runtime)
        } catch let error as ScanError {
            throw scanFailure(error, batchId: nil, json: json)
        }
        let profile = catalog.profile(for: device.info)
        let options = try await device.options()
        print("\(device.info.name): \(profile.isGeneric ? "generic defaults (no profile)" : "profile \(profile.id)")")
        for o in options where o.kind != .group {
            let value = o.isActive ? ((try? await device.value(of: o.name)).flatMap { $0 }?.description ?? "") : "inactive"
            var allowed = ""
            switch o.constraint {
            case .strings(let s): allowed = s.joined(separator: "|")
            case .numbers(let n): allowed = n.map { String(format: "%g", $0) }.joined(separator: "|")
            case .range(let lo, let hi, let step): allowed = String(format: "%g..%g", lo, hi) + (step > 0 ? String(format: " step %g", step) : "")
            case .none: allowed = o.kind.rawValue
            }
            print("  \(o.name) = \(value)  [\(allowed)]\(o.unit == .none ? "" : " \(o.unit.rawValue)")")
        }
        for source in ScanSource.allCases {
            let mapped = OptionMapping.source(source, options: options, profile: profile)
            print("  source \(source.rawValue): \(describe(mapped))")
        }
        for mode in ScanMode.allCases {
            print("  mode \(mode.rawValue): \(describe(OptionMapping.mode(mode, options: options, profile: profile)))")
        }
        await device.close()
    }

    func describe(_ r: Result<[(String, String)], ScanError>) -> String {
        switch r {
        case .success(let s): return s.isEmpty ? "(nothing to set)" : s.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
        case .failure(let e): return "unavailable — \(e.detail)"
        }
    }
}
