import Foundation

/// A complaint's current state: the fold of its history. The store keeps a copy for querying; the history is the truth.
public struct Complaint: Hashable, Codable, Sendable {
    public var id: ComplaintID
    public var number: String
    public var receivedAt: Date
    public var intake: Intake
    /// The earlier complaint this one repeats (重复投诉); a repeat is at least a major complaint.
    public var repeatOf: String?
    public var state: ComplaintState
    public var resolution: Resolution?
    public var kind: ComplaintKind
    public var category: String?
    public var subcategory: String?
    public var priority: Priority
    public var severity: Severity
    public var department: DepartmentID?
    public var owner: UserID?
    public var handler: UserID?
    /// When the assigner wants the handler done (要求完成时间), within the resolution deadline.
    public var handlerDue: Date?
    /// An agent confirmed identity, contact, reference and description (信息完整性校验).
    public var completenessConfirmed: Bool
    public var analysis: EventChange.AnalysisSubmitted?
    /// The proposal on the table, if any.
    public var proposal: EventChange.SolutionProposed?
    public var workFinishedAt: Date?
    public var satisfaction: Int?
    /// The score the customer gave themselves (portal or API), as opposed to one staff recorded from a call: the
    /// portal shows the customer only their own.
    public var customerRating: Int?
    public var contactAttempts: Int
    public var firstContactAt: Date?
    public var pendingDelay: EventChange.DelayRequested?
    public var closedAt: Date?
    public var reopenCount: Int
    /// The mass incident's number (`Incident`) this complaint belongs to.
    public var incident: String?
    /// The complaint this one was merged into (并单), closed since.
    public var mergedInto: String?
    /// The same customer's complaints merged into this one, oldest first.
    public var mergedDuplicates: [String]?
    /// Staff the customer's words name, each with the supervisor's answer once given: `true` when they are the person
    /// complained about (recused), `false` when not, `nil` while unconfirmed.
    public var staffMentions: [StaffMention]
    public var hasCaseWriteUp: Bool
    /// The customer asked for no progress updates; what needs their answer still reaches them.
    public var progressUpdatesOptedOut = false
    /// The number of events in the history; the store's optimistic version.
    public var version: Int
    public var updatedAt: Date

    /// The complaint as it is right after intake.
    public init(id: ComplaintID, received: EventChange.Received, at receivedAt: Date) {
        let intake = received.intake
        self.id = id
        self.number = received.number
        self.receivedAt = receivedAt
        self.intake = intake
        self.repeatOf = received.repeatOf
        self.state = .received
        self.kind = intake.kind
        self.priority = intake.priority
        self.severity = Self.initialSeverity(of: intake, isRepeat: received.repeatOf != nil)
        self.completenessConfirmed = false
        self.staffMentions = received.mentionedStaff.map { StaffMention(user: $0, concerned: nil) }
        self.contactAttempts = 0
        self.reopenCount = 0
        self.hasCaseWriteUp = false
        self.version = 1
        self.updatedAt = receivedAt
    }

    /// The severity a complaint opens with: the agent's judgement, and at least major for a repeat (SPEC §3: repeat
    /// complaints are major complaints).
    public static func initialSeverity(of intake: Intake, isRepeat: Bool) -> Severity {
        isRepeat ? max(intake.severity, .major) : intake.severity
    }

    /// Rebuilds a complaint from its whole history; nil when the history does not start with its receipt.
    public init?(id: ComplaintID, history: [ComplaintEvent]) {
        guard let first = history.first, case .received(let received) = first.change else { return nil }
        var complaint = Complaint(id: id, received: received, at: first.at)
        for event in history.dropFirst() { complaint.apply(event) }
        self = complaint
    }

