import CloseloopCore
import Foundation
import SQLKit

/// A browser session: a staff member signed in, or a customer who proved a complaint is theirs (number + phone).
public struct WebSessionRecord: Hashable, Sendable {
    public enum Kind: String, Sendable { case staff, customer }

    /// SHA-256 of the cookie's value; the value itself is never stored.
    public var tokenHash: String
    public var kind: Kind
    public var userID: UserID?
    public var complaintID: ComplaintID?
    /// The token every form of this session must carry back.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        tokenHash: String, kind: Kind, userID: UserID?, complaintID: ComplaintID?, csrfToken: String, createdAt: Date,
        expiresAt: Date
    ) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.userID = userID
        self.complaintID = complaintID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

extension SQLStore {
    public func createSession(_ session: WebSessionRecord) async throws {
        try await database.transaction { db in
            try await db.insert(into: "web_sessions")
                .columns("token_hash", "kind", "user_id", "complaint_id", "csrf_token", "created_at", "expires_at")
                .values(
                    SQLBind(session.tokenHash), SQLBind(session.kind.rawValue), SQLBind(session.userID?.rawValue),
                    SQLBind(session.complaintID?.rawValue), SQLBind(session.csrfToken),
                    SQLBind(Timestamp.milliseconds(session.createdAt)),
                    SQLBind(Timestamp.milliseconds(session.expiresAt))
                )
                .run()
        }
    }

    /// The session with this token hash, unless it has expired at `now`.
    public func session(tokenHash: String, at now: Date) async throws -> WebSessionRecord? {
        try await database.lookup { db in
            try await db.select()
                .columns("token_hash", "kind", "user_id", "complaint_id", "csrf_token", "created_at", "expires_at")
                .from("web_sessions")
                .where("token_hash", .equal, tokenHash)
                .where("expires_at", .greaterThan, Timestamp.milliseconds(now))
                .first()
                .map { row in
                    WebSessionRecord(
                        tokenHash: try row.decode(column: "token_hash", as: String.self),
                        kind: WebSessionRecord.Kind(rawValue: try row.decode(column: "kind", as: String.self))
                            ?? .customer,
                        userID: try row.decode(column: "user_id", as: String?.self).map { UserID($0) },
                        complaintID: try row.decode(column: "complaint_id", as: String?.self).map { ComplaintID($0) },
                        csrfToken: try row.decode(column: "csrf_token", as: String.self),
                        createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
                        expiresAt: Timestamp.date(try row.decode(column: "expires_at", as: Int64.self)))
                }
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.transaction { db in
            try await db.delete(from: "web_sessions").where("token_hash", .equal, tokenHash).run()
        }
    }

    /// Ends every session of a user (deactivated, password reset).
    public func deleteSessions(of user: UserID) async throws {
        try await database.transaction { db in
            try await db.delete(from: "web_sessions").where("user_id", .equal, user.rawValue).run()
        }
    }

    /// Drops sessions that expired before `now`.
    public func deleteExpiredSessions(at now: Date) async throws {
        try await database.transaction { db in
            try await db.delete(from: "web_sessions")
                .where("expires_at", .lessThanOrEqual, Timestamp.milliseconds(now)).run()
        }
    }
}
