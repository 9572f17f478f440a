import CloseloopCore
import CloseloopStore
import Foundation

/// Opens, finds and ends browser sessions. The cookie holds a random token; the database holds only its SHA-256,
/// so a leaked database does not let anyone in, and several server instances share every session.
public struct WebSessionService: Sendable {
    public static let cookieName = "cl_session"
    let store: SQLStore
    let time: any TimeSource
    /// Staff sessions end after a working day and a half whatever happens.
    public var staffLifetime: TimeInterval = 12 * 3600
    /// A customer's look at their complaint is short.
    public var customerLifetime: TimeInterval = 3600

    init(store: SQLStore, time: any TimeSource) {
        self.store = store
        self.time = time
    }

    /// A new session; returns the cookie value (shown to the browser once).
    public func open(
        _ kind: WebSessionRecord.Kind, user: UserID? = nil, complaint: ComplaintID? = nil
    ) async throws -> (token: String, session: WebSessionRecord) {
        let token = RandomToken.make()
        let now = time.instant()
        let session = WebSessionRecord(
            tokenHash: CloseloopStore.Digest.sha256(token), kind: kind, userID: user, complaintID: complaint,
            csrfToken: RandomToken.make(), createdAt: now,
            expiresAt: now.addingTimeInterval(kind == .staff ? staffLifetime : customerLifetime))
        try await store.createSession(session)
        return (token, session)
    }

    /// The live session a cookie value names, with its user when it is a staff session of an active user.
    public func find(token: String) async throws -> (WebSessionRecord, UserAccount?)? {
        guard token.count >= 20, token.count < 200 else { return nil }
        guard let session = try await store.session(tokenHash: CloseloopStore.Digest.sha256(token), at: time.now())
        else { return nil }
        guard session.kind == .staff else { return (session, nil) }
        guard let id = session.userID, let user = try await store.user(id: id), user.active else { return nil }
        return (session, user)
    }

    public func close(token: String) async throws {
        try await store.deleteSession(tokenHash: CloseloopStore.Digest.sha256(token))
    }

    /// Forgets sessions past their end (run on each sign-in, so the table never grows without bound).
    public func purgeExpired() async throws {
        try await store.deleteExpiredSessions(at: time.now())
    }
}
