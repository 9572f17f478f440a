import Foundation

/// A mass incident (群诉事件, SPEC §2): many customers complaining about one cause. The cause is analysed and solved
/// once, here; each linked complaint still goes through its own loop, with its own clocks, approvals and customer's
/// answer (`IncidentStep`). An incident is at least a major complaint (SPEC §3) and is reported to management.
public struct Incident: Hashable, Codable, Sendable {
    public enum State: String, Hashable, Codable, Sendable, CaseIterable {
        case open, closed

        public var label: LocalizedText {
            switch self {
            case .open: LocalizedText(zh: "处理中", en: "open")
            case .closed: LocalizedText(zh: "已关闭", en: "closed")
            }
        }
    }

    /// What is said once for every customer: the solution each is proposed and the result each is told. The text may
    /// name the customer and their complaint (`CustomerMessage`).
    public struct Solution: Hashable, Codable, Sendable {
        public var types: [SolutionType]
        public var message: String
        /// Per customer, when the solution compensates.
        public var compensation: Money?

        public init(types: [SolutionType], message: String, compensation: Money?) {
            self.types = types
            self.message = message
            self.compensation = compensation
        }
    }

    public var id: String
    /// INC-YYYY-NNNN, numbered in the year it was opened.
    public var number: String
    public var title: String
    public var cause: String
    public var category: String?
    public var subcategory: String?
    public var severity: Severity
    public var department: DepartmentID?
    public var owner: UserID?
    public var handler: UserID?
    public var state: State
    public var analysis: EventChange.AnalysisSubmitted?
    public var solution: Solution?
    /// What was done, told to each customer when the work is finished.
    public var result: String?
    public var openedAt: Date
    public var openedBy: UserID
    public var closedAt: Date?
    public var closingNote: String?
    /// Bumped by every change, so two people editing at once are told rather than overwritten.
    public var version: Int
    public var updatedAt: Date

    public init(
        id: String, number: String, title: String, cause: String, category: String? = nil,
        subcategory: String? = nil, severity: Severity = .major, department: DepartmentID? = nil,
        owner: UserID? = nil, handler: UserID? = nil, openedAt: Date, openedBy: UserID
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.cause = cause
        self.category = category
        self.subcategory = subcategory
        self.severity = max(severity, Self.leastSeverity)
        self.department = department
        self.owner = owner
        self.handler = handler
        self.state = .open
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.version = 1
        self.updatedAt = openedAt
    }

    /// A group complaint is a major complaint (SPEC §3); an incident never goes below it.
    public static let leastSeverity = Severity.major

    public var isOpen: Bool { state == .open }

    /// Numbers look like INC-2026-0007.
    public static func number(year: Int, sequence: Int) -> String {
        "INC-\(year)-" + String(format: "%04d", sequence)
    }

    /// Who opens, edits and closes incidents: the call centre's supervisors, quality and management. Each step it
    /// takes on a complaint is still checked against the person's rights on that complaint.
    public static let managers: Set<Role> = [
        .supervisor, .quality, .departmentManager, .vicePresident, .generalManager,
    ]

    public static func mayManage(_ member: StaffMember) -> Bool {
        member.grants.contains { managers.contains($0.role) }
    }
}