    /// Folds one event in. Events were validated by `Workflow` before they were written, so this never fails.
    public mutating func apply(_ event: ComplaintEvent) {
        version = event.sequence
        updatedAt = event.at
        if event.isExchangeWithCustomer && firstContactAt == nil { firstContactAt = event.at }
        switch event.change {
        case .received:
            break
        case .completenessChecked(let check):
            completenessConfirmed = check.complete
            if !check.complete { state = .awaitingInformation }
        case .informationProvided(let note):
            state = .received
            intake.attachments += note.attachments
        case .validityDecided(let decision):
            if decision.valid {
                state = .validated
            } else {
                close(as: .invalid, at: event.at)
            }
        case .requestAnswered:
            close(as: .answered, at: event.at)
        case .assigned(let assignment):
            category = assignment.category
            subcategory = assignment.subcategory
            kind = assignment.kind
            priority = assignment.priority
            severity = assignment.severity
            department = assignment.department
            owner = assignment.owner
            handler = assignment.handler
            handlerDue = assignment.handlerDue
            state = .investigating
        case .reassigned(let change):
            if let newDepartment = change.department {
                department = newDepartment
                handler = nil
            }
            if let newOwner = change.owner { owner = newOwner }
            if let newHandler = change.handler { handler = newHandler }
        case .reclassified(let change):
            if let value = change.category {
                category = value
                subcategory = change.subcategory
            }
            if let value = change.priority { priority = value }
            if let value = change.severity { severity = value }
        case .customerContacted:
            contactAttempts += 1
        case .analysisSubmitted(let report):
            analysis = report
        case .solutionProposed(let proposed):
            proposal = proposed
            state = proposed.requiredApprover == nil ? .proposed : .awaitingApproval
        case .approvalDecided(let decision):
            state = decision.approved ? .proposed : .investigating
        case .customerResponded(let decision):
            state = decision.approved ? .executing : .investigating
            workFinishedAt = nil
        case .progressRecorded(let progress):
            if progress.workFinished && workFinishedAt == nil { workFinishedAt = event.at }
        case .resultReturned:
            state = .verifying
        case .verified(let verification):
            satisfaction = verification.score ?? satisfaction
            if event.actor.kind == .customer, let score = verification.score { customerRating = score }
            state = verification.solved && verification.satisfied ? .returnVisit : .investigating
        case .returnVisitRecorded:
            state = .awaitingCountersign
        case .closed:
            close(as: .resolved, at: event.at)
        case .reopened:
            state = department == nil ? .received : .investigating
            resolution = nil
            closedAt = nil
            reopenCount += 1
            // The old target passed with the old resolution clock; a new one comes with the next assignment.
            handlerDue = nil
            severity = max(severity, .major)
            workFinishedAt = nil
        case .delayRequested(let request):
            pendingDelay = request
        case .delayDecided:
            pendingDelay = nil
        case .updatePreferenceSet(let preference):
            progressUpdatesOptedOut = preference.optedOut
        case .noteAdded, .clockAlerted, .messageReceived, .customerUpdated:
            break
        case .incidentLinked(let link):
            incident = link.incident
            // A group complaint is a major complaint (SPEC §3).
            severity = max(severity, Incident.leastSeverity)
        case .merged(let merge):
            mergedInto = merge.into
            // Counted once, as a repeat of the complaint that carries on.
            repeatOf = repeatOf ?? merge.into
            close(as: .merged, at: event.at)
        case .duplicateMerged(let duplicate):
            mergedDuplicates = (mergedDuplicates ?? []) + [duplicate.number]
            intake.attachments += duplicate.attachments
            // The customer complained again about the same issue: a repeat, so at least major (SPEC §3).
            severity = max(severity, .major)
        case .mentionConfirmed(let answer):
            if let index = staffMentions.firstIndex(where: { $0.user == answer.user }) {
                staffMentions[index].concerned = answer.concerned
            }
        case .caseWritten:
            hasCaseWriteUp = true
        case .archived:
            state = .archived
        }
    }

    private mutating func close(as resolution: Resolution, at instant: Date) {
        state = .closed
        self.resolution = resolution
        closedAt = instant
        pendingDelay = nil
    }

    /// Whether `user` is the employee complained about, chosen at intake or confirmed from a mention, and so recused
    /// (回避).
    public func isRecused(_ user: UserID) -> Bool {
        intake.complainedAboutUser == user || staffMentions.contains { $0.user == user && $0.concerned == true }
    }

    /// Staff the customer's words name whom no supervisor has yet confirmed or cleared; none of them may be assigned.
    public var unconfirmedMentions: [UserID] { staffMentions.filter { $0.concerned == nil }.map(\.user) }
}

/// A staff member named in the customer's words, and whether a supervisor confirmed them as the person complained
/// about.
public struct StaffMention: Hashable, Codable, Sendable {
    public var user: UserID
    public var concerned: Bool?

    public init(user: UserID, concerned: Bool?) {
        self.user = user
        self.concerned = concerned
    }
}
