import SQLKit

/// A PostgreSQL primary and a streaming replica of it (`serve --read-database`): every write, every lookup and every
/// ordinary read goes to the primary; only the reads a store marks as analysis (`Database.analysis`: reports,
/// dashboards, the monitoring check, exports, searches) go to the replica, and not even those while the task's
/// caller has just written (`ReadRouting.ownWrites`), so a user never misses their own change on the next page.
public struct ReplicatedDatabase: Database {
    public let primary: any Database
    public let replica: any Database
    public var dialect: SQLDialectKind { primary.dialect }

    public init(primary: any Database, replica: any Database) {
        self.primary = primary
        self.replica = replica
    }

    public func read<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await primary.read(body)
    }

    public func lookup<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await primary.lookup(body)
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await primary.transaction(body)
    }

    public func analysis<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        if ReadRouting.ownWrites { return try await primary.read(body) }
        return try await replica.read(body)
    }

    public func shutdown() async {
        await replica.shutdown()
        await primary.shutdown()
    }
}

/// What a task's reads must see.
public enum ReadRouting {
    /// True while serving a caller who wrote within the last moments (`RecentWriters` in the server): their reads
    /// all go to the primary, which holds what they wrote; a replica may not have replayed it yet.
    @TaskLocal public static var ownWrites = false
}
