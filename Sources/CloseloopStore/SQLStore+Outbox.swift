import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    private static let outboxColumns = """
        id, created_at, complaint_id, topic, channel, recipient, subject, body, status, attempts, next_attempt_at,
        last_error, sent_at
        """

    /// Claims up to `limit` messages that are due, for `lease` seconds: while claimed, no other dispatcher (in this
    /// instance or another) takes them. PostgreSQL skips rows another transaction is claiming (`FOR UPDATE SKIP
    /// LOCKED`); SQLite's single writer makes the claim atomic by itself.
    public func claimOutbox(at now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage] {
        let nowValue = Timestamp.milliseconds(now)
        let until = Timestamp.milliseconds(now.addingTimeInterval(lease))
        let lock = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            try await db.raw(
                """
                UPDATE outbox SET claimed_until = \(bind: until)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE status = 'pending' AND next_attempt_at <= \(bind: nowValue)
                        AND (claimed_until IS NULL OR claimed_until < \(bind: nowValue))
                    ORDER BY next_attempt_at LIMIT \(bind: limit)\(unsafeRaw: lock)
                )
                RETURNING \(unsafeRaw: Self.outboxColumns)
                """
            ).all().map(Self.decodeOutbox)
        }
    }

    /// Marks a claimed message delivered.
    public func markSent(_ id: String, at instant: Date) async throws {
        try await database.transaction { db in
            try await db.update("outbox").set("status", to: "sent").set("sent_at", to: Timestamp.milliseconds(instant))
                .set("claimed_until", to: SQLLiteral.null).where("id", .equal, id).run()
        }
    }

    /// Gives back claimed messages that were not tried (the dispatcher was stopped), so that they are due again at
    /// once instead of when the claim runs out; a message already marked sent or failed keeps its state.
    public func releaseOutbox(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await database.transaction { db in
            try await db.update("outbox").set("claimed_until", to: SQLLiteral.null).where("id", .in, ids)
                .where("status", .equal, OutboxMessage.Status.pending.rawValue).run()
        }
    }

    /// Records a failed attempt: tried again at `retryAt`, or given up on (`failed`) when `retryAt` is nil.
    public func markAttemptFailed(_ id: String, error: String, retryAt: Date?) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: String(error.prefix(1000))),
                    status = \(bind: retryAt == nil ? "failed" : "pending"),
                    next_attempt_at = \(bind: Timestamp.milliseconds(retryAt ?? Date(timeIntervalSince1970: 0))),
                    claimed_until = NULL
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Adds a notification that belongs to no complaint event (a report, a monitoring alert).
    public func enqueue(_ messages: [OutboxMessage]) async throws {
        try await database.transaction { db in
            for message in messages { try await Self.insert(message, on: db) }
        }
    }

    /// Adds messages whose ids are derived from what they are (a day's report to one address), skipping any already
    /// there, so several instances queueing the same report send it once. Returns how many were new.
    @discardableResult
    public func enqueueOnce(_ messages: [OutboxMessage]) async throws -> Int {
        try await database.transaction { db in
            var added = 0
            for message in messages {
                let exists = try await db.select().column("id").from("outbox").where("id", .equal, message.id).first()
                if exists == nil {
                    try await Self.insert(message, on: db)
                    added += 1
                }
            }
            return added
        }
    }

    /// The files sent with a message, in order.
    public func outboxAttachments(of id: String) async throws -> [OutboxAttachment] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT file_name, content_type, content FROM outbox_attachments
                WHERE message_id = \(bind: id) ORDER BY position
                """
            ).all().map { row in
                OutboxAttachment(
                    fileName: try row.decode(column: "file_name", as: String.self),
                    contentType: try row.decode(column: "content_type", as: String.self),
                    data: Data(base64Encoded: try row.decode(column: "content", as: String.self)) ?? Data())
            }
        }
    }

    /// Which of `ids` the outbox already holds (sent, waiting or failed): a scheduled report already queued is not
    /// built again.
    public func outboxHolds(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            Set(
                try await db.select().column("id").from("outbox").where("id", .in, ids).all()
                    .map { try $0.decode(column: "id", as: String.self) })
        }
    }

    /// The secret of a notification target, for signing a delivery to it.
    public func notificationSecret(channel: String, address: String) async throws -> String? {
        try await database.read { db in
            try await db.select().column("secret").from("notification_targets")
                .where("channel", .equal, channel).where("address", .equal, address)
                .where(SQLQueryString("secret IS NOT NULL")).first()?
                .decode(column: "secret", as: String?.self)
        }
    }

    /// Outbox messages, newest first, optionally only those in `status` (for the administration page and tests).
    public func outboxMessages(status: OutboxMessage.Status? = nil, limit: Int = 200) async throws -> [OutboxMessage] {
        try await database.read { db in
            let filter = status.map { SQLQueryString("WHERE status = \(bind: $0.rawValue)") } ?? SQLQueryString("")
            return try await db.raw(
                """
                SELECT \(unsafeRaw: Self.outboxColumns) FROM outbox \(filter)
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.decodeOutbox)
        }
    }

    /// The messages about one complaint whose topic starts with `prefix` (`customer.`: what its customer was sent),
    /// oldest first.
    public func outboxMessages(complaint: ComplaintID, topicPrefix prefix: String) async throws -> [OutboxMessage] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.outboxColumns) FROM outbox
                WHERE complaint_id = \(bind: complaint.rawValue) AND topic LIKE \(bind: prefix + "%")
                ORDER BY created_at, id
                """
            ).all().map(Self.decodeOutbox)
        }
    }

    /// How many messages are in each state.
    public func outboxCounts() async throws -> [OutboxMessage.Status: Int] {
        try await database.read { db in
            var counts: [OutboxMessage.Status: Int] = [:]
            for row in try await db.raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() {
                if let status = OutboxMessage.Status(rawValue: try row.decode(column: "status", as: String.self)) {
                    counts[status] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }

    /// How many messages wait to be sent and how many failed for good, each counted through `outbox_pending` (the
    /// sent ones, nearly all of them, are not read): what `/metrics` reports after each dispatcher pass.
    public func outboxBacklog() async throws -> (pending: Int, failed: Int) {
        try await database.read { db in
            func count(_ status: OutboxMessage.Status) async throws -> Int {
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("outbox")
                    .where("status", .equal, status.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
            }
            return (try await count(.pending), try await count(.failed))
        }
    }

    /// Puts a failed message back in the queue, due at `instant`, for a fresh round of attempts; returns whether
    /// there was such a failed message.
    @discardableResult
    public func requeueOutbox(_ id: String, at instant: Date) async throws -> Bool {
        try await database.transaction { db in
            let found =
                try await db.select().column("id").from("outbox").where("id", .equal, id)
                .where("status", .equal, OutboxMessage.Status.failed.rawValue).first() != nil
            guard found else { return false }
            try await db.raw(
                """
                UPDATE outbox SET status = 'pending', attempts = 0,
                    next_attempt_at = \(bind: Timestamp.milliseconds(instant)), claimed_until = NULL
                WHERE id = \(bind: id)
                """
            ).run()
            return true
        }
    }
}
