import Hummingbird

/// The server answers GET, HEAD and POST only; TRACE, OPTIONS, PUT, DELETE and the rest
/// are refused with 405 before any route or page sees them, instead of the 404 a router gives for a method it lacks.
struct MethodFilterMiddleware<Context: RequestContext>: RouterMiddleware {
    static var served: Set<HTTPRequest.Method> { [.get, .head, .post] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.served.contains(request.method) else { throw MethodNotAllowed(allowed: ["GET", "POST"]) }
        return try await next(request, context)
    }
}
