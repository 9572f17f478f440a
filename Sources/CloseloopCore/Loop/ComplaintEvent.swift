import Foundation

/// One thing that happened to a complaint. The history is the ordered list of these; it is only ever appended to.
public struct ComplaintEvent: Hashable, Codable, Sendable {
    /// 1-based position in the complaint's history.
    public var sequence: Int
    public var at: Date
    public var actor: ActorReference
    public var change: EventChange

    public init(sequence: Int, at: Date, actor: ActorReference, change: EventChange) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.change = change
    }
}

/// What an event changed, with the facts needed to replay it.
public enum EventChange: Hashable, Sendable {
    case received(Received)
    case completenessChecked(CompletenessChecked)
    case informationProvided(Note)
    case validityDecided(ValidityDecided)
    case requestAnswered(Note)
    case assigned(Assigned)
    case reassigned(Reassigned)
    case reclassified(Reclassified)
    case customerContacted(CustomerContacted)
    case analysisSubmitted(AnalysisSubmitted)
    case solutionProposed(SolutionProposed)
    case approvalDecided(Decision)
    case customerResponded(Decision)
    case progressRecorded(ProgressRecorded)
    case resultReturned(Note)
    case verified(Verified)
    case returnVisitRecorded(Note)
    case closed(Note)
    case reopened(Note)
    case delayRequested(DelayRequested)
    case delayDecided(Decision)
    case noteAdded(NoteAdded)
    case incidentLinked(IncidentLinked)
    /// This complaint was merged into the same customer's complaint about the same issue (并单) and closed.
    case merged(Merged)
    /// The same customer's duplicate was merged into this complaint, which takes its attachments.
    case duplicateMerged(DuplicateMerged)
    case mentionConfirmed(MentionConfirmed)
    case caseWritten(CaseWritten)
    case archived(Note)
    /// The customer wrote to us on their own channel outside a step of the loop.
    case messageReceived(MessageReceived)
    /// A message to the customer was delivered on their channel.
    case customerUpdated(CustomerUpdated)
    /// Whether the customer wants the progress updates of the cadence.
    case updatePreferenceSet(UpdatePreference)
    /// A clock's warning or breach, recorded by the deadline watcher.
    case clockAlerted(ClockAlert)

    // MARK: Payloads

    public struct Received: Hashable, Codable, Sendable {
        public var number: String
        public var intake: Intake
        /// The number of the same customer's earlier complaint about the same issue, when this one repeats it.
        public var repeatOf: String?
        /// Staff whose name the customer's words contain (`StaffMentions`), other than the person chosen as complained
        /// about: each may be that person, so a supervisor confirms before they can be assigned.
        public var mentionedStaff: [UserID]

        public init(number: String, intake: Intake, repeatOf: String? = nil, mentionedStaff: [UserID] = []) {
            self.number = number
            self.intake = intake
            self.repeatOf = repeatOf
            self.mentionedStaff = mentionedStaff
        }

        private enum CodingKeys: String, CodingKey { case number, intake, repeatOf, mentionedStaff }

