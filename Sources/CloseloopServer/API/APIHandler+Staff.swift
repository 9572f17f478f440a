import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

extension APIHandler {
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let user: UserAccount
        do {
            user = try await services.signIn.check(username: body.username, password: body.password)
        } catch SignInRefusal.rateLimited {
            throw APIError.rateLimited
        } catch SignInRefusal.badCredentials {
            throw APIError.badCredentials
        }
        let issued = try await services.tokens.issue(signedIn: user, name: body.name ?? "api")
        return .created(.init(body: .json(.init(token: issued.token, expiresAt: issued.expiresAt))))
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        .ok(.init(body: .json(Self.user(try Identity.requireUser()))))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        _ = try Identity.requireUser()
        return .ok(.init(body: .json(.init(items: try await services.staff.users().map(Self.user)))))
    }

    static func user(_ account: UserAccount) -> Components.Schemas.User {
        .init(
            id: account.id.rawValue, username: account.username, displayName: account.displayName,
            department: account.department?.rawValue,
            grants: account.grants.map {
                .init(role: .init(rawValue: $0.role.rawValue)!, department: $0.department?.rawValue)
            },
            language: .init(rawValue: account.language.rawValue)!, active: account.active)
    }
}
