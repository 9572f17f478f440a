import Foundation

/// The loop of SPEC §4 as a function: (complaint, action, actor, instant) → the events that happen, or a typed error.
public struct Workflow: Sendable {
    public var policy: ServicePolicy

    public init(policy: ServicePolicy) { self.policy = policy }

    /// Validates an intake and returns the complaint it opens with its first event. `repeatOf` names the same
    /// customer's earlier complaint about the same issue; the caller has checked it belongs to that customer.
    public func receive(
        _ intake: Intake, id: ComplaintID, number: String, repeatOf: String? = nil, mentionedStaff: [UserID] = [],
        at instant: Date, by actor: Actor
    ) throws(DomainError) -> (Complaint, ComplaintEvent) {
        let issues = intake.problems()
        guard issues.isEmpty else { throw .validation(issues) }
        var trimmed = intake
        trimmed.subject = intake.subject.trimmingWhitespace
        trimmed.customer.name = intake.customer.name.trimmingWhitespace
        trimmed.customer.phone = intake.customer.phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        trimmed.customer.email = intake.customer.email?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        trimmed.complainedAboutText = intake.complainedAboutText?.trimmingWhitespace.nilIfEmpty
        var mentions: [UserID] = []
        for user in mentionedStaff where user != intake.complainedAboutUser && !mentions.contains(user) {
            mentions.append(user)
        }
        let received = EventChange.Received(
            number: number, intake: trimmed, repeatOf: repeatOf, mentionedStaff: mentions)
        let event = ComplaintEvent(sequence: 1, at: instant, actor: actor.reference, change: .received(received))
        return (Complaint(id: id, received: received, at: instant), event)
    }

    /// Checks that `actor` may do `action` now and returns the events it produces, numbered after the complaint's
    /// history. The complaint itself is not changed; fold the events in with `Complaint.apply`. A merge changes two
    /// complaints: this gives only the merged one's side, and `merge(_:into:…)` both, which is what a store writes.
    public func apply(
        _ action: ComplaintAction, to complaint: Complaint, by actor: Actor, at now: Date
    ) throws(DomainError) -> [ComplaintEvent] {
        try checkReady(action.name, on: complaint, by: actor)
        let changes = try changes(for: action, complaint: complaint, actor: actor, now: now)
        return changes.enumerated().map { offset, change in
            ComplaintEvent(sequence: complaint.version + 1 + offset, at: now, actor: actor.reference, change: change)
        }
    }

    /// The actions `actor` could take on `complaint` right now (state, permission and prerequisites; inputs aside).
    public func availableActions(on complaint: Complaint, for actor: Actor) -> [ActionName] {
        ActionName.allCases.filter { (try? checkReady($0, on: complaint, by: actor)) != nil }
    }

    /// Everything about an action that does not depend on its inputs: who may do it, whether the state allows it,
    /// and what must have happened first. `apply` and `availableActions` share it, so a form is never offered for an
    /// action that would then be refused.
    private func checkReady(_ name: ActionName, on complaint: Complaint, by actor: Actor) throws(DomainError) {
        try ActionPermission.authorize(name, by: actor, on: complaint)
        guard name.isAvailable(in: complaint.state) else { throw .wrongState(action: name, state: complaint.state) }
        switch name {
        case .answerRequest where !complaint.kind.isRequest:
            throw .wrongState(action: name, state: complaint.state)
        case .decideValidity where !complaint.completenessConfirmed:
            throw .missingPrerequisite(action: name, prerequisite: ActionName.checkCompleteness.rawValue)
        case .proposeSolution where complaint.analysis == nil:
            throw .missingPrerequisite(action: name, prerequisite: ActionName.submitAnalysis.rawValue)
        // The execution step is not skipped: a result is returned only once progress recorded the work finished.
        case .returnResult where complaint.workFinishedAt == nil:
            throw .missingPrerequisite(action: name, prerequisite: ActionName.recordProgress.rawValue)
        // A merged complaint lives on in the one it was merged into; that one is reopened instead.
        case .reopen where complaint.mergedInto != nil, .writeCase where complaint.mergedInto != nil:
            throw .wrongState(action: name, state: complaint.state)
        case .requestDelay where complaint.pendingDelay != nil:
            throw .wrongState(action: name, state: complaint.state)
        case .decideDelay where complaint.pendingDelay == nil:
            throw .noPendingDelay
        case .confirmMention where complaint.unconfirmedMentions.isEmpty:
            throw .wrongState(action: name, state: complaint.state)
        // One case per complaint: once written, the draft is edited in the case library.
        case .writeCase where complaint.hasCaseWriteUp:
            throw .wrongState(action: name, state: complaint.state)
        case .decideApproval:
            guard case .staff(let member) = actor, let required = complaint.proposal?.requiredApprover else {
                throw .notAllowed(action: name)
            }
            guard policy.authority.mayApprove(member, required: required, in: complaint.department) else {
                throw .insufficientAuthority(required: required)
            }
        default:
            break
        }
    }

