import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Staff logins, their role grants and their API tokens.
@Suite("Users and API tokens")
struct UserTests {
    typealias F = StoreFixtures

    static func account(
        _ username: String, id: String? = nil, department: DepartmentID? = F.callCentre,
        grants: [RoleGrant] = [RoleGrant(.agent)], language: Language = .zhHans, active: Bool = true
    ) -> UserAccount {
        UserAccount(
            id: UserID(id ?? "u-\(username)"), username: username, displayName: "显示名 \(username)",
            passwordHash: "$2b$12$abcdefghijklmnopqrstuv\(username)", department: department, grants: grants,
            language: language, active: active, createdAt: F.mondayMorning)
    }

    @Test("created users read back by id, by username and in the list", arguments: DatabaseKind.available)
    func createGetList(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let zhou = Self.account(
                "zhou.min", grants: [RoleGrant(.agent), RoleGrant(.handler, in: F.afterSales)], language: .en)
            let admin = Self.account("admin", department: nil, grants: [RoleGrant(.administrator)])
            let li = Self.account("li.na")
            for user in [zhou, admin, li] { try await store.createUser(user) }

            #expect(try await store.user(id: zhou.id) == zhou)
            #expect(try await store.user(username: "admin") == admin)
            #expect(try await store.user(username: "nobody") == nil)
            #expect(try await store.user(id: UserID("u-nobody")) == nil)
            #expect(try await store.users() == [admin, li, zhou])
            #expect(try await store.user(id: zhou.id)?.staffMember.holds(.handler, for: F.afterSales) == true)
        }
    }

    @Test("a username is taken only once", arguments: DatabaseKind.available)
    func usernameTaken(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let first = Self.account("li.na")
            try await store.createUser(first)
            await #expect(throws: StoreError.usernameTaken("li.na")) {
                try await store.createUser(Self.account("li.na", id: "u-another"))
            }
            #expect(try await store.users() == [first])
            #expect(try await store.user(id: UserID("u-another")) == nil)
        }
    }

    @Test("grants and department are replaced", arguments: DatabaseKind.available)
    func setGrants(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let user = Self.account("zhao.lei")
            try await store.createUser(user)
            let grants = [RoleGrant(.handler, in: F.afterSales), RoleGrant(.departmentManager, in: F.afterSales)]
            try await store.setGrants(grants, department: F.afterSales, for: "zhao.lei")
            var expected = user
            expected.grants = grants
            expected.department = F.afterSales
            #expect(try await store.user(username: "zhao.lei") == expected)

            try await store.setGrants([], department: nil, for: "zhao.lei")
            expected.grants = []
            expected.department = nil
            #expect(try await store.user(username: "zhao.lei") == expected)

            await #expect(throws: StoreError.userNotFound("nobody")) {
                try await store.setGrants([RoleGrant(.agent)], department: nil, for: "nobody")
            }
        }
    }

    @Test("a token finds its user until it expires", arguments: DatabaseKind.available)
    func tokenExpiry(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let user = Self.account("li.na")
            try await store.createUser(user)
            let created = F.mondayMorning
            let expires = F.instant("2026-05-13T09:00:00+08:00")
            try await store.createToken(
                hash: "hash-expiring", for: user.id, name: "CRM", createdAt: created, expiresAt: expires)
            try await store.createToken(
                hash: "hash-forever", for: user.id, name: "BI", createdAt: created, expiresAt: nil)

            #expect(try await store.user(forTokenHash: "hash-expiring", at: created) == user)
            #expect(try await store.user(forTokenHash: "hash-expiring", at: expires.addingTimeInterval(-1)) == user)
            #expect(try await store.user(forTokenHash: "hash-expiring", at: expires) == nil)
            #expect(try await store.user(forTokenHash: "hash-expiring", at: expires.addingTimeInterval(86_400)) == nil)
            #expect(
                try await store.user(forTokenHash: "hash-forever", at: F.instant("2036-01-01T00:00:00+08:00")) == user)
            #expect(try await store.user(forTokenHash: "hash-unknown", at: created) == nil)
        }
    }

    @Test("an inactive user's token finds nobody", arguments: DatabaseKind.available)
    func inactiveUser(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let former = Self.account("former", active: false)
            try await store.createUser(former)
            try await store.createToken(
                hash: "hash-former", for: former.id, name: "old", createdAt: F.mondayMorning, expiresAt: nil)
            #expect(try await store.user(forTokenHash: "hash-former", at: F.mondayMorning) == nil)
            #expect(try await store.user(username: "former")?.active == false)
        }
    }
}
