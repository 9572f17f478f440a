import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Sign-in, sign-out and the language switch.
struct SignInPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/") { _, _ -> Response in
            WebRenderer.redirect(to: WebState.current.user.map(Self.landing) ?? "/login")
        }
        web.get("/login") { request, _ -> Response in
            if let user = WebState.current.user { return WebRenderer.redirect(to: Self.landing(user)) }
            return signInPage(username: "", next: request.uri.queryParameters["next"].map(String.init) ?? "")
        }
        web.post("/login") { request, _ in try await signIn(request) }
        web.post("/logout") { request, _ in try await signOut(request) }
        web.post("/language") { request, _ in try await switchLanguage(request) }
    }

    private func signInPage(
        username: String, next: String, error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        app.page(
            "login",
            [
                "title": app.t("sign_in_title"), "username": username, "next": next, "error": error as Any,
                "returnPath": next.isEmpty ? "/login" : "/login?next=" + FormEncoding.encode(next),
            ],
            status: status)
    }

    private func signIn(_ request: Request) async throws -> Response {
        let form = try await app.form(request)
        let username = form["username"]
        let next = Self.safeNext(form["next"])
        let user: UserAccount
        do {
            user = try await app.services.signIn.check(
                username: username, password: form.fields["password"]?.first ?? "")
        } catch SignInRefusal.rateLimited {
            return signInPage(
                username: username, next: next, error: app.t("sign_in_rate_limited"), status: .tooManyRequests)
        } catch SignInRefusal.badCredentials {
            return signInPage(
                username: username, next: next, error: app.t("sign_in_failed"), status: .unauthorized)
        }
        // A new session on every sign-in, so a session token planted before sign-in is worthless.
        if let old = request.cookies[WebSessionService.cookieName]?.value { try await app.sessions.close(token: old) }
        let (token, _) = try await app.sessions.open(.staff, user: user.id)
        try await app.sessions.purgeExpired()
        var response = WebRenderer.redirect(to: next.isEmpty ? Self.landing(user) : next)
        response.setCookie(Self.sessionCookie(token))
        return response
    }

    private func signOut(_ request: Request) async throws -> Response {
        _ = try await app.form(request)
        if let token = request.cookies[WebSessionService.cookieName]?.value {
            try await app.sessions.close(token: token)
        }
        var response = WebRenderer.redirect(to: "/login")
        response.setCookie(Cookie(name: WebSessionService.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true))
        return response
    }

    private func switchLanguage(_ request: Request) async throws -> Response {
        let form = try await app.form(request)
        guard let language = Language(rawValue: form["language"]) else {
            throw WebError.badRequest(app.t("error_bad_request_title"))
        }
        if let user = WebState.current.user { try await app.services.staff.setLanguage(language, of: user) }
        let next = Self.safeNext(form["next"], allowSignIn: true)
        var response = WebRenderer.redirect(to: next.isEmpty ? "/" : next)
        response.setCookie(
            Cookie(
                name: WebSessionMiddleware<AppRequestContext>.languageCookie, value: language.rawValue,
                maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    static func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: WebSessionService.cookieName, value: token, path: "/", httpOnly: true, sameSite: .lax)
    }

    /// Where a staff member starts: management, quality and department managers on their dashboard, everyone else on
    /// their queue.
    static func landing(_ user: UserAccount) -> String {
        ReportAccess.landsOnDashboard(user.staffMember) ? "/dashboard" : "/queue"
    }

    /// Only paths on this site may be returned to after sign-in (no open redirect to another host).
    static func safeNext(_ next: String, allowSignIn: Bool = false) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), allowSignIn || !next.hasPrefix("/login")
        else {
            return ""
        }
        return next
    }
}
