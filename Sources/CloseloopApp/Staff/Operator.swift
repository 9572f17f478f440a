import CloseloopCore
import CloseloopStore
import Foundation

/// Who makes an administrative change, for the role check and the audit log: a signed-in staff member on the pages,
/// or an operator of the command-line tool on the server machine (who can read the database files anyway).
public enum Operator: Sendable {
    case staff(UserAccount)
    case commandLine(login: String)

    /// The operator of this command-line process, named by their login.
    public static var commandLine: Operator {
        let environment = ProcessInfo.processInfo.environment
        return .commandLine(login: environment["SUDO_USER"] ?? environment["USER"] ?? "unknown")
    }

    /// The name the audit log keeps: a username, or `cli:<login>`.
    public var auditName: String {
        switch self {
        case .staff(let user): user.username
        case .commandLine(let login): "cli:\(login)"
        }
    }

    /// Refuses a staff member who holds none of `roles`; the command line may do everything.
    func require(anyOf roles: Set<Role>) throws {
        guard case .staff(let user) = self else { return }
        guard user.active, user.grants.contains(where: { roles.contains($0.role) }) else {
            throw AccessDenied(roles: roles)
        }
    }
}

/// The caller's roles do not allow what was asked.
public struct AccessDenied: Error, Sendable, Equatable {
    public var roles: Set<Role>
}
