import Hummingbird
import NIOCore

/// Caps API request bodies before anything reads them: small for JSON, larger for attachment uploads. Web forms
/// are capped where they are read (`WebForm.read`), so a person gets a page rather than a JSON problem.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let jsonLimit: Int
    let uploadLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        let limit = request.uri.path.hasSuffix("/attachments") ? uploadLimit : jsonLimit
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes")
        } catch is NIOTooManyBytesError {
            // A body sent without Content-Length (chunked) only shows its size while it is read.
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes")
        }
        return try await next(request, context)
    }
}
