/// The staff roles of SPEC §1. A user may hold several, each scoped to a department or to all of them.
public enum Role: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    /// 接待员 / 客服: records complaints, checks completeness, judges validity, follows complaints as their owner.
    case agent
    /// 客服主管: reviews classification and priority, assigns department and owner, countersigns closes.
    case supervisor
    /// 责任部门 工程师 / 专员: investigates, writes the analysis, proposes and executes the solution.
    case handler
    /// 部门经理: answers for the department's complaints.
    case departmentManager = "department_manager"
    /// 营销副总: approves solutions and delays beyond a department manager's authority.
    case vicePresident = "vice_president"
    /// 总经理: the top of the approval chain.
    case generalManager = "general_manager"
    /// 客服总监办公室 / 集团总部: spot checks, statistics, case library.
    case quality
    /// 管理员: configuration and users.
    case administrator
}

/// One role held by a user, either in one department or (department nil) across the company.
public struct RoleGrant: Hashable, Codable, Sendable {
    public var role: Role
    public var department: DepartmentID?

    public init(_ role: Role, in department: DepartmentID? = nil) {
        self.role = role
        self.department = department
    }

    /// Whether this grant covers work for the given department.
    public func covers(_ target: DepartmentID?) -> Bool {
        guard let department else { return true }
        return department == target
    }
}

extension Role {
    public var label: LocalizedText {
        switch self {
        case .agent: LocalizedText(zh: "客服专员", en: "agent")
        case .supervisor: LocalizedText(zh: "客服主管", en: "supervisor")
        case .handler: LocalizedText(zh: "责任部门专员", en: "handler")
        case .departmentManager: LocalizedText(zh: "部门经理", en: "department manager")
        case .vicePresident: LocalizedText(zh: "副总经理", en: "vice-president")
        case .generalManager: LocalizedText(zh: "总经理", en: "general manager")
        case .quality: LocalizedText(zh: "质量管理", en: "quality")
        case .administrator: LocalizedText(zh: "系统管理员", en: "administrator")
        }
    }
}
