import CloseloopApp
import CloseloopCore
import CloseloopStore

/// Who is calling, carried as a task-local from the authentication middleware to the generated API handlers
/// (which see only their typed input, not the request context).
public enum Identity {
    @TaskLocal public static var current: UserAccount?

    /// The signed-in staff member, or a 401.
    static func requireUser() throws -> UserAccount {
        guard let user = current else { throw APIError.unauthenticated }
        return user
    }

    /// The signed-in staff member as the domain's actor, or a 401.
    static func requireActor() throws -> Actor {
        .staff(try requireUser().staffMember)
    }

    /// The signed-in staff member, who must hold one of `roles`; otherwise a 401 or 403.
    static func require(anyOf roles: Set<Role>) throws -> UserAccount {
        let user = try requireUser()
        guard user.grants.contains(where: { roles.contains($0.role) }) else { throw APIError.forbidden }
        return user
    }
}
