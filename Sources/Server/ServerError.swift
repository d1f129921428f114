import Foundation
import HTTPTypes
import Hummingbird

/// An error at the HTTP edge, with the status it maps to and a message safe to show (never citizens' data).
public struct ServerError: Error, CustomStringConvertible, Sendable, HTTPResponseError {
    public enum Code: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case notFound = "not_found"
        case conflict = "conflict"
        case tooLarge = "too_large"
        /// Understood, but nothing usable in it (an upload that is no image).
        case unprocessable = "unprocessable"
        case tooManyRequests = "too_many_requests"
        case unavailable = "unavailable"
        case `internal` = "internal"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public var status: HTTPResponse.Status {
        switch code {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .unprocessable: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(ErrorBody(error: code.rawValue, message: message))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The body of every API error: a stable code and a message safe to show.
struct ErrorBody: Encodable {
    var error: String
    var message: String
}
