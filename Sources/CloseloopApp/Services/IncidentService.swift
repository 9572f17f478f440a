import CloseloopCore
import CloseloopStore
import Foundation

/// Mass incidents (群诉事件): opened from a selection of complaints or a detected burst, reported to management,
/// handled once. Every step an incident takes on a complaint goes through `ComplaintService.perform`, so each
/// complaint keeps its own history, clocks, approvals, recusals and customer's answer; what could not be done on one
/// is said for that one.
public struct IncidentService: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    let audit: AuditLog
    let complaints: ComplaintService

    /// What happened to one complaint in a step that touched many.
    /// What a step did to one complaint (`ComplaintService.attempt`).
    public typealias Outcome = ActionOutcome

    /// The handling a step is given: the incident keeps it, then applies it to each complaint.
    public enum Handling: Sendable {
        case accept
        case propose(analysis: EventChange.AnalysisSubmitted, solution: Incident.Solution)
        case result(String)

        public var step: IncidentStep {
            switch self {
            case .accept: .accept
            case .propose: .propose
            case .result: .result
            }
        }
    }

    /// Opens an incident, reports it to management in the same transaction, and links `members` (numbers or ids).
    public func open(_ details: Incident.Details, linking members: [String], by user: UserAccount) async throws
        -> (incident: Incident, linked: [Outcome])
    {
        try Self.requireManager(user)
        try await check(details)
        let now = time.instant()
        let year = await settings.current().calendar.localDate(of: now).year
        let management = try await AlertNotifier(store: store).managementTargets()
        let trimmed = Incident(
            id: TimeOrderedID.make(at: now), number: "", title: "", cause: "", openedAt: now, openedBy: user.id
        ).with(details)
        let incident = try await store.openIncident(
            year: year,
            make: { sequence in
                var numbered = trimmed
                numbered.number = Incident.number(year: year, sequence: sequence)
                return numbered
            },
            outbox: { Self.managementReport(of: $0, to: management, at: now) })
        try await audit.record("incident.open", subject: incident.number, detail: incident.title, by: .staff(user))
        return (incident, try await link(members, to: incident, by: user))
    }

    /// Links more complaints to an open incident.
    public func link(_ members: [String], to number: String, by user: UserAccount) async throws -> [Outcome] {
        let incident = try await require(number)
        return try await link(members, to: incident, by: user)
    }

    private func link(_ members: [String], to incident: Incident, by user: UserAccount) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for member in Self.unique(members) {
            guard let record = try await complaints.find(member) else {
                outcomes.append(Self.missing(member))
                continue
            }
            outcomes.append(
                try await complaints.attempt([.linkIncident(incident: incident.number)], on: record, by: user))
        }
        return outcomes
    }

    /// Changes what the incident says (title, cause, classification, who is responsible).
    public func update(_ number: String, _ details: Incident.Details, expectedVersion: Int, by user: UserAccount)
        async throws -> Incident
    {
        try Self.requireManager(user)
        let incident = try await require(number)
        try await check(details)
        var next = incident.with(details)
        next.updatedAt = time.instant()
        let saved = try await store.saveIncident(next, expectedVersion: expectedVersion)
        try await audit.record("incident.update", subject: number, detail: saved.title, by: .staff(user))
        return saved
    }

    /// Keeps `handling` on the incident, then takes its step on every linked complaint where the step applies.
    public func handle(_ handling: Handling, on number: String, expectedVersion: Int, by user: UserAccount)
        async throws -> (incident: Incident, outcomes: [Outcome])
    {
        var incident = try await require(number)
        guard Self.mayWork(user, on: incident) else { throw AccessDenied(roles: Incident.managers) }
        guard incident.isOpen else {
            throw DomainError.validation([.invalid("state", zh: "事件已关闭", en: "is closed")])
        }
        switch handling {
        case .accept:
            break
        case .propose(let analysis, let solution):
            let issues = Incident.handlingProblems(analysis: analysis, solution: solution)
            guard issues.isEmpty else { throw DomainError.validation(issues) }
            incident.analysis = analysis
            incident.solution = solution
        case .result(let text):
            let issues = Incident.resultProblems(text)
            guard issues.isEmpty else { throw DomainError.validation(issues) }
            incident.result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let issues = incident.problems(for: handling.step)
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        incident.updatedAt = time.instant()
        let saved = try await store.saveIncident(incident, expectedVersion: expectedVersion)
        var outcomes: [Outcome] = []
        for record in try await store.complaints(inIncident: number) {
            let actions = saved.actions(for: handling.step, on: record.complaint)
            guard !actions.isEmpty else {
                outcomes.append(Self.untouched(record.complaint))
                continue
            }
            outcomes.append(try await complaints.attempt(actions, on: record, by: user))
        }
        let done = outcomes.filter { !$0.done.isEmpty }.count
        try await audit.record(
            "incident.\(handling.step.rawValue)", subject: number, detail: "\(done)/\(outcomes.count)",
            by: .staff(user))
        return (saved, outcomes)
    }

    /// Closes the incident. Its complaints stay as they are: each closes through its own loop, once its customer
    /// confirmed (SPEC §4), never because the incident did.
    public func close(_ number: String, note: String, expectedVersion: Int, by user: UserAccount) async throws
        -> Incident
    {
        try Self.requireManager(user)
        var incident = try await require(number)
        let issues = incident.closingProblems(note: note)
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let now = time.instant()
        incident.state = .closed
        incident.closedAt = now
        incident.closingNote = note.trimmingCharacters(in: .whitespacesAndNewlines)
        incident.updatedAt = now
        let saved = try await store.saveIncident(incident, expectedVersion: expectedVersion)
        try await audit.record("incident.close", subject: number, detail: note, by: .staff(user))
        return saved
    }

    public func find(_ number: String) async throws -> Incident? { try await store.incident(number: number) }

    /// A detected burst with the incident it proposes and the incident it already became, if any.
    public struct BurstProposal: Sendable {
        public var burst: ComplaintBurst
        public var details: Incident.Details
        /// The complaints' numbers, oldest first; the one that completed the group last.
        public var members: [String]
        /// The incident the complaint that completed the group belongs to.
        public var incident: String?
    }

    /// The bursts detected since `since`, newest first, each with its proposal.
    public func proposals(since: Date) async throws -> [BurstProposal] {
        var proposals: [BurstProposal] = []
        for burst in try await store.bursts(since: since) {
            let (details, members) = try await proposal(from: burst)
            let incident = try await store.record(id: burst.seed)?.complaint.incident
            proposals.append(BurstProposal(burst: burst, details: details, members: members, incident: incident))
        }
        return proposals
    }

    /// The incident a burst proposes: its title, the classification suggested for the complaint that completed it,
    /// and its complaints (numbers, oldest first).
    public func proposal(from burst: ComplaintBurst) async throws -> (details: Incident.Details, members: [String]) {
        var members: [String] = []
        for id in burst.members {
            if let record = try await store.record(id: id) { members.append(record.complaint.number) }
        }
        let suggested = try await store.suggestion(for: burst.seed)?.suggestion
        let taxonomy = await settings.categories()
        let choice = (suggested?[.subcategory] ?? suggested?[.category]).map(taxonomy.choice)
        return (
            Incident.Details(
                title: burst.title, cause: "", category: choice?.category, subcategory: choice?.subcategory,
                severity: .major, department: suggested?[.department].map { DepartmentID($0) }),
            members
        )
    }

    public func list(openOnly: Bool, limit: Int = 200) async throws -> [IncidentSummary] {
        try await store.incidents(openOnly: openOnly, limit: limit)
    }

    /// The open incidents a complaint may join, newest first, without counting their complaints (every complaint
    /// page a linker opens asks for them).
    public func openIncidents(limit: Int = 200) async throws -> [Incident] {
        try await store.incidents(openOnly: true, limit: limit, counted: false).map(\.incident)
    }

    /// The incident's complaints, oldest first.
    public func members(of number: String) async throws -> [ComplaintRecord] {
        try await store.complaints(inIncident: number)
    }

    /// Whether `user` may take the incident's steps: those who manage incidents, and the people and department
    /// responsible for it. Each complaint still checks their rights on it.
    public static func mayWork(_ user: UserAccount, on incident: Incident) -> Bool {
        let member = user.staffMember
        return user.active
            && (Incident.mayManage(member) || incident.owner == user.id || incident.handler == user.id
                || member.holdsAny([.handler, .departmentManager], for: incident.department))
    }

    public static func mayManage(_ user: UserAccount) -> Bool { user.active && Incident.mayManage(user.staffMember) }

    // MARK: - Helpers

    private static func requireManager(_ user: UserAccount) throws {
        guard mayManage(user) else { throw AccessDenied(roles: Incident.managers) }
    }

    private func require(_ number: String) async throws -> Incident {
        guard let incident = try await store.incident(number: number) else { throw StoreError.incidentNotFound }
        return incident
    }

    /// The department and the people named exist (the loop's own reference rule) and the category is in the taxonomy.
    private func check(_ details: Incident.Details) async throws {
        var issues = details.problems()
        issues += try await complaints.referenceIssues(
            department: ("department", details.department),
            people: [("owner", details.owner), ("handler", details.handler)])
        if let category = details.category?.trimmingCharacters(in: .whitespaces), !category.isEmpty {
            let taxonomy = await settings.categories()
            if let entry = taxonomy.category(category) {
                if let sub = details.subcategory?.trimmingCharacters(in: .whitespaces), !sub.isEmpty,
                    !entry.subcategories.contains(where: { $0.code == sub })
                {
                    issues.append(.invalid("subcategory", zh: "不属于该类别", en: "is not under that category"))
                }
            } else {
                issues.append(.invalid("category", zh: "类别不存在", en: "no such category"))
            }
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
    }

    private static func untouched(_ complaint: Complaint) -> Outcome {
        Outcome(
            number: complaint.number, done: [], state: complaint.state,
            problem: LocalizedText(zh: "当前状态无需此步骤", en: "nothing to do in its present state"))
    }

    private static func missing(_ member: String) -> Outcome {
        Outcome(
            number: member, done: [], state: .received,
            problem: LocalizedText(zh: "找不到投诉", en: "no such complaint"))
    }

    private static func unique(_ members: [String]) -> [String] {
        var seen = Set<String>()
        return members.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && seen.insert($0).inserted
        }
    }

    /// SPEC §3: a group complaint is major and reported to management at once, in the recipient's language.
    static func managementReport(
        of incident: Incident, to targets: [(target: NotificationTarget, user: UserAccount)], at now: Date
    ) -> [OutboxMessage] {
        targets.map { target, user in
            let subject = LocalizedText(
                zh: "【上报】群诉事件 \(incident.number)：\(incident.title)",
                en: "[Report] Mass incident \(incident.number): \(incident.title)"
            ).text(in: user.language)
            return OutboxMessage(
                createdAt: now, complaintID: nil, topic: "report.incident", channel: target.channel,
                recipient: target.address, subject: subject, body: subject + "\n\n" + incident.cause)
        }
    }
}
