import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import Logging

/// Gives every web request its `WebState` (session, user, language, CSRF token) and turns what a page throws into
/// a page in the user's language with the right status, never a JSON problem or a stack trace.
struct WebSessionMiddleware<Context: RequestContext>: RouterMiddleware {
    static var languageCookie: String { "cl_lang" }
    /// The CSRF token of a browser without a session (sign-in, portal), checked against the form's copy.
    static var anonymousCSRFCookie: String { "cl_csrf" }

    let sessions: WebSessionService
    let renderer: WebRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // The API has its own authentication and JSON problems.
        if request.uri.path.hasPrefix("/api/") { return try await next(request, context) }
        let cookies = request.cookies
        var session: WebSessionRecord?
        var user: UserAccount?
        if let token = cookies[WebSessionService.cookieName]?.value, let found = try await sessions.find(token: token) {
            (session, user) = found
        }
        let language =
            user?.language
            ?? cookies[Self.languageCookie].flatMap { Language(rawValue: $0.value) }
            ?? Language.preferred(fromAcceptLanguage: request.headers[.acceptLanguage])
        var newCSRFCookie: String?
        let csrf: String
        if let session {
            csrf = session.csrfToken
        } else if let existing = cookies[Self.anonymousCSRFCookie]?.value, existing.count >= 20 {
            csrf = existing
        } else {
            csrf = RandomToken.make()
            newCSRFCookie = csrf
        }
        let anonymous = cookies[Self.anonymousCSRFCookie]?.value
        let state = WebState(
            session: session, user: user, language: language, csrfToken: csrf,
            anonymousCSRFToken: anonymous.flatMap { $0.count >= 20 ? $0 : nil },
            // Where the language switch returns to: this address for a GET; a page answering a POST names its own.
            path: request.method == .get ? request.uri.description : "/")
        var response: Response
        do {
            response = try await WebState.$current.withValue(state) {
                try await RequestLanguage.$current.withValue(language) { try await next(request, context) }
            }
        } catch {
            response = errorPage(for: error, request: request, context: context, state: state)
        }
        if let newCSRFCookie {
            response.setCookie(
                Cookie(name: Self.anonymousCSRFCookie, value: newCSRFCookie, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    private func errorPage(for error: any Error, request: Request, context: Context, state: WebState) -> Response {
        let t = { (key: String) in renderer.strings.text(key, state.language) }
        func page(_ status: HTTPResponse.Status, _ title: String, _ message: String) -> Response {
            renderer.page(
                "error", ["title": title, "message": message, "status": status.code], status: status, state: state)
        }
        switch error {
        case WebError.signInRequired:
            let next = request.uri.path.hasPrefix("/") ? request.uri.description : "/"
            return WebRenderer.redirect(to: "/login?next=\(FormEncoding.encode(next))")
        case WebError.customerSessionRequired:
            return WebRenderer.redirect(to: "/portal/track")
        // A service refusing the caller's roles (AccessDenied) is the same 403 as a page's own check.
        case WebError.forbidden, DomainError.notAllowed, DomainError.recused, is AccessDenied:
            return page(.forbidden, t("error_forbidden_title"), t("error_forbidden_message"))
        case WebError.notFound, StoreError.complaintNotFound, StoreError.incidentNotFound:
            return page(.notFound, t("error_not_found_title"), t("error_not_found_message"))
        case WebError.badCSRF:
            return page(.forbidden, t("error_csrf_title"), t("error_csrf_message"))
        case WebError.badRequest(let message):
            return page(.badRequest, t("error_bad_request_title"), message)
        case WebError.rateLimited:
            return page(.tooManyRequests, t("error_rate_limited_title"), t("error_rate_limited_message"))
        case let error as DomainError:
            return page(.conflict, t("error_bad_request_title"), error.message(in: state.language))
        case let error as StoreError:
            if case .versionConflict = error {
                return page(.conflict, t("error_conflict_title"), t("error_conflict_message"))
            }
            fallthrough
        default:
            if let http = error as? HTTPError, http.status.code < 500 {
                if http.status == .contentTooLarge {
                    return page(.contentTooLarge, t("error_too_large_title"), t("error_too_large_message"))
                }
                return page(http.status, t("error_bad_request_title"), http.body ?? http.status.reasonPhrase)
            }
            context.logger.error(
                "page failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return page(.internalServerError, t("error_internal_title"), t("error_internal_message"))
        }
    }
}
