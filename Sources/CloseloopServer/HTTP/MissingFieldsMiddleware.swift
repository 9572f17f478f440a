import CloseloopApp
import CloseloopCore
import Foundation
import Hummingbird
import OpenAPIRuntime

/// When a JSON body lacks a required field, the generated decoder reports the first one only; this lists every
/// missing field of the body at once, from the OpenAPI document, so a client fixes its request in one round trip.
/// Runs inside `BodyLimitMiddleware`, which has already collected the body.
struct MissingFieldsMiddleware<Context: RequestContext>: RouterMiddleware {
    let contract: OpenAPIContract

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            guard let decoding = error.underlyingError as? DecodingError, case .keyNotFound = decoding else {
                throw error
            }
            guard let buffer = try? await request.body.collect(upTo: .max) else { throw error }
            let missing = contract.missingFields(of: error.operationID, in: Data(buffer.readableBytesView))
            guard !missing.isEmpty else { throw error }
            throw APIError.missingFields(missing)
        }
    }
}
