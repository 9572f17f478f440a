import CloseloopCore
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@_spi(Tools) @testable import CloseloopApp

/// Who may call what: bearer tokens, sign-in with its rate limit, token expiry and role checks.
@Suite("Authentication and roles")
struct AuthenticationTests {
    @Test("A staff route without a token is refused with auth.required", arguments: DatabaseKind.available)
    func noToken(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            for path in ["/complaints", "/me", "/departments", "/users"] {
                let problem = try await server.send(.get, path).problem(.unauthorized)
                #expect(problem.code == "auth.required", "\(path)")
            }
            let create = try await server.send(.post, "/complaints", json: TestServer.complaintFields())
                .problem(.unauthorized)
            #expect(create.code == "auth.required")
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test(
        "A token that is not ours is refused with 401",
        arguments: DatabaseKind.available,
        [
            "Bearer cl_not-a-real-token", "Bearer nonsense", "Basic emhhbmd3ZWk6cGFzc3dvcmQ=", "Bearer", "cl_abc",
        ])
    func badToken(kind: DatabaseKind, authorization: String) async throws {
        try await withServer(kind) { server in
            let problem = try await server.send(.get, "/me", authorization: authorization).problem(.unauthorized)
            #expect(problem.code == "auth.required")
            // Even on a public route, a presented but invalid token is refused rather than ignored.
            #expect(try await server.send(.get, "/health", authorization: authorization).status == .unauthorized)
        }
    }

    @Test(
        "Signing in returns a token that works; a wrong password is auth.bad_credentials",
        arguments: DatabaseKind.available)
    func signIn(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let issued = try await server.send(
                .post, "/auth/tokens", json: ["username": Staff.agent, "password": Staff.password, "name": "laptop"]
            ).expect(.created, TokenBody.self)
            #expect(issued.expiresAt == Instants.wednesdayMorning.addingTimeInterval(12 * 3600))
            let me = try await server.send(.get, "/me", authorization: "Bearer \(issued.token)")
            #expect(me.status == .ok)
            #expect(me.text.contains("\"\(Staff.agent)\""))

            let wrong = try await server.send(
                .post, "/auth/tokens", json: ["username": Staff.agent, "password": "not-the-password"]
            ).problem(.unauthorized)
            #expect(wrong.code == "auth.bad_credentials")
            // An unknown username gets exactly the same answer, so usernames cannot be probed.
            let unknown = try await server.send(
                .post, "/auth/tokens", json: ["username": "ghost", "password": "not-the-password"]
            ).problem(.unauthorized)
            #expect(unknown.code == wrong.code)
            #expect(unknown.detail == wrong.detail)
        }
    }

    @Test(
        "Five failed sign-ins lock the username out with 429 until the window passes", arguments: DatabaseKind.available
    )
    func rateLimited(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let wrong: [String: any Sendable] = ["username": Staff.agent, "password": "guess-guess"]
            let right: [String: any Sendable] = ["username": Staff.agent, "password": Staff.password]
            for attempt in 1...5 {
                let problem = try await server.send(.post, "/auth/tokens", json: wrong).problem(.unauthorized)
                #expect(problem.code == "auth.bad_credentials", "attempt \(attempt)")
            }
            let locked = try await server.send(.post, "/auth/tokens", json: wrong).problem(.tooManyRequests)
            #expect(locked.code == "auth.rate_limited")
            // Even the right password waits out the window.
            #expect(
                try await server.send(.post, "/auth/tokens", json: right).problem(.tooManyRequests).code
                    == "auth.rate_limited")
            // Another username is not affected.
            #expect(
                try await server.send(
                    .post, "/auth/tokens", json: ["username": Staff.supervisor, "password": Staff.password]
                ).status == .created)
            server.time.advance(by: 5 * 60 + 1)
            #expect(try await server.send(.post, "/auth/tokens", json: right).status == .created)
        }
    }

    @Test("A token stops working when it expires", arguments: DatabaseKind.available)
    func expiredToken(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let issued = try await server.services.tokens.issue(for: UserID(Staff.agent), name: "short", lifetime: 3600)
            #expect(issued.expiresAt == Instants.wednesdayMorning.addingTimeInterval(3600))
            let bearer = "Bearer \(issued.token)"
            #expect(try await server.send(.get, "/complaints", authorization: bearer).status == .ok)
            server.time.advance(by: 3599)
            #expect(try await server.send(.get, "/complaints", authorization: bearer).status == .ok)
            server.time.advance(by: 2)
            let problem = try await server.send(.get, "/complaints", authorization: bearer).problem(.unauthorized)
            #expect(problem.code == "auth.required")
        }
    }

    @Test("Only administrators list users", arguments: DatabaseKind.available)
    func administratorOnly(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            for user in [Staff.agent, Staff.supervisor, Staff.handler, Staff.generalManager, Staff.roleless] {
                let problem = try await server.send(.get, "/users", as: user).problem(.forbidden)
                #expect(problem.code == "auth.forbidden", "\(user)")
            }
            let users = try await server.send(.get, "/users", as: Staff.admin)
            #expect(users.status == .ok)
            #expect(users.text.contains("\"\(Staff.handler)\""))
            #expect(!users.text.contains("passwordHash"))
            #expect(!users.text.contains("$2b$"))
        }
    }

    @Test(
        "Roles decide the actions: an agent cannot assign, a handler cannot record intake",
        arguments: DatabaseKind.available)
    func roleChecks(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.reaching("validated")
            let assignment: [String: any Sendable] = [
                "category": "after_sales", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                "owner": Staff.agent,
            ]
            #expect(!complaint.actions.contains("assign"))
            let refused = try await server.act("assign", on: complaint, as: Staff.agent, assignment).problem(.forbidden)
            #expect(refused.code == "action.not_allowed")
            #expect(try await server.complaint(complaint.id, as: Staff.agent).version == complaint.version)

            // A handler may read but not record complaints; a user with no role may do neither.
            let handlerCreate = try await server.send(
                .post, "/complaints", as: Staff.handler, json: TestServer.complaintFields())
            #expect(try handlerCreate.problem(.forbidden).code == "auth.forbidden")
            #expect(
                try await server.send(.get, "/complaints", as: Staff.roleless).problem(.forbidden).code
                    == "auth.forbidden")
            #expect(try await server.send(.get, "/complaints/\(complaint.id)", as: Staff.roleless).status == .forbidden)
            #expect(try await server.complaintCount() == 1)

            // A handler of another department has no department rights on it once assigned.
            complaint = try await server.perform("assign", on: complaint, as: Staff.supervisor, assignment)
            let outsider = try await server.complaint(complaint.id, as: Staff.logisticsHandler)
            #expect(outsider.actions == ["add_note"])
            let analysis: [String: any Sendable] = ["problemType": "x", "rootCause": "other", "findings": "y"]
            #expect(
                try await server.act("submit-analysis", on: complaint, as: Staff.logisticsHandler, analysis)
                    .problem(.forbidden).code == "action.not_allowed")
            #expect(try await server.act("submit-analysis", on: complaint, as: Staff.manager, analysis).status == .ok)
        }
    }
}
