import CloseloopCore
import CloseloopStore
import Foundation

/// Bearer tokens for the API: random, shown once, stored only as their SHA-256.
public struct TokenService: Sendable {
    let store: SQLStore
    let time: any TimeSource
    let audit: AuditLog
    /// How long a token from the sign-in endpoint lives.
    public var lifetime: TimeInterval = 12 * 3600

    /// A token for a user who has just signed in with their password, for `lifetime`.
    public func issue(signedIn user: UserAccount, name: String) async throws -> (token: String, expiresAt: Date) {
        try await issue(for: user.id, name: name, lifetime: lifetime)
    }

    /// A token an operator makes for an integration (`closeloop user token`): `days` long, or without end; audited.
    public func issue(forUsername username: String, name: String, days: Int?, by actor: Operator) async throws -> (
        token: String, expiresAt: Date
    ) {
        try actor.require(anyOf: [.administrator])
        guard let user = try await store.user(username: username) else { throw StoreError.userNotFound(username) }
        let issued = try await issue(for: user.id, name: name, lifetime: days.map { Double($0) * 86_400 })
        try await audit.record("token.create", subject: username, detail: name, by: actor)
        return issued
    }

    /// Creates a token for `user`; a nil lifetime never expires (for integrations, made with the CLI).
    func issue(for user: UserID, name: String, lifetime: TimeInterval?) async throws -> (
        token: String, expiresAt: Date
    ) {
        // A token that is expired when it is printed is a mistake, not a choice.
        if let lifetime, lifetime <= 0 {
            throw DomainError.validation([
                FieldIssue(
                    field: "days", code: "too_small",
                    message: LocalizedText(zh: "有效期至少一天", en: "a token must live at least one day"))
            ])
        }
        let token = "cl_" + RandomToken.make()
        let now = time.instant()
        let expires = lifetime.map { now.addingTimeInterval($0) }
        try await store.createToken(hash: Self.digest(token), for: user, name: name, createdAt: now, expiresAt: expires)
        return (token, expires ?? .distantFuture)
    }

    /// The user a presented token belongs to.
    public func authenticate(_ token: String) async throws -> UserAccount? {
        guard token.hasPrefix("cl_"), token.count < 200 else { return nil }
        return try await store.user(forTokenHash: Self.digest(token), at: time.now())
    }

    static func digest(_ token: String) -> String {
        Digest.sha256(token)
    }
}
