/// A member of staff as the domain sees them: who they are and what they hold.
public struct StaffMember: Hashable, Codable, Sendable {
    public var id: UserID
    public var displayName: String
    public var department: DepartmentID?
    public var grants: [RoleGrant]

    public init(id: UserID, displayName: String, department: DepartmentID? = nil, grants: [RoleGrant]) {
        self.id = id
        self.displayName = displayName
        self.department = department
        self.grants = grants
    }

    /// Whether the member holds `role` anywhere.
    public func holds(_ role: Role) -> Bool { grants.contains { $0.role == role } }

    /// Whether the member holds `role` for work in `department`.
    public func holds(_ role: Role, for department: DepartmentID?) -> Bool {
        grants.contains { $0.role == role && $0.covers(department) }
    }

    /// Whether the member holds any of `roles` for work in `department`.
    public func holdsAny(_ roles: Set<Role>, for department: DepartmentID?) -> Bool {
        grants.contains { roles.contains($0.role) && $0.covers(department) }
    }
}

/// Whoever performs an action: a member of staff, the customer (portal or tracking API), or the system's own clocks.
public enum Actor: Hashable, Sendable {
    case staff(StaffMember)
    case customer
    case system

    /// The reference stored with each event.
    public var reference: ActorReference {
        switch self {
        case .staff(let member): ActorReference(kind: .staff, userID: member.id, name: member.displayName)
        case .customer: ActorReference(kind: .customer, userID: nil, name: "customer")
        case .system: ActorReference(kind: .system, userID: nil, name: "system")
        }
    }
}

/// Who did something, as kept in the history.
public struct ActorReference: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case staff, customer, system }
    public var kind: Kind
    public var userID: UserID?
    public var name: String

    public init(kind: Kind, userID: UserID?, name: String) {
        self.kind = kind
        self.userID = userID
        self.name = name
    }
}
