import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Writes a change's penalties, waiver and notifications inside its transaction.
    static func write(_ effects: ComplaintEffects, for complaint: ComplaintID, on db: any SQLDatabase) async throws {
        for penalty in effects.penalties {
            // Once per clock cycle, whichever instance got there first.
            try await db.raw(
                """
                INSERT INTO penalties (complaint_id, clock, cycle_start, department, severity, amount_minor, at)
                VALUES (\(bind: penalty.complaintID.rawValue), \(bind: penalty.clock.rawValue),
                    \(bind: Timestamp.milliseconds(penalty.cycleStart)), \(bind: penalty.department?.rawValue),
                    \(bind: penalty.severity.rawValue), \(bind: penalty.amount.minorUnits),
                    \(bind: Timestamp.milliseconds(penalty.at)))
                ON CONFLICT (complaint_id, clock, cycle_start) DO NOTHING
                """
            ).run()
        }
        if let waiver = effects.waivePenalties {
            try await db.update("penalties")
                .set("waived_at", to: Timestamp.milliseconds(waiver.at))
                .set("waived_reason", to: waiver.reason)
                .where("complaint_id", .equal, complaint.rawValue)
                .where(SQLQueryString("waived_at IS NULL"))
                .run()
        }
        for message in effects.outbox {
            try await insert(message, on: db)
        }
        if let draft = effects.caseDraft { try await save(draft, on: db) }
        if let suggestion = effects.suggestion { try await insert(suggestion, on: db) }
    }

    static func insert(_ message: OutboxMessage, on db: any SQLDatabase) async throws {
        let row = RowInsert(
            table: "outbox",
            values: [
                ("id", SQLBind(message.id)), ("created_at", SQLBind(Timestamp.milliseconds(message.createdAt))),
                ("complaint_id", SQLBind(message.complaintID?.rawValue)), ("topic", SQLBind(message.topic)),
                ("channel", SQLBind(message.channel)), ("recipient", SQLBind(message.recipient)),
                ("subject", SQLBind(message.subject)), ("body", SQLBind(message.body)),
                ("status", SQLBind(message.status.rawValue)), ("attempts", SQLBind(message.attempts)),
                ("next_attempt_at", SQLBind(Timestamp.milliseconds(message.nextAttemptAt))),
                ("last_error", SQLBind(message.lastError)),
                ("sent_at", SQLBind(message.sentAt.map(Timestamp.milliseconds))),
            ])
        try await db.execute(sql: row) { _ in }
        for (position, attachment) in message.attachments.enumerated() {
            // Base64 in a text column: both dialects store and return it alike, and reports are small.
            let file = RowInsert(
                table: "outbox_attachments",
                values: [
                    ("message_id", SQLBind(message.id)), ("position", SQLBind(position)),
                    ("file_name", SQLBind(attachment.fileName)), ("content_type", SQLBind(attachment.contentType)),
                    ("content", SQLBind(attachment.data.base64EncodedString())),
                ])
            try await db.execute(sql: file) { _ in }
        }
    }

    // MARK: - Deadline watcher

    /// Complaints whose next alert is due at `now`, earliest first: a read of the `next_alert_at` index only, so its
    /// cost grows with the complaints that are due, not with the open ones.
    public func complaintsWithAlertsDue(at now: Date, limit: Int) async throws -> [ComplaintID] {
        try await database.read { db in
            try await db.select().column("id").from("complaints")
                .where("next_alert_at", .lessThanOrEqual, Timestamp.milliseconds(now))
                .orderBy("next_alert_at").limit(limit).all()
                .map { ComplaintID(try $0.decode(column: "id", as: String.self)) }
        }
    }

    /// Moves a complaint's next alert without a new event (nothing was owed after all), unless it changed meanwhile.
    public func setNextAlert(_ instant: Date?, of record: ComplaintRecord) async throws {
        var changed = record
        changed.nextAlertAt = instant
        let updated = changed
        try await database.transaction { db in
            _ = try await Self.updateRow(updated, expectedVersion: record.complaint.version, on: db)
        }
    }

    // MARK: - Penalties

    /// Every penalty entry of a complaint, oldest first.
    public func penalties(of complaint: ComplaintID) async throws -> [PenaltyEntry] {
        try await database.read { db in
            try await db.select()
                .columns(
                    "complaint_id", "clock", "cycle_start", "department", "severity", "amount_minor", "at", "waived_at",
                    "waived_reason"
                )
                .from("penalties").where("complaint_id", .equal, complaint.rawValue).orderBy("at").all()
                .map(Self.decodePenalty)
        }
    }

    /// Penalties not waived, per department, between two instants.
    public func penaltyTotals(from start: Date, to end: Date) async throws -> [(
        department: DepartmentID?, count: Int, amount: Money
    )] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT department, COUNT(*) AS entries, CAST(SUM(amount_minor) AS BIGINT) AS total FROM penalties
                WHERE waived_at IS NULL AND at >= \(bind: Timestamp.milliseconds(start))
                    AND at < \(bind: Timestamp.milliseconds(end))
                GROUP BY department ORDER BY department
                """
            ).all().map { row in
                (
                    department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
                    count: Int(try row.decode(column: "entries", as: Int64.self)),
                    amount: Money(minorUnits: try row.decode(column: "total", as: Int64.self))
                )
            }
        }
    }

    static func decodePenalty(_ row: any SQLRow) throws -> PenaltyEntry {
        PenaltyEntry(
            complaintID: ComplaintID(try row.decode(column: "complaint_id", as: String.self)),
            clock: ClockKind(rawValue: try row.decode(column: "clock", as: String.self)) ?? .firstContact,
            cycleStart: Timestamp.date(try row.decode(column: "cycle_start", as: Int64.self)),
            department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .dissatisfied,
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self)),
            at: Timestamp.date(try row.decode(column: "at", as: Int64.self)),
            waivedAt: try row.decode(column: "waived_at", as: Int64?.self).map(Timestamp.date),
            waivedReason: try row.decode(column: "waived_reason", as: String?.self))
    }

    // MARK: - Outbox

    /// The outbox messages about a complaint, oldest first (for tests and the complaint page).
    public func outbox(of complaint: ComplaintID) async throws -> [OutboxMessage] {
        try await database.read { db in
            try await db.select()
                .columns(
                    "id", "created_at", "complaint_id", "topic", "channel", "recipient", "subject", "body", "status",
                    "attempts", "next_attempt_at", "last_error", "sent_at"
                )
                .from("outbox").where("complaint_id", .equal, complaint.rawValue).orderBy("created_at").orderBy("id")
                .all().map(Self.decodeOutbox)
        }
    }

    static func decodeOutbox(_ row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.decode(column: "id", as: String.self),
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            complaintID: try row.decode(column: "complaint_id", as: String?.self).map { ComplaintID($0) },
            topic: try row.decode(column: "topic", as: String.self),
            channel: try row.decode(column: "channel", as: String.self),
            recipient: try row.decode(column: "recipient", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            status: OutboxMessage.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: Timestamp.date(try row.decode(column: "next_attempt_at", as: Int64.self)),
            lastError: try row.decode(column: "last_error", as: String?.self),
            sentAt: try row.decode(column: "sent_at", as: Int64?.self).map(Timestamp.date))
    }
}