    // MARK: - Per action

    private func changes(
        for action: ComplaintAction, complaint: Complaint, actor: Actor, now: Date
    ) throws(DomainError) -> [EventChange] {
        var issues = FieldChecks()
        let change: EventChange
        switch action {
        case .checkCompleteness(let complete, let missing, let note):
            let items = missing.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if !complete && items.isEmpty { issues.require("", "missing") }
            issues.count(missing, "missing", max: TextRules.listItems)
            for (index, item) in items.enumerated() { issues.line(item, "missing[\(index)]") }
            issues.comment(note, "note")
            change = .completenessChecked(.init(complete: complete, missing: complete ? [] : items, note: note))

        case .provideInformation(let note, let attachments):
            if note.isBlank && attachments.isEmpty { issues.require("", "note") }
            issues.long(note, "note")
            issues.count(attachments, "attachmentIds", max: TextRules.listItems)
            change = .informationProvided(.init(text: note, attachments: attachments))

        case .decideValidity(let valid, let reason):
            if !valid { issues.require(reason, "reason") }
            issues.comment(reason, "reason")
            change = .validityDecided(.init(valid: valid, reason: reason))

        case .answerRequest(let answer):
            issues.require(answer, "answer")
            issues.long(answer, "answer")
            change = .requestAnswered(.init(text: answer))

        case .assign(let assignment):
            issues.require(assignment.category, "category")
            issues.short(assignment.category, "category")
            issues.short(assignment.subcategory, "subcategory")
            try checkNotRecused(assignment.owner, assignment.handler, in: complaint)
            change = .assigned(
                .init(
                    category: assignment.category, subcategory: assignment.subcategory,
                    kind: assignment.kind ?? complaint.kind, priority: assignment.priority,
                    severity: assignment.severity, department: assignment.department, owner: assignment.owner,
                    handler: assignment.handler, handlerDue: assignment.handlerDue))

        case .reassign(let department, let owner, let handler, let reason):
            if department == nil && owner == nil && handler == nil { issues.require("", "owner") }
            issues.require(reason, "reason")
            issues.comment(reason, "reason")
            try checkNotRecused(owner, handler, in: complaint)
            change = .reassigned(.init(department: department, owner: owner, handler: handler, reason: reason))

        case .reclassify(let category, let subcategory, let priority, let severity, let reason):
            if category == nil && priority == nil && severity == nil { issues.require("", "priority") }
            if let category { issues.require(category, "category") }
            issues.short(category, "category")
            issues.short(subcategory, "subcategory")
            issues.require(reason, "reason")
            issues.comment(reason, "reason")
            change = .reclassified(
                .init(
                    category: category, subcategory: subcategory, priority: priority, severity: severity,
                    reason: reason))

        case .recordContact(let outcome, let note):
            issues.comment(note, "note")
            change = .customerContacted(.init(outcome: outcome, note: note))

        case .submitAnalysis(let report):
            issues.add(report.problems())
            change = .analysisSubmitted(report)

        case .proposeSolution(let types, let description, let compensation):
            issues.add(Self.proposalProblems(types: types, description: description, compensation: compensation))
            try issues.throwIfAny()
            change = .solutionProposed(
                .init(
                    types: types, description: description, compensation: compensation,
                    requiredApprover: requiredApprover(for: compensation, by: actor, on: complaint)))

        case .decideApproval(let approved, let comment):
            if !approved { issues.require(comment, "comment") }
            issues.comment(comment, "comment")
            change = .approvalDecided(.init(approved: approved, comment: comment))

        case .respondToProposal(let accepted, let comment):
            if !accepted { issues.require(comment, "comment") }
            issues.comment(comment, "comment")
            change = .customerResponded(.init(approved: accepted, comment: comment))

        case .recordProgress(let note, let workFinished, let evidence):
            if note.isBlank && evidence.isEmpty { issues.require(note, "note") }
            issues.long(note, "note")
            issues.count(evidence, "evidenceIds", max: TextRules.listItems)
            change = .progressRecorded(.init(note: note, workFinished: workFinished, evidence: evidence))

        case .returnResult(let summary, let attachments):
            issues.require(summary, "summary")
            issues.long(summary, "summary")
            issues.count(attachments, "attachmentIds", max: TextRules.listItems)
            change = .resultReturned(.init(text: summary, attachments: attachments))

        case .verify(let solved, let satisfied, let score, let note):
            if let score, !(1...5).contains(score) {
                issues.add("score", zh: "满意度须为 1 到 5", en: "must be between 1 and 5")
            }
            if case .staff = actor, score == nil, solved && satisfied { issues.require("", "score") }
            // The customer's own confirmation always carries their score: nobody may rate in their name.
            if case .customer = actor, score == nil { issues.require("", "score") }
            issues.comment(note, "note")
            change = .verified(.init(solved: solved, satisfied: satisfied, score: score, note: note))

        case .recordReturnVisit(let notes):
            issues.require(notes, "notes")
            issues.long(notes, "notes")
            change = .returnVisitRecorded(.init(text: notes))

        case .close(let note):
            issues.comment(note, "note")
            change = .closed(.init(text: note))

        case .reopen(let reason):
            issues.require(reason, "reason")
            issues.comment(reason, "reason")
            if let closedAt = complaint.closedAt,
                now.timeIntervalSince(closedAt) > Double(policy.reopenWindowDays) * 86_400
            {
                throw .reopenWindowPassed
            }
            change = .reopened(.init(text: reason))

        case .requestDelay(let reason, let until):
            issues.require(reason, "reason")
            issues.comment(reason, "reason")
            if until <= now {
                issues.add("until", zh: "须晚于当前时间", en: "must be in the future")
            } else if until.timeIntervalSince(now) > Double(policy.maxDelayDays) * 86_400 {
                issues.add(
                    "until", zh: "延期不能超过 \(policy.maxDelayDays) 天",
                    en: "cannot be more than \(policy.maxDelayDays) days away")
            }
            change = .delayRequested(.init(reason: reason, until: until))

        case .decideDelay(let approved, let comment):
            if !approved { issues.require(comment, "comment") }
            issues.comment(comment, "comment")
            change = .delayDecided(.init(approved: approved, comment: comment))

        case .addNote(let text, let isInternal):
            issues.require(text, "text")
            issues.long(text, "text")
            if case .customer = actor, isInternal { throw .notAllowed(action: .addNote) }
            change = .noteAdded(.init(text: text, isInternal: isInternal))

        case .linkIncident(let incident):
            issues.require(incident, "incident")
            issues.short(incident, "incident")
            change = .incidentLinked(.init(incident: incident.trimmingCharacters(in: .whitespaces)))

        case .merge(let into, let reason):
            issues.require(into, "into")
            issues.short(into, "into")
            issues.require(reason, "reason")
            issues.comment(reason, "reason")
            change = .merged(.init(into: into.trimmingCharacters(in: .whitespaces), reason: reason))

        case .confirmMention(let user, let concerned, let note):
            if !complaint.unconfirmedMentions.contains(user) {
                issues.add("user", zh: "不是待确认的被提及员工", en: "is not a mention awaiting confirmation")
            } else if concerned && (complaint.owner == user || complaint.handler == user) {
                issues.add("user", zh: "该员工正在承办此投诉，请先改派", en: "is assigned to this complaint; reassign first")
            }
            issues.comment(note, "note")
            change = .mentionConfirmed(.init(user: user, concerned: concerned, note: note))

        case .writeCase(let writeUp):
            // The library's own rule for a write-up; the title may be left to the complaint's subject here.
            let draft = CaseStudy.Draft(title: writeUp.title ?? "", tags: writeUp.tags, writeUp: writeUp)
            issues.add(draft.problems(titleRequired: false))
            change = .caseWritten(writeUp)

        case .archive(let note):
            issues.comment(note, "note")
            change = .archived(.init(text: note))

        case .receiveMessage(let message):
            if message.text.isBlank && message.attachments.isEmpty { issues.require("", "text") }
            issues.long(message.text, "text")
            issues.line(message.subject, "subject")
            issues.line(message.externalID, "externalId")
            issues.count(message.attachments, "attachments", max: TextRules.listItems)
            change = .messageReceived(message)

        case .recordCustomerUpdate(let update):
            issues.short(update.topic, "topic")
            issues.short(update.channel, "channel")
            issues.short(update.messageID, "messageId")
            change = .customerUpdated(update)

        case .setUpdatePreference(let optOut):
            change = .updatePreferenceSet(.init(optedOut: optOut))
        }
        try issues.throwIfAny()
        return [change]
    }

