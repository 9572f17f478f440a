import CloseloopCore
import Foundation
import SQLKit

/// A queue filter a staff member named and kept.
public struct SavedFilter: Hashable, Sendable {
    public var id: String
    public var userID: UserID
    public var name: String
    /// The queue page's query string (`queue=department&priority=P0…`).
    public var query: String
    public var createdAt: Date

    public init(id: String, userID: UserID, name: String, query: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.name = name
        self.query = query
        self.createdAt = createdAt
    }
}

extension SQLStore {
    public func savedFilters(of user: UserID) async throws -> [SavedFilter] {
        try await database.read { db in
            try await db.select().columns("id", "user_id", "name", "query", "created_at").from("saved_filters")
                .where("user_id", .equal, user.rawValue).orderBy("name").all()
                .map { row in
                    SavedFilter(
                        id: try row.decode(column: "id", as: String.self),
                        userID: UserID(try row.decode(column: "user_id", as: String.self)),
                        name: try row.decode(column: "name", as: String.self),
                        query: try row.decode(column: "query", as: String.self),
                        createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)))
                }
        }
    }

    public func saveFilter(_ filter: SavedFilter) async throws {
        try await database.transaction { db in
            try await db.insert(into: "saved_filters").columns("id", "user_id", "name", "query", "created_at")
                .values(
                    SQLBind(filter.id), SQLBind(filter.userID.rawValue), SQLBind(filter.name), SQLBind(filter.query),
                    SQLBind(Timestamp.milliseconds(filter.createdAt))
                )
                .run()
        }
    }

    /// Deletes one of the user's own filters; another user's id is ignored.
    public func deleteFilter(id: String, of user: UserID) async throws {
        try await database.transaction { db in
            try await db.delete(from: "saved_filters").where("id", .equal, id).where("user_id", .equal, user.rawValue)
                .run()
        }
    }
}
