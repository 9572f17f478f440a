import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    public func createUser(_ user: UserAccount) async throws {
        do {
            try await database.transaction { db in
                try await db.insert(into: "users")
                    .columns(
                        "id", "username", "display_name", "password_hash", "department", "grants", "language", "active",
                        "created_at"
                    )
                    .values(
                        SQLBind(user.id.rawValue), SQLBind(user.username), SQLBind(user.displayName),
                        SQLBind(user.passwordHash), SQLBind(user.department?.rawValue),
                        SQLBind(try StoreCoding.encode(user.grants)), SQLBind(user.language.rawValue),
                        SQLBind(user.active ? 1 : 0), SQLBind(Timestamp.milliseconds(user.createdAt))
                    )
                    .run()
            }
        } catch {
            if try await self.user(username: user.username) != nil { throw StoreError.usernameTaken(user.username) }
            throw error
        }
    }

    public func user(id: UserID) async throws -> UserAccount? {
        try await users(where: "id", id.rawValue).first
    }

    public func user(username: String) async throws -> UserAccount? {
        try await users(where: "username", username).first
    }

    public func users() async throws -> [UserAccount] {
        try await users(where: nil, "")
    }

    /// Every active staff member's id and display name, in username order: what intake searches the customer's
    /// words for, read on every intake without the rest of each account.
    public func activeStaffNames() async throws -> [(id: UserID, name: String)] {
        try await database.lookup { db in
            try await db.raw("SELECT id, display_name FROM users WHERE active = 1 ORDER BY username").all().map {
                (
                    UserID(try $0.decode(column: "id", as: String.self)),
                    try $0.decode(column: "display_name", as: String.self)
                )
            }
        }
    }

    private func users(where column: String?, _ value: String) async throws -> [UserAccount] {
        try await database.lookup { db in
            let select = db.select()
                .columns(
                    "id", "username", "display_name", "password_hash", "department", "grants", "language", "active",
                    "created_at"
                )
                .from("users")
            if let column { select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
            return try await select.orderBy("username").all().map(Self.decodeUser)
        }
    }

    static func decodeUser(_ row: any SQLRow) throws -> UserAccount {
        UserAccount(
            id: UserID(try row.decode(column: "id", as: String.self)),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
            grants: try DecodedGrants.grants(try row.decode(column: "grants", as: String.self)),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .zhHans,
            active: try row.decode(column: "active", as: Int.self) != 0,
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)))
    }

    /// Replaces a user's role grants (and department, when given).
    public func setGrants(_ grants: [RoleGrant], department: DepartmentID?, for username: String) async throws {
        let found = try await database.transaction { db in
            try await db.update("users")
                .set("grants", to: try StoreCoding.encode(grants))
                .set("department", to: department?.rawValue)
                .where("username", .equal, username)
                .returning("id").first() != nil
        }
        if !found { throw StoreError.userNotFound(username) }
    }

    /// Saves a user's changeable fields (name, department, roles, language, active, password hash) by id.
    public func updateUser(_ user: UserAccount) async throws {
        let found = try await database.transaction { db in
            try await db.update("users")
                .set("display_name", to: user.displayName)
                .set("department", to: user.department?.rawValue)
                .set("grants", to: try StoreCoding.encode(user.grants))
                .set("language", to: user.language.rawValue)
                .set("active", to: user.active ? 1 : 0)
                .set("password_hash", to: user.passwordHash)
                .where("id", .equal, user.id.rawValue)
                .returning("id").first() != nil
        }
        if !found { throw StoreError.userNotFound(user.username) }
    }

    // MARK: - API tokens

    /// Stores a token's hash (the token itself is shown once and never kept).
    public func createToken(hash: String, for user: UserID, name: String, createdAt: Date, expiresAt: Date?)
        async throws
    {
        try await database.transaction { db in
            try await db.insert(into: "api_tokens")
                .columns("token_hash", "user_id", "name", "created_at", "expires_at")
                .values(
                    SQLBind(hash), SQLBind(user.rawValue), SQLBind(name), SQLBind(Timestamp.milliseconds(createdAt)),
                    SQLBind(expiresAt.map(Timestamp.milliseconds))
                )
                .run()
        }
    }

    /// The active user a token belongs to, if the token exists and has not expired at `now`. Written as SQL text:
    /// it runs for every API request, and SQLKit's builder quoted its identifiers at a tenth of its cost.
    public func user(forTokenHash hash: String, at now: Date) async throws -> UserAccount? {
        try await database.lookup { db in
            try await db.raw(
                """
                SELECT users.id, users.username, users.display_name, users.password_hash, users.department,
                    users.grants, users.language, users.active, users.created_at
                FROM api_tokens JOIN users ON api_tokens.user_id = users.id
                WHERE api_tokens.token_hash = \(bind: hash) AND users.active = 1
                    AND (api_tokens.expires_at IS NULL OR api_tokens.expires_at > \(bind: Timestamp.milliseconds(now)))
                LIMIT 1
                """
            ).first().map(Self.decodeUser)
        }
    }
}