    /// The approver a proposal needs, or nil when the proposer's own authority covers it.
    private func requiredApprover(for compensation: Money?, by actor: Actor, on complaint: Complaint) -> Role? {
        guard let amount = compensation, amount > .zero else { return nil }
        if case .staff(let member) = actor, policy.authority.covers(member, amount, in: complaint.department) {
            return nil
        }
        return policy.authority.approver(for: amount)
    }

    private func checkNotRecused(_ users: UserID?..., in complaint: Complaint) throws(DomainError) {
        for case let user? in users {
            if complaint.isRecused(user) { throw .assigneeRecused(user) }
            if complaint.unconfirmedMentions.contains(user) { throw .assigneeMentionUnconfirmed(user) }
        }
    }
}

/// Collects every failing field of one action before failing, so a form shows them all at once.
extension Workflow {
    /// What a proposal must say: at least one type, each once, a description, and an amount within bounds when it
    /// compensates. An incident's one solution is checked by the same rule before it goes to each complaint.
    public static func proposalProblems(types: [SolutionType], description: String, compensation: Money?)
        -> [FieldIssue]
    {
        var issues = FieldChecks()
        if types.isEmpty { issues.require("", "types") }
        issues.require(description, "description")
        issues.long(description, "description")
        if Set(types).count != types.count {
            issues.add("types", zh: "方案类型不能重复", en: "must not repeat a type")
        }
        if let compensation, compensation < .zero {
            issues.add("compensation", zh: "金额不能为负数", en: "cannot be negative")
        } else if let compensation, compensation > .maximum {
            issues.add("compensation", zh: "金额超出上限", en: "is larger than any amount that can be granted")
        }
        if types.contains(.compensation) && (compensation ?? .zero) == .zero {
            issues.require("", "compensation")
        }
        return issues.issues
    }
}

