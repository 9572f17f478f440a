import CloseloopCore
import Foundation
import SQLKit

/// What a list shows of one complaint, read from the complaint row's own columns: a queue or a search answers from
/// them without decoding the stored document, computing clocks or asking which actions are open (the single
/// complaint does that).
public struct ComplaintSummary: Hashable, Sendable {
    /// The running clock due first.
    public struct Deadline: Hashable, Sendable {
        public var clock: ClockKind
        public var dueAt: Date

        public init(clock: ClockKind, dueAt: Date) {
            self.clock = clock
            self.dueAt = dueAt
        }
    }

    public var id: ComplaintID
    public var number: String
    public var subject: String
    public var customerName: String
    /// The customer's phone as the store matches it (digits, `PhoneKey`); lists show it masked.
    public var customerPhone: String?
    /// Lowercased, as the store matches it.
    public var customerEmail: String?
    /// The order reference as the customer gave it.
    public var reference: String?
    public var state: ComplaintState
    public var kind: ComplaintKind
    public var channel: Channel
    public var priority: Priority
    public var severity: Severity
    public var category: String?
    public var department: DepartmentID?
    public var owner: UserID?
    public var handler: UserID?
    public var receivedAt: Date
    public var updatedAt: Date
    public var version: Int
    public var nextDeadline: Deadline?

    public init(
        id: ComplaintID, number: String, subject: String, customerName: String, customerPhone: String?,
        customerEmail: String?, reference: String?, state: ComplaintState, kind: ComplaintKind, channel: Channel,
        priority: Priority, severity: Severity,
        category: String?, department: DepartmentID?, owner: UserID?, handler: UserID?, receivedAt: Date,
        updatedAt: Date, version: Int, nextDeadline: Deadline?
    ) {
        self.id = id
        self.number = number
        self.subject = subject
        self.customerName = customerName
        self.customerPhone = customerPhone
        self.customerEmail = customerEmail
        self.reference = reference
        self.state = state
        self.kind = kind
        self.channel = channel
        self.priority = priority
        self.severity = severity
        self.category = category
        self.department = department
        self.owner = owner
        self.handler = handler
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.version = version
        self.nextDeadline = nextDeadline
    }

    /// The summary of a complaint already read whole (a list of decisions, which needs the whole of each).
    public init(_ record: ComplaintRecord) {
        let complaint = record.complaint
        let due = ClockSchedule.nearest(record.clocks)
        self.init(
            id: complaint.id, number: complaint.number, subject: complaint.intake.subject,
            customerName: complaint.intake.customer.name,
            customerPhone: complaint.intake.customer.phone.map(PhoneKey.normalized),
            customerEmail: complaint.intake.customer.email?.lowercased(),
            reference: LookupKey.referenceAsGiven(complaint.intake.reference), state: complaint.state,
            kind: complaint.kind, channel: complaint.intake.channel, priority: complaint.priority,
            severity: complaint.severity, category: complaint.category, department: complaint.department,
            owner: complaint.owner, handler: complaint.handler, receivedAt: complaint.receivedAt,
            updatedAt: complaint.updatedAt, version: complaint.version,
            nextDeadline: due.flatMap { status in status.dueAt.map { Deadline(clock: status.clock, dueAt: $0) } })
    }

    /// What a summary is read from (the list adds its id and sort keys): the row's columns, and the name of the clock
    /// whose due-at column holds the nearest deadline, as `ComplaintRecord.nextDueAt` chose it when the row was
    /// written (named by the database, so the ten due-at columns need not travel).
    static let columns: [any SQLExpression] =
        [
            "number", "subject", "customer_name", "customer_phone", "customer_email", "reference", "state", "kind",
            "channel", "priority", "severity",
            "category", "department", "owner", "handler", "updated_at", "version",
        ].map { SQLColumn($0) } + [
            SQLAlias(
                SQLRaw(
                    "CASE "
                        + ClockKind.allCases.map { "WHEN next_due_at = \(DueColumn.name($0)) THEN '\($0.rawValue)' " }
                        .joined() + "END"),
                as: SQLIdentifier("next_due_clock"))
        ]

    /// A row holding `columns`, the id, `received_at` and `next_due_at`.
    init(row: any SQLRow) throws {
        func value<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
            let raw = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: raw) else {
                throw StoreError.corruptRecord("complaints.\(column) holds \(raw)")
            }
            return value
        }
        var deadline: Deadline?
        if let due = try row.decode(column: "next_due_at", as: Int64?.self),
            let clock = try row.decode(column: "next_due_clock", as: String?.self).flatMap(ClockKind.init(rawValue:))
        {
            deadline = Deadline(clock: clock, dueAt: Timestamp.date(due))
        }
        self.init(
            id: ComplaintID(try row.decode(column: "id", as: String.self)),
            number: try row.decode(column: "number", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            customerName: try row.decode(column: "customer_name", as: String.self),
            customerPhone: try row.decode(column: "customer_phone", as: String?.self),
            customerEmail: try row.decode(column: "customer_email", as: String?.self),
            reference: try row.decode(column: "reference", as: String?.self),
            state: try value("state", as: ComplaintState.self), kind: try value("kind", as: ComplaintKind.self),
            channel: try value("channel", as: Channel.self), priority: try value("priority", as: Priority.self),
            severity: try value("severity", as: Severity.self),
            category: try row.decode(column: "category", as: String?.self),
            department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
            owner: try row.decode(column: "owner", as: String?.self).map { UserID($0) },
            handler: try row.decode(column: "handler", as: String?.self).map { UserID($0) },
            receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: Int64.self)),
            version: try row.decode(column: "version", as: Int.self), nextDeadline: deadline)
    }
}

/// One page of a list of summaries, with the cursor of the next.
public struct SummaryPage: Sendable {
    public var summaries: [ComplaintSummary]
    public var nextCursor: String?
}
