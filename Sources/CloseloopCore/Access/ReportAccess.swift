import Foundation

/// Who reads which figures (SPEC §1, §7): management, head-office quality and the call-centre supervisor read the
/// company's; a department manager reads their department's; the people who work complaints have their queues.
public enum ReportAccess {
    /// Roles that read the whole company's figures.
    public static let companyRoles: Set<Role> = [.generalManager, .vicePresident, .quality, .supervisor]
    /// Roles whose first page is the company dashboard rather than a queue.
    public static let dashboardFirstRoles: Set<Role> = [.generalManager, .vicePresident, .quality]

    /// Whether `member` may read the figures of `department` (nil: the whole company's).
    public static func mayRead(_ department: DepartmentID?, by member: StaffMember) -> Bool {
        if member.grants.contains(where: { companyRoles.contains($0.role) }) { return true }
        guard let department else { return false }
        return member.holds(.departmentManager, for: department)
    }

    /// The figures `member` sees first: the company's for a company reader, their department's for a department
    /// manager, none for anyone else.
    public static func defaultScope(of member: StaffMember) -> (department: DepartmentID?, allowed: Bool) {
        if member.grants.contains(where: { companyRoles.contains($0.role) }) { return (nil, true) }
        let managed = member.grants.filter { $0.role == .departmentManager }.compactMap(\.department)
        if let first = member.department.flatMap({ managed.contains($0) ? $0 : nil }) ?? managed.first {
            return (first, true)
        }
        return (nil, false)
    }

    /// Whether `member` starts on a dashboard (management, quality, a department manager) instead of a queue.
    public static func landsOnDashboard(_ member: StaffMember) -> Bool {
        if member.grants.contains(where: { dashboardFirstRoles.contains($0.role) }) { return true }
        return member.holds(.departmentManager) && !member.holds(.handler) && !member.holds(.agent)
            && defaultScope(of: member).allowed
    }
}