extension EventChange.AnalysisSubmitted {
    /// What an analysis report must say: the problem's type and the findings.
    public func problems() -> [FieldIssue] {
        var issues = FieldChecks()
        issues.require(problemType, "problemType")
        issues.require(findings, "findings")
        issues.line(problemType, "problemType")
        issues.long(findings, "findings")
        issues.long(suggestedSolution, "suggestedSolution")
        return issues.issues
    }
}

struct FieldChecks {
    private(set) var issues: [FieldIssue] = []

    mutating func require(_ value: String, _ field: String) {
        if value.isBlank { issues.append(.required(field)) }
    }

    /// Problems another rule found.
    mutating func add(_ found: [FieldIssue]) { issues += found }

    mutating func add(_ field: String, zh: String, en: String) {
        issues.append(.invalid(field, zh: zh, en: en))
    }

    /// An identifier or short name: one line of at most `TextRules.short` characters.
    mutating func short(_ value: String?, _ field: String) { check(value, field, TextRules.short, .singleLine) }
    /// One line of text.
    mutating func line(_ value: String?, _ field: String) { check(value, field, TextRules.line, .singleLine) }
    /// A comment or reason, which may span lines.
    mutating func comment(_ value: String?, _ field: String) { check(value, field, TextRules.comment, .multiLine) }
    /// Long text, which may span lines.
    mutating func long(_ value: String?, _ field: String) { check(value, field, TextRules.long, .multiLine) }

    mutating func count<Item>(_ items: [Item], _ field: String, max: Int) {
        if items.count > max {
            issues.append(
                FieldIssue(
                    field: field, code: "too_many",
                    message: LocalizedText(zh: "最多 \(max) 项", en: "must have at most \(max) items")))
        }
    }

    private mutating func check(_ value: String?, _ field: String, _ max: Int, _ shape: TextRules.Shape) {
        if let value, let issue = TextRules.issue(value, field: field, max: max, shape: shape) { issues.append(issue) }
    }

    func throwIfAny() throws(DomainError) {
        if !issues.isEmpty { throw .validation(issues) }
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
