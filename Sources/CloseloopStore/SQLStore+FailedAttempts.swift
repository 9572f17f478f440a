import Foundation
import SQLKit

/// Failed attempts at a guarded key (a username signing in, a complaint number being tracked), kept in the database
/// so every instance serving it counts the same failures: N instances allow what one does.
extension SQLStore {
    /// How many failures `key` has had in `scope` since `since`.
    public func failedAttempts(scope: String, key: String, since: Date) async throws -> Int {
        try await database.lookup { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("failed_attempts")
                .where("scope", .equal, scope).where("key", .equal, key)
                .where("at", .greaterThan, Timestamp.milliseconds(since))
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Records one failure, and forgets every failure in `scope` from before `forgetBefore` (older than any window
    /// looks back), so keys sprayed at random do not pile up.
    public func recordFailedAttempt(scope: String, key: String, at: Date, forgetBefore: Date) async throws {
        try await database.transaction { db in
            try await db.delete(from: "failed_attempts").where("scope", .equal, scope)
                .where("at", .lessThan, Timestamp.milliseconds(forgetBefore)).run()
            try await db.insert(into: "failed_attempts").columns("scope", "key", "at")
                .values(SQLBind(scope), SQLBind(key), SQLBind(Timestamp.milliseconds(at))).run()
        }
    }

    /// Forgets the failures of `key` in `scope` (after it succeeded).
    public func clearFailedAttempts(scope: String, key: String) async throws {
        try await database.transaction { db in
            try await db.delete(from: "failed_attempts").where("scope", .equal, scope).where("key", .equal, key).run()
        }
    }
}
