import CloseloopCore
import Foundation
import SQLKit

/// One administrative change (users, departments, settings): who, when, what and to what.
public struct AuditEntry: Hashable, Sendable {
    public var id: String
    public var at: Date
    /// The username of whoever made the change (`cli` for the command-line tool).
    public var actor: String
    /// A stable name such as `user.create` or `settings.policy`.
    public var action: String
    /// What was changed: a username, a department id, a settings key.
    public var subject: String
    /// The change in words or JSON.
    public var detail: String

    public init(
        id: String = UUID().uuidString.lowercased(), at: Date, actor: String, action: String, subject: String,
        detail: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

extension SQLStore {
    public func recordAudit(_ entry: AuditEntry) async throws {
        try await database.transaction { db in
            try await db.insert(into: "audit_log").columns("id", "at", "actor", "action", "subject", "detail")
                .values(
                    SQLBind(entry.id), SQLBind(Timestamp.milliseconds(entry.at)), SQLBind(entry.actor),
                    SQLBind(entry.action), SQLBind(entry.subject), SQLBind(entry.detail)
                )
                .run()
        }
    }

    /// The most recent administrative changes, newest first.
    public func auditEntries(limit: Int = 100) async throws -> [AuditEntry] {
        try await database.read { db in
            try await db.select().columns("id", "at", "actor", "action", "subject", "detail").from("audit_log")
                .orderBy("at", .descending).orderBy("id", .descending).limit(limit).all()
                .map { row in
                    AuditEntry(
                        id: try row.decode(column: "id", as: String.self),
                        at: Timestamp.date(try row.decode(column: "at", as: Int64.self)),
                        actor: try row.decode(column: "actor", as: String.self),
                        action: try row.decode(column: "action", as: String.self),
                        subject: try row.decode(column: "subject", as: String.self),
                        detail: try row.decode(column: "detail", as: String.self))
                }
        }
    }

    /// The instant of the latest change to any complaint, for live queue refreshes across server instances.
    public func latestComplaintChange() async throws -> Int64? {
        try await database.read { db in
            try await db.raw("SELECT MAX(updated_at) AS latest FROM complaints").first()?
                .decode(column: "latest", as: Int64?.self)
        }
    }
}
