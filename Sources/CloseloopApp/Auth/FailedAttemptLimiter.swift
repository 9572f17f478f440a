import CloseloopStore
import Foundation

/// Slows guessing: after `maxFailures` failed attempts on one key (a username signing in, a complaint number being
/// tracked) within `window`, further attempts on it are refused until the window has passed. The failures are kept
/// in the database, so every instance serving it counts them alike.
public struct FailedAttemptLimiter: Sendable {
    let store: SQLStore
    /// What the keys are (`sign_in`, `tracking`): a username and a complaint number never count against each other.
    public let scope: String
    public let maxFailures: Int
    public let window: TimeInterval

    public init(store: SQLStore, scope: String, maxFailures: Int = 5, window: TimeInterval = 300) {
        self.store = store
        self.scope = scope
        self.maxFailures = maxFailures
        self.window = window
    }

    public func allow(_ key: String, at now: Date) async throws -> Bool {
        let failures = try await store.failedAttempts(
            scope: scope, key: key.lowercased(), since: now.addingTimeInterval(-window))
        return failures < maxFailures
    }

    public func recordFailure(_ key: String, at now: Date) async throws {
        try await store.recordFailedAttempt(
            scope: scope, key: key.lowercased(), at: now, forgetBefore: now.addingTimeInterval(-window))
    }

    public func reset(_ key: String) async throws {
        try await store.clearFailedAttempts(scope: scope, key: key.lowercased())
    }
}
