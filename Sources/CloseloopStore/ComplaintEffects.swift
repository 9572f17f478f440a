import CloseloopCore
import Foundation

/// What else a change to a complaint writes, in the same transaction as its events: penalty entries, the waiver
/// of earlier ones, notifications, a new complaint's suggested classification.
public struct ComplaintEffects: Sendable {
    public var penalties: [PenaltyEntry] = []
    /// Waives the complaint's penalties not yet waived (an approved delay request).
    public var waivePenalties: (reason: String, at: Date)?
    public var outbox: [OutboxMessage] = []
    /// The case-library draft a write-up opens, written with its history event.
    public var caseDraft: CaseStudy?
    /// The classification suggested for a new complaint, written with its receipt.
    public var suggestion: RecordedSuggestion?

    public init(
        penalties: [PenaltyEntry] = [], waivePenalties: (reason: String, at: Date)? = nil,
        outbox: [OutboxMessage] = [], caseDraft: CaseStudy? = nil, suggestion: RecordedSuggestion? = nil
    ) {
        self.penalties = penalties
        self.waivePenalties = waivePenalties
        self.outbox = outbox
        self.caseDraft = caseDraft
        self.suggestion = suggestion
    }

    public static let none = ComplaintEffects()
}

/// A penalty against the responsible department for one late clock cycle (SPEC §3's table); once per cycle.
public struct PenaltyEntry: Hashable, Sendable {
    public var complaintID: ComplaintID
    public var clock: ClockKind
    public var cycleStart: Date
    public var department: DepartmentID?
    public var severity: Severity
    public var amount: Money
    public var at: Date
    public var waivedAt: Date?
    public var waivedReason: String?

    public init(
        complaintID: ComplaintID, clock: ClockKind, cycleStart: Date, department: DepartmentID?, severity: Severity,
        amount: Money, at: Date, waivedAt: Date? = nil, waivedReason: String? = nil
    ) {
        self.complaintID = complaintID
        self.clock = clock
        self.cycleStart = cycleStart
        self.department = department
        self.severity = severity
        self.amount = amount
        self.at = at
        self.waivedAt = waivedAt
        self.waivedReason = waivedReason
    }

    /// `penalty` booked against `complaint` at `instant`.
    public init(_ penalty: Penalty, of complaint: ComplaintID, at instant: Date) {
        self.init(
            complaintID: complaint, clock: penalty.clock, cycleStart: penalty.cycleStart,
            department: penalty.department, severity: penalty.severity, amount: penalty.amount, at: instant)
    }
}

/// One notification to one address on one channel, waiting in the outbox until the dispatcher delivers it.
public struct OutboxMessage: Hashable, Sendable {
    public enum Status: String, Sendable { case pending, sent, failed }

    public var id: String
    public var createdAt: Date
    public var complaintID: ComplaintID?
    /// What it is about: `alert.warning`, `alert.breach`, `reminder.customer_update`, `report.management`…
    public var topic: String
    /// `email`, `dingtalk`, `wecom`, `feishu`, `slack`, `webhook`, `sms`.
    public var channel: String
    /// The address on that channel: an email address, a webhook URL, a phone number.
    public var recipient: String
    public var subject: String
    public var body: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var sentAt: Date?
    /// Files sent with an email (a scheduled report's workbook), kept beside the message until it is sent. Read by
    /// the dispatcher only (`SQLStore.outboxAttachments`); empty on the lists.
    public var attachments: [OutboxAttachment] = []

    public init(
        id: String = UUID().uuidString.lowercased(), createdAt: Date, complaintID: ComplaintID?, topic: String,
        channel: String, recipient: String, subject: String, body: String, status: Status = .pending,
        attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil, sentAt: Date? = nil
    ) {
        self.id = id
        self.createdAt = createdAt
        self.complaintID = complaintID
        self.topic = topic
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.lastError = lastError
        self.sentAt = sentAt
    }
}

/// A file sent with an outbox email.
public struct OutboxAttachment: Hashable, Sendable {
    /// The name the reader sees, ASCII so every mail client shows it as written.
    public var fileName: String
    public var contentType: String
    public var data: Data

    public init(fileName: String, contentType: String, data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}
