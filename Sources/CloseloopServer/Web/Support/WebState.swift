import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// What a web request knows about its browser: the session (staff or customer), the signed-in user, the language
/// the pages speak and the CSRF token its forms must carry. Set by `WebSessionMiddleware` for the request's task.
public struct WebState: Sendable {
    public var session: WebSessionRecord?
    public var user: UserAccount?
    public var language: Language
    public var csrfToken: String
    /// The browser's pre-session token, still accepted once a session has begun: a form loaded before signing in
    /// or submitting (a double click, a second tab) must not fail as forged.
    public var anonymousCSRFToken: String?
    public var path: String

    @TaskLocal public static var current = WebState(
        session: nil, user: nil, language: .zhHans, csrfToken: "", anonymousCSRFToken: nil, path: "/")

    /// The signed-in staff member with at least one role, or the sign-in page.
    public func requireStaff() throws -> UserAccount {
        guard let user else { throw WebError.signInRequired }
        guard !user.grants.isEmpty else { throw WebError.forbidden }
        return user
    }

    /// The signed-in staff member holding one of `roles`, or a 403 page.
    public func require(anyOf roles: Set<Role>) throws -> UserAccount {
        let user = try requireStaff()
        guard user.grants.contains(where: { roles.contains($0.role) }) else { throw WebError.forbidden }
        return user
    }

    /// The complaint a customer's portal session was opened for.
    public func requireCustomerComplaint() throws -> ComplaintID {
        guard let session, session.kind == .customer, let id = session.complaintID else {
            throw WebError.customerSessionRequired
        }
        return id
    }
}

/// What can end a web request early; `WebErrorMiddleware` turns each into a page in the user's language.
public enum WebError: Error, Sendable {
    case signInRequired
    case customerSessionRequired
    case forbidden
    case notFound
    case badCSRF
    case badRequest(String)
    case rateLimited
}
