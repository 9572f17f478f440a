import CloseloopCore
import Foundation
import SQLKit

/// One message a customer channel delivered, as recorded before it was acted on, and what became of it.
public struct InboundMessage: Hashable, Sendable {
    public enum Status: String, CaseIterable, Sendable {
        /// Recorded, not yet handled (or handling was cut short; the next pass takes it up again).
        case pending
        /// Opened a new complaint.
        case created
        /// Added to an existing complaint as the customer's message or information.
        case appended
        /// Machines' mail (an auto-reply, a bounce, a list): kept, never answered, never a complaint.
        case ignored
        /// Could not be read or could not become a complaint; kept with the reason until someone retries it.
        case quarantined
    }

    public var id: String
    /// `email`, `webhook`, `wechat`.
    public var channel: String
    /// Where it came from: a mailbox, `pipe`, a webhook source's name.
    public var source: String
    /// The channel's own id of the message (a mail's Message-ID), or the digest of its bytes when it has none.
    public var externalID: String
    public var receivedAt: Date
    public var rawSHA256: String
    public var rawSize: Int
    public var sender: String?
    public var subject: String?
    public var status: Status
    public var reason: String?
    public var complaintID: ComplaintID?
    /// The complaint's number, as the lists read it beside the message.
    public var complaintNumber: String?
    public var attempts: Int
    public var updatedAt: Date

    public init(
        id: String, channel: String, source: String, externalID: String, receivedAt: Date, rawSHA256: String,
        rawSize: Int, sender: String? = nil, subject: String? = nil, status: Status = .pending, reason: String? = nil,
        complaintID: ComplaintID? = nil, complaintNumber: String? = nil, attempts: Int = 0, updatedAt: Date? = nil
    ) {
        self.id = id
        self.channel = channel
        self.source = source
        self.externalID = externalID
        self.receivedAt = receivedAt
        self.rawSHA256 = rawSHA256
        self.rawSize = rawSize
        self.sender = sender
        self.subject = subject
        self.status = status
        self.reason = reason
        self.complaintID = complaintID
        self.complaintNumber = complaintNumber
        self.attempts = attempts
        self.updatedAt = updatedAt ?? receivedAt
    }
}

extension SQLStore {
    private static let inboundColumns = """
        m.id, m.channel, m.source, m.external_id, m.received_at, m.raw_sha256, m.raw_size, m.sender, m.subject,
        m.status, m.reason, m.complaint_id, m.attempts, m.updated_at, c.number AS complaint_number
        """
    private static let inboundFrom = "inbound_messages m LEFT JOIN complaints c ON c.id = m.complaint_id"

    /// Records a delivered message, or returns the one already recorded under the same channel and external id
    /// (`isNew` false): a mailbox read twice or a webhook retried is handled once.
    public func recordInbound(_ message: InboundMessage) async throws -> (message: InboundMessage, isNew: Bool) {
        try await database.transaction { db in
            if let earlier = try await Self.inbound(channel: message.channel, externalID: message.externalID, on: db) {
                return (earlier, false)
            }
            try await db.insert(into: "inbound_messages")
                .columns(
                    "id", "channel", "source", "external_id", "received_at", "raw_sha256", "raw_size", "sender",
                    "subject", "status", "reason", "complaint_id", "attempts", "updated_at"
                )
                .values(
                    SQLBind(message.id), SQLBind(message.channel), SQLBind(message.source),
                    SQLBind(message.externalID), SQLBind(Timestamp.milliseconds(message.receivedAt)),
                    SQLBind(message.rawSHA256), SQLBind(message.rawSize), SQLBind(message.sender),
                    SQLBind(message.subject), SQLBind(message.status.rawValue), SQLBind(message.reason),
                    SQLBind(message.complaintID?.rawValue), SQLBind(message.attempts),
                    SQLBind(Timestamp.milliseconds(message.updatedAt))
                )
                .run()
            return (message, true)
        }
    }

