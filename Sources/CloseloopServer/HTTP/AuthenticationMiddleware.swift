import CloseloopApp
import CloseloopStore
import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer …` into the calling user for the handlers. A missing token passes through
/// (public routes decide for themselves); a presented but invalid token is refused at once.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: TokenService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let user = try await tokens.authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces))
        else {
            throw APIError.unauthenticated
        }
        return try await Identity.$current.withValue(user) { try await next(request, context) }
    }
}
