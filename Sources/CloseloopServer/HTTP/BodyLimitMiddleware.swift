import Hummingbird
import NIOCore

/// Caps request bodies before anything reads them: small for JSON and plain forms, larger for attachment uploads
/// and the web's multipart forms (photos, evidence).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let jsonLimit: Int
    let uploadLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let multipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
        let limit = request.uri.path.hasSuffix("/attachments") || multipart ? uploadLimit : jsonLimit
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
