import Foundation

/// An improvement action (整改措施, SPEC §8): what the company changes so a cause stops producing complaints, raised
/// from a hotspot, a case or a complaint, owned by one person in a department, due on a day of the business calendar,
/// and tracked from open to verified: open → in progress → done → verified (or back to in progress when the check
/// finds it not done).
public struct ImprovementAction: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case open
        case inProgress = "in_progress"
        case done
        case verified

        public var label: LocalizedText {
            switch self {
            case .open: LocalizedText(zh: "待开始", en: "open")
            case .inProgress: LocalizedText(zh: "进行中", en: "in progress")
            case .done: LocalizedText(zh: "已完成待验证", en: "done, to verify")
            case .verified: LocalizedText(zh: "已验证", en: "verified")
            }
        }
    }

    /// What an action was raised from.
    public enum Source: Hashable, Sendable {
        case hotspot(String)
        case caseStudy(String)
        case complaint(String)
        case none

        public var code: String {
            switch self {
            case .hotspot(let text): "hotspot:\(text)"
            case .caseStudy(let number): "case:\(number)"
            case .complaint(let number): "complaint:\(number)"
            case .none: ""
            }
        }

        public init(code: String) {
            let parts = code.split(separator: ":", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count == 2 ? parts[1] : "") {
            case ("hotspot", let text) where !text.isEmpty: self = .hotspot(text)
            case ("case", let number) where !number.isEmpty: self = .caseStudy(number)
            case ("complaint", let number) where !number.isEmpty: self = .complaint(number)
            default: self = .none
            }
        }
    }

    public var id: String
    public var title: String
    public var description: String
    public var source: Source
    public var department: DepartmentID
    public var owner: UserID
    public var due: LocalDate
    public var status: Status
    /// The complaints that prompted it, by number.
    public var complaints: [String]
    public var result: String
    public var createdBy: UserID
    public var createdAt: Date
    public var updatedAt: Date
    /// When the warning and the breach of its due day were sent, so each goes out once.
    public var warnedAt: Date?
    public var breachedAt: Date?

    public init(
        id: String, title: String, description: String, source: Source, department: DepartmentID, owner: UserID,
        due: LocalDate, status: Status = .open, complaints: [String] = [], result: String = "", createdBy: UserID,
        createdAt: Date, updatedAt: Date, warnedAt: Date? = nil, breachedAt: Date? = nil
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.source = source
        self.department = department
        self.owner = owner
        self.due = due
        self.status = status
        self.complaints = complaints
        self.result = result
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.warnedAt = warnedAt
        self.breachedAt = breachedAt
    }

    public var isOpen: Bool { status == .open || status == .inProgress }

    /// What someone asks of an action.
    public enum Step: String, Sendable, CaseIterable {
        case start, finish, verify, reject
    }

    /// Who may raise and verify actions: management and quality; the supervisor for the call centre's.
    public static let raisers: Set<Role> = [.quality, .generalManager, .vicePresident, .supervisor, .departmentManager]

    /// The status `step` leads to, or why `member` may not take it now. Starting and finishing are the owner's (or
    /// the department manager's); verifying and rejecting a finished action are for someone who did not do it.
    public func after(_ step: Step, by member: StaffMember, note: String) throws(DomainError) -> ImprovementAction {
        let doer = member.id == owner || member.holds(.departmentManager, for: department)
        let checker =
            member.id != owner && member.grants.contains { Self.raisers.contains($0.role) && $0.covers(department) }
        var next = self
        switch (step, status) {
        case (.start, .open) where doer:
            next.status = .inProgress
        case (.finish, .open) where doer, (.finish, .inProgress) where doer:
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .validation([.required("note")])
            }
            next.status = .done
            next.result = note.trimmingCharacters(in: .whitespacesAndNewlines)
        case (.verify, .done) where checker:
            next.status = .verified
        case (.reject, .done) where checker:
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .validation([.required("note")])
            }
            next.status = .inProgress
        case (.start, _), (.finish, _), (.verify, _), (.reject, _):
            throw .validation([
                .invalid(
                    "step", zh: "当前状态「\(status.label.zhHans)」下您不能执行此操作",
                    en: "not possible for you while the action is \(status.label.en)")
            ])
        }
        if let issue = TextRules.issue(note, field: "note", max: TextRules.comment, shape: .multiLine) {
            throw .validation([issue])
        }
        return next
    }

    /// The steps `member` may take now.
    public func steps(for member: StaffMember) -> [Step] {
        Step.allCases.filter { step in
            (try? after(step, by: member, note: "—")) != nil
        }
    }

    /// Every problem with a new action's fields at once.
    public static func problems(title: String, description: String, complaints: [String]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            issues.append(.required("title"))
        } else if let issue = TextRules.issue(trimmed, field: "title", max: TextRules.line, shape: .singleLine) {
            issues.append(issue)
        }
        if let issue = TextRules.issue(description, field: "description", max: TextRules.long, shape: .multiLine) {
            issues.append(issue)
        }
        if complaints.count > 100 {
            issues.append(.invalid("complaints", zh: "最多关联 100 件投诉", en: "at most 100 complaints"))
        }
        return issues
    }
}
