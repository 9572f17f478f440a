import CloseloopCore
import CloseloopStore
import Foundation

/// Checks a username and password, for the sign-in page and the API's token endpoint alike: five failures for a
/// username lock it for a while, and an unknown username costs the same time as a wrong password, so neither the
/// answer nor its delay reveals which usernames exist.
public struct SignInService: Sendable {
    let store: SQLStore
    let passwords: Passwords
    let limiter: FailedAttemptLimiter
    let time: any TimeSource
    /// A hash of a random password, checked against when the username is unknown.
    private let decoyHash: String

    init(store: SQLStore, passwords: Passwords, limiter: FailedAttemptLimiter, time: any TimeSource) {
        self.store = store
        self.passwords = passwords
        self.limiter = limiter
        self.time = time
        decoyHash = passwords.hash(UUID().uuidString)
    }

    /// The active user these credentials belong to; otherwise throws why not.
    public func check(username: String, password: String) async throws -> UserAccount {
        let now = time.now()
        guard try await limiter.allow(username, at: now) else { throw SignInRefusal.rateLimited }
        guard let user = try await store.user(username: username), user.active else {
            _ = passwords.verify(password, against: decoyHash)
            try await limiter.recordFailure(username, at: now)
            throw SignInRefusal.badCredentials
        }
        guard passwords.verify(password, against: user.passwordHash) else {
            try await limiter.recordFailure(username, at: now)
            throw SignInRefusal.badCredentials
        }
        try await limiter.reset(username)
        return user
    }
}

/// Why credentials were not accepted.
public enum SignInRefusal: Error, Sendable, Equatable {
    case badCredentials
    case rateLimited
}
