import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The station's own API description (`Resources/station.openapi.yaml`), for any signed-in person: the contract test
/// and API clients read it from the station they talk to.
extension StationServer {
    func addAPIDocRoutes(_ router: Router<StationContext>) {
        let description = Self.apiDescription
        router.get("/api/openapi.yaml") { [self] request, context in
            _ = try require(.officer, request, context, anyRole: true)
            guard let description else {
                throw ServerError(.internal, "the API description is missing from the station's resources: "
                                  + "reinstall sohoa")
            }
            return Response(status: .ok,
                            headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: description)))
        }
    }

    /// `station.openapi.yaml` as shipped, read once.
    static let apiDescription: Data? = Bundle.module
        .url(forResource: "station.openapi", withExtension: "yaml", subdirectory: "Resources")
        .flatMap { try? Data(contentsOf: $0) }
}
