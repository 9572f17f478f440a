import CloseloopCore
import Foundation

/// A staff login: who they are, what they hold, and their password hash (never the password).
public struct UserAccount: Hashable, Codable, Sendable {
    public var id: UserID
    public var username: String
    public var displayName: String
    public var passwordHash: String
    public var department: DepartmentID?
    public var grants: [RoleGrant]
    public var language: Language
    public var active: Bool
    public var createdAt: Date

    public init(
        id: UserID, username: String, displayName: String, passwordHash: String, department: DepartmentID?,
        grants: [RoleGrant], language: Language, active: Bool, createdAt: Date
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.department = department
        self.grants = grants
        self.language = language
        self.active = active
        self.createdAt = createdAt
    }

    /// The domain's view of this user.
    public var staffMember: StaffMember {
        StaffMember(id: id, displayName: displayName, department: department, grants: grants)
    }
}

/// A department complaints can be assigned to.
public struct Department: Hashable, Codable, Sendable {
    public var id: DepartmentID
    public var name: LocalizedText

    public init(id: DepartmentID, name: LocalizedText) {
        self.id = id
        self.name = name
    }
}