        // Histories written before mentions were recorded have none.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            number = try container.decode(String.self, forKey: .number)
            intake = try container.decode(Intake.self, forKey: .intake)
            repeatOf = try container.decodeIfPresent(String.self, forKey: .repeatOf)
            mentionedStaff = try container.decodeIfPresent([UserID].self, forKey: .mentionedStaff) ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(number, forKey: .number)
            try container.encode(intake, forKey: .intake)
            try container.encodeIfPresent(repeatOf, forKey: .repeatOf)
            if !mentionedStaff.isEmpty { try container.encode(mentionedStaff, forKey: .mentionedStaff) }
        }
    }

    /// A supervisor's answer to a mention: whether the staff member named in the customer's words is the person
    /// complained about (and so recused from here on) or someone else.
    public struct MentionConfirmed: Hashable, Codable, Sendable {
        public var user: UserID
        public var concerned: Bool
        public var note: String
        public init(user: UserID, concerned: Bool, note: String) {
            self.user = user
            self.concerned = concerned
            self.note = note
        }
    }

    /// A free-text note, used by events whose only fact is what someone wrote.
    public struct Note: Hashable, Codable, Sendable {
        public var text: String
        public var attachments: [AttachmentReference]
        public init(text: String, attachments: [AttachmentReference] = []) {
            self.text = text
            self.attachments = attachments
        }
    }

    public struct CompletenessChecked: Hashable, Codable, Sendable {
        public var complete: Bool
        /// What the customer was asked to supply when incomplete.
        public var missing: [String]
        public var note: String
    }

    public struct ValidityDecided: Hashable, Codable, Sendable {
        public var valid: Bool
        public var reason: String
    }

    public struct Assigned: Hashable, Codable, Sendable {
        public var category: String
        public var subcategory: String?
        public var kind: ComplaintKind
        public var priority: Priority
        public var severity: Severity
        public var department: DepartmentID
        public var owner: UserID
        public var handler: UserID?
        /// When the assigner wants the handler done; absent from assignments made before it could be set.
        public var handlerDue: Date? = nil
    }

    public struct Reassigned: Hashable, Codable, Sendable {
        public var department: DepartmentID?
        public var owner: UserID?
        public var handler: UserID?
        public var reason: String
    }

    public struct Reclassified: Hashable, Codable, Sendable {
        public var category: String?
        public var subcategory: String?
        public var priority: Priority?
        public var severity: Severity?
        public var reason: String
    }

    public struct CustomerContacted: Hashable, Codable, Sendable {
        public var outcome: ContactOutcome
        public var note: String
    }

    public struct AnalysisSubmitted: Hashable, Codable, Sendable {
        public var problemType: String
        public var rootCause: RootCause
        public var technical: Bool
        public var findings: String
        public var suggestedSolution: String

        public init(
            problemType: String, rootCause: RootCause, technical: Bool, findings: String, suggestedSolution: String
        ) {
            self.problemType = problemType
            self.rootCause = rootCause
            self.technical = technical
            self.findings = findings
            self.suggestedSolution = suggestedSolution
        }
    }

    public struct SolutionProposed: Hashable, Codable, Sendable {
        public var types: [SolutionType]
        public var description: String
        public var compensation: Money?
        /// The chain role that must approve, when the amount is beyond the proposer's authority.
        public var requiredApprover: Role?
    }

    /// A yes/no decision with the decider's words: approvals, customer answers, delay decisions.
    public struct Decision: Hashable, Codable, Sendable {
        public var approved: Bool
        public var comment: String
        public init(approved: Bool, comment: String) {
            self.approved = approved
            self.comment = comment
        }
    }

    public struct ProgressRecorded: Hashable, Codable, Sendable {
        public var note: String
        /// The department says the work itself is done; its result is due to the owner.
        public var workFinished: Bool
        public var evidence: [AttachmentReference]
    }

    public struct Verified: Hashable, Codable, Sendable {
        public var solved: Bool
        public var satisfied: Bool
        /// Satisfaction 1–5.
        public var score: Int?
        public var note: String
    }

    public struct DelayRequested: Hashable, Codable, Sendable {
        public var reason: String
        public var until: Date
    }

    public struct NoteAdded: Hashable, Codable, Sendable {
        public var text: String
        /// Internal notes are hidden from the customer and from recused staff.
        public var isInternal: Bool
    }

    /// What the customer wrote, where, and the channel's own id for it (a mail's Message-ID), so a message delivered
    /// twice is recognised.
    public struct MessageReceived: Hashable, Codable, Sendable {
        public var channel: Channel
        public var subject: String?
        public var text: String
        public var attachments: [AttachmentReference]
        public var externalID: String?

        public init(
            channel: Channel, subject: String? = nil, text: String, attachments: [AttachmentReference] = [],
            externalID: String? = nil
        ) {
            self.channel = channel
            self.subject = subject
            self.text = text
            self.attachments = attachments
            self.externalID = externalID
        }
    }

    /// Which message reached the customer, on which channel: a progress update, a proposal, a result…
    public struct CustomerUpdated: Hashable, Codable, Sendable {
        /// The outbox topic: `customer.progress_update`, `customer.proposal`…
        public var topic: String
        public var channel: String
        public var messageID: String

        public init(topic: String, channel: String, messageID: String) {
            self.topic = topic
            self.channel = channel
            self.messageID = messageID
        }
    }

    public struct UpdatePreference: Hashable, Codable, Sendable {
        public var optedOut: Bool
        public init(optedOut: Bool) { self.optedOut = optedOut }
    }

    public struct IncidentLinked: Hashable, Codable, Sendable {
        public var incident: String
    }

    public struct Merged: Hashable, Codable, Sendable {
        /// The surviving complaint's number.
        public var into: String
        public var reason: String
    }

    public struct DuplicateMerged: Hashable, Codable, Sendable {
        /// The merged complaint's number.
        public var number: String
        public var attachments: [AttachmentReference]
    }

    public struct CaseWritten: Hashable, Codable, Sendable {
        public var cause: String
        public var handling: String
        public var lesson: String
        public var prevention: String
        /// The case's title in the library; the complaint's subject when none is given.
        public var title: String?
        public var tags: [String]

        public init(
            cause: String, handling: String, lesson: String, prevention: String, title: String? = nil,
            tags: [String] = []
        ) {
            self.cause = cause
            self.handling = handling
            self.lesson = lesson
            self.prevention = prevention
            self.title = title
            self.tags = tags
        }

        private enum CodingKeys: String, CodingKey { case cause, handling, lesson, prevention, title, tags }

        // Write-ups recorded before the library had titles and tags have neither.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cause = try container.decode(String.self, forKey: .cause)
            handling = try container.decode(String.self, forKey: .handling)
            lesson = try container.decode(String.self, forKey: .lesson)
            prevention = try container.decode(String.self, forKey: .prevention)
            title = try container.decodeIfPresent(String.self, forKey: .title)
            tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cause, forKey: .cause)
            try container.encode(handling, forKey: .handling)
            try container.encode(lesson, forKey: .lesson)
            try container.encode(prevention, forKey: .prevention)
            try container.encodeIfPresent(title, forKey: .title)
            if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
        }
    }
}