    /// Records what became of a message: its status, the reason when ignored or quarantined, its complaint.
    public func finishInbound(
        _ id: String, status: InboundMessage.Status, reason: String?, complaint: ComplaintID?, sender: String?,
        subject: String?, at instant: Date
    ) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE inbound_messages SET status = \(bind: status.rawValue),
                    reason = \(bind: reason.map { String($0.prefix(1000)) }),
                    complaint_id = \(bind: complaint?.rawValue), attempts = attempts + 1,
                    sender = COALESCE(\(bind: sender.map { String($0.prefix(320)) }), sender),
                    subject = COALESCE(\(bind: subject.map { String($0.prefix(500)) }), subject),
                    updated_at = \(bind: Timestamp.milliseconds(instant))
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func inboundMessage(id: String) async throws -> InboundMessage? {
        try await database.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.inboundColumns) FROM \(unsafeRaw: Self.inboundFrom) WHERE m.id = \(bind: id)"
            )
            .first().map(Self.decodeInbound)
        }
    }

    /// Messages newest first, optionally only those of one status and one channel.
    public func inboundMessages(
        status: InboundMessage.Status? = nil, channel: String? = nil, limit: Int = 100
    ) async throws -> [InboundMessage] {
        try await database.read { db in
            var filters: [SQLQueryString] = []
            if let status { filters.append("m.status = \(bind: status.rawValue)") }
            if let channel { filters.append("m.channel = \(bind: channel)") }
            let clause = filters.isEmpty ? SQLQueryString("") : "WHERE " + filters.joined(separator: " AND ")
            return try await db.raw(
                """
                SELECT \(unsafeRaw: Self.inboundColumns) FROM \(unsafeRaw: Self.inboundFrom) \(clause)
                ORDER BY m.received_at DESC, m.id DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.decodeInbound)
        }
    }

    /// Messages of `channel` still pending that were recorded before `instant`: handling was cut short (a crash, a
    /// lost connection) and is taken up again.
    public func stalledInbound(channel: String, before instant: Date, limit: Int) async throws -> [InboundMessage] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.inboundColumns) FROM \(unsafeRaw: Self.inboundFrom)
                WHERE m.channel = \(bind: channel) AND m.status = 'pending'
                    AND m.updated_at < \(bind: Timestamp.milliseconds(instant))
                ORDER BY m.received_at LIMIT \(bind: limit)
                """
            ).all().map(Self.decodeInbound)
        }
    }

    /// The latest complaint a sender's messages on `channel` created or were added to, with its message: a chat
    /// continues the complaint it began.
    public func latestComplaint(channel: String, sender: String) async throws -> ComplaintID? {
        try await database.read { db in
            try await db.raw(
                """
                SELECT complaint_id FROM inbound_messages
                WHERE channel = \(bind: channel) AND sender = \(bind: sender) AND complaint_id IS NOT NULL
                ORDER BY received_at DESC LIMIT 1
                """
            ).first()?.decode(column: "complaint_id", as: String?.self).map { ComplaintID($0) }
        }
    }

    /// How many messages of `channel` are in each status.
    public func inboundCounts(channel: String) async throws -> [InboundMessage.Status: Int] {
        try await database.read { db in
            var counts: [InboundMessage.Status: Int] = [:]
            let rows = try await db.raw(
                "SELECT status, COUNT(*) AS n FROM inbound_messages WHERE channel = \(bind: channel) GROUP BY status"
            ).all()
            for row in rows {
                if let status = InboundMessage.Status(rawValue: try row.decode(column: "status", as: String.self)) {
                    counts[status] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }

    /// The complaint an outbox message was about, by the message's id (the left part of the Message-ID every mail
    /// we send carries), so a customer's reply finds its complaint.
    public func complaintOfOutbox(_ id: String) async throws -> ComplaintID? {
        try await database.read { db in
            try await db.select().column("complaint_id").from("outbox").where("id", .equal, id).first()?
                .decode(column: "complaint_id", as: String?.self).map { ComplaintID($0) }
        }
    }

    private static func inbound(channel: String, externalID: String, on db: any SQLDatabase) async throws
        -> InboundMessage?
    {
        try await db.raw(
            """
            SELECT \(unsafeRaw: inboundColumns) FROM \(unsafeRaw: inboundFrom)
            WHERE m.channel = \(bind: channel) AND m.external_id = \(bind: externalID)
            """
        ).first().map(decodeInbound)
    }

    private static func decodeInbound(_ row: any SQLRow) throws -> InboundMessage {
        InboundMessage(
            id: try row.decode(column: "id", as: String.self),
            channel: try row.decode(column: "channel", as: String.self),
            source: try row.decode(column: "source", as: String.self),
            externalID: try row.decode(column: "external_id", as: String.self),
            receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
            rawSHA256: try row.decode(column: "raw_sha256", as: String.self),
            rawSize: try row.decode(column: "raw_size", as: Int.self),
            sender: try row.decode(column: "sender", as: String?.self),
            subject: try row.decode(column: "subject", as: String?.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            reason: try row.decode(column: "reason", as: String?.self),
            complaintID: try row.decode(column: "complaint_id", as: String?.self).map { ComplaintID($0) },
            complaintNumber: try row.decode(column: "complaint_number", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: Int64.self)))
    }

    private typealias Status = InboundMessage.Status
}
