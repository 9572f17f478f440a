import CloseloopApp
import CloseloopCore
import Hummingbird
import Logging

/// Turns every error a request ends in into a problem document with a stable code, in the caller's language.
/// Outside the API, an address no route knows is answered by `pageNotFound` (an HTML page) instead.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    var pageNotFound: (@Sendable (Request, Context) async throws -> Response)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let language = Language.preferred(fromAcceptLanguage: request.headers[.acceptLanguage])
        do {
            return try await RequestLanguage.$current.withValue(language) { try await next(request, context) }
        } catch let error as HTTPError
            where error.status == .notFound && !request.uri.path.hasPrefix("/api/") && pageNotFound != nil
        {
            return try await pageNotFound!(request, context)
        } catch let error as MethodNotAllowed {
            return try error.response(from: request, context: context)
        } catch {
            if let problem = Problem.from(error, language: language), problem.status < 500 {
                return problem.response()
            }
            context.logger.error(
                "request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return Problem(
                status: .internalServerError, code: "internal",
                detail: LocalizedText(zh: "服务器内部错误，已记录", en: "Internal server error; it has been logged")
                    .text(in: language)
            ).response()
        }
    }
}
