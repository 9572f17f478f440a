/// 核决权限: how much compensation each role may grant on its own, and the chain a larger proposal climbs.
public struct AuthorityMatrix: Hashable, Codable, Sendable {
    /// The most a holder of the role may grant without approval; a role missing here may grant nothing,
    /// a role mapped to nil has no limit.
    public var limits: [Role: Money?]
    /// Approval levels from lowest to highest (supervisor → department manager → vice-president → general manager).
    public var chain: [Role]

    public init(limits: [Role: Money?], chain: [Role]) {
        self.limits = limits
        self.chain = chain
    }

    /// The defaults: ¥200 for handlers, ¥500 supervisors, ¥2,000 department managers, ¥10,000 vice-presidents,
    /// general managers unlimited.
    public static let standard = AuthorityMatrix(
        limits: [
            .agent: .zero, .handler: .yuan(200), .supervisor: .yuan(500), .departmentManager: .yuan(2_000),
            .vicePresident: .yuan(10_000), .generalManager: nil,
        ],
        chain: [.supervisor, .departmentManager, .vicePresident, .generalManager])

    /// Whether `role` may grant `amount` on its own.
    public func covers(_ role: Role, _ amount: Money) -> Bool {
        guard let entry = limits[role] else { return false }
        guard let limit = entry else { return true }
        return amount <= limit
    }

    /// Whether any of the member's roles for `department` covers `amount`.
    public func covers(_ member: StaffMember, _ amount: Money, in department: DepartmentID?) -> Bool {
        member.grants.contains { $0.covers(department) && covers($0.role, amount) }
    }

    /// The lowest chain level whose authority covers `amount`; the top of the chain when none does.
    public func approver(for amount: Money) -> Role? {
        chain.first { covers($0, amount) } ?? chain.last
    }

    /// Whether `member` may approve on behalf of `required`: they hold it, or a higher level of the chain, for the
    /// complaint's department.
    public func mayApprove(_ member: StaffMember, required: Role, in department: DepartmentID?) -> Bool {
        guard let start = chain.firstIndex(of: required) else {
            return member.holds(required, for: department)
        }
        return chain[start...].contains { member.holds($0, for: department) }
    }

    /// Configuration problems, each a sentence.
    public func problems() -> [String] {
        var problems: [String] = []
        if chain.isEmpty { problems.append("the approval chain is empty") }
        if Set(chain).count != chain.count { problems.append("the approval chain names a role twice") }
        for (role, limit) in limits {
            if let amount = limit, amount < .zero {
                problems.append("the limit of \(role.rawValue) is negative")
            }
        }
        return problems
    }
}
