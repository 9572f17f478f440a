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
        guard await services.signInLimiter.allow(body.username, at: services.time.now()) else {
            throw APIError.rateLimited
        }
        guard
            let issued = try await services.tokens.signIn(
                username: body.username, password: body.password, tokenName: body.name ?? "api")
        else {
            await services.signInLimiter.recordFailure(body.username, at: services.time.now())
            throw APIError.badCredentials
        }
        await services.signInLimiter.reset(body.username)
        return .created(.init(body: .json(.init(token: issued.token, expiresAt: issued.expiresAt))))
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        .ok(.init(body: .json(Self.user(try Identity.requireUser()))))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        _ = try Identity.requireUser()
        return .ok(.init(body: .json(.init(items: try await store.users().map(Self.user)))))
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
