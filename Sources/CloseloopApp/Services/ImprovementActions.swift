import CloseloopCore
import CloseloopStore
import Foundation

/// Improvement actions (整改措施): raised from a hotspot, a case or a complaint, owned, due on a business day,
/// tracked to verified; the deadline watcher warns the owner the working day before the due day ends and tells the
/// owner and the department when it has passed, once each, through the outbox.
public struct ImprovementActions: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    let audit: AuditLog

    /// What a new action says.
    public struct Draft: Sendable {
        public var title: String
        public var description: String
        public var source: ImprovementAction.Source
        public var department: DepartmentID?
        public var owner: UserID?
        public var due: LocalDate?
        public var complaints: [String]

        public init(
            title: String, description: String, source: ImprovementAction.Source, department: DepartmentID?,
            owner: UserID?, due: LocalDate?, complaints: [String]
        ) {
            self.title = title
            self.description = description
            self.source = source
            self.department = department
            self.owner = owner
            self.due = due
            self.complaints = complaints
        }
    }

    public static func mayRaise(_ user: UserAccount) -> Bool {
        user.grants.contains { ImprovementAction.raisers.contains($0.role) }
    }

    /// Raises an action; every field checked at once. Numbered IA-YYYY-NNN in the year it is raised.
    public func raise(_ draft: Draft, by user: UserAccount) async throws -> ImprovementAction {
        guard Self.mayRaise(user) else { throw AccessDenied(roles: ImprovementAction.raisers) }
        let calendar = await settings.current().calendar
        let now = time.instant()
        let today = calendar.localDate(of: now)
        var issues = ImprovementAction.problems(
            title: draft.title, description: draft.description, complaints: draft.complaints)
        if let department = draft.department {
            if try await !store.departments().contains(where: { $0.id == department }) {
                issues.append(.invalid("department", zh: "部门不存在", en: "no such department"))
            }
        } else {
            issues.append(.required("department"))
        }
        if let owner = draft.owner {
            if try await store.user(id: owner)?.active != true {
                issues.append(.invalid("owner", zh: "员工不存在或已停用", en: "no active staff member"))
            }
        } else {
            issues.append(.required("owner"))
        }
        if let due = draft.due {
            if due < today { issues.append(.invalid("due", zh: "不能早于今天", en: "cannot be before today")) }
        } else {
            issues.append(.required("due"))
        }
        for number in draft.complaints where try await store.record(number: number) == nil {
            issues.append(.invalid("complaints", zh: "找不到投诉 \(number)", en: "no complaint \(number)"))
        }
        guard issues.isEmpty, let department = draft.department, let owner = draft.owner, let due = draft.due else {
            throw DomainError.validation(issues)
        }
        let prefix = "IA-\(today.year)-"
        let sequence = try await store.improvementActionCount(prefix: prefix) + 1
        let action = ImprovementAction(
            id: prefix + String(format: "%03d", sequence),
            title: draft.title.trimmingCharacters(in: .whitespacesAndNewlines),
            description: draft.description.trimmingCharacters(in: .whitespacesAndNewlines), source: draft.source,
            department: department, owner: owner, due: due, complaints: draft.complaints, createdBy: user.id,
            createdAt: now, updatedAt: now)
        try await store.save(action)
        try await audit.record("action.raise", subject: action.id, detail: action.title, by: .staff(user))
        return action
    }

    /// Takes `step` on an action (start, finish with a result, verify, reject with a reason).
    public func take(_ step: ImprovementAction.Step, on id: String, note: String, by user: UserAccount) async throws
        -> ImprovementAction
    {
        guard let action = try await store.improvementAction(id: id) else { throw StoreError.complaintNotFound }
        var next = try action.after(step, by: user.staffMember, note: note)
        next.updatedAt = time.instant()
        try await store.save(next)
        try await audit.record("action.\(step.rawValue)", subject: id, detail: note, by: .staff(user))
        return next
    }

    public func find(_ id: String) async throws -> ImprovementAction? { try await store.improvementAction(id: id) }

    public func list(statuses: [ImprovementAction.Status], department: DepartmentID?) async throws
        -> [ImprovementAction]
    {
        try await store.improvementActions(statuses: statuses, department: department)
    }

    /// How many actions are open and how many of those are past their due day, for the dashboard.
    public func openAndOverdue(department: DepartmentID?) async throws -> (open: Int, overdue: Int) {
        let calendar = await settings.current().calendar
        let today = calendar.localDate(of: time.now())
        let open = try await store.improvementActions(statuses: [.open, .inProgress], department: department)
        return (open.count, open.filter { $0.due < today }.count)
    }

    /// The watcher's work for actions: a warning on the due day's eve, a breach once the due day is over; each once.
    @discardableResult
    public func watch() async throws -> Int {
        let calendar = await settings.current().calendar
        let now = time.instant()
        var sent = 0
        for action in try await store.improvementActions(statuses: [.open, .inProgress], department: nil) {
            let dueEnd = calendar.startOfDay(action.due.adding(days: 1))
            let warnFrom = calendar.startOfDay(action.due)
            let breach: Bool
            if action.breachedAt == nil, now >= dueEnd {
                breach = true
            } else if action.warnedAt == nil, action.breachedAt == nil, now >= warnFrom {
                breach = false
            } else {
                continue
            }
            // Claimed in the store, so two instances watching together send it once.
            let messages = try await notices(action, breach: breach, at: now)
            if try await store.recordActionAlert(action.id, breach: breach, at: now, outbox: messages) { sent += 1 }
        }
        return sent
    }

    private func notices(_ action: ImprovementAction, breach: Bool, at now: Date) async throws -> [OutboxMessage] {
        var owners: [NotificationTarget.Owner] = [.user(action.owner)]
        if breach { owners.append(.department(action.department)) }
        let subject =
            breach
            ? "【整改逾期】\(action.id) \(action.title)（应于 \(action.due) 完成）"
            : "【整改即将到期】\(action.id) \(action.title)（\(action.due) 到期）"
        let body = "\(action.title)\n\(action.description)\n状态：\(action.status.label.zhHans)\n到期：\(action.due)"
        return try await store.notificationTargets(of: owners).map { target in
            OutboxMessage(
                createdAt: now, complaintID: nil, topic: breach ? "action.breach" : "action.warning",
                channel: target.channel, recipient: target.address, subject: subject, body: body)
        }
    }
}
