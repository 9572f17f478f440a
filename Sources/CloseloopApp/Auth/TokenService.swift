import CloseloopCore
import CloseloopStore
import Foundation

/// Bearer tokens for the API: random, shown once, stored only as their SHA-256.
public struct TokenService: Sendable {
    public let store: SQLStore
    public let passwords: Passwords
    public let time: any TimeSource
    /// How long a token from the sign-in endpoint lives.
    public var lifetime: TimeInterval = 12 * 3600
    /// A hash of a random password, checked against when the username is unknown.
    private let decoyHash: String

    public init(store: SQLStore, passwords: Passwords, time: any TimeSource) {
        self.store = store
        self.passwords = passwords
        self.time = time
        decoyHash = passwords.hash(UUID().uuidString)
    }

    /// Exchanges a username and password for a token; nil when they do not match an active user.
    public func signIn(username: String, password: String, tokenName: String) async throws -> (
        token: String, expiresAt: Date
    )? {
        guard let user = try await store.user(username: username), user.active,
            passwords.verify(password, against: user.passwordHash)
        else {
            // Spend the same time on unknown users so the response does not reveal which usernames exist.
            _ = passwords.verify(password, against: decoyHash)
            return nil
        }
        return try await issue(for: user.id, name: tokenName, lifetime: lifetime)
    }

    /// Creates a token for `user`; a nil lifetime never expires (for integrations, made with the CLI).
    public func issue(for user: UserID, name: String, lifetime: TimeInterval?) async throws -> (
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
