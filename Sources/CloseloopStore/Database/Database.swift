import SQLKit

/// A pool of connections to one database, SQLite or PostgreSQL, used through SQLKit.
public protocol Database: Sendable {
    var dialect: SQLDialectKind { get }
    /// Runs `body` on a connection suited to reading.
    func read<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws
        -> Result
    /// Runs `body`, a read of a few rows by key (a token, a complaint by id, its history), where the caller is:
    /// for reads that take microseconds, a switch to a reader's thread and back costs more than the read.
    func lookup<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws
        -> Result
    /// Runs `body` inside one transaction on one connection: everything is committed together or not at all.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result
    /// Runs `body`, a read over many rows whose reader accepts an answer a moment behind the last write (reports,
    /// dashboards, the monitoring check, exports, searches): served by a read replica when one is configured
    /// (`ReplicatedDatabase`), by `read` otherwise.
    func analysis<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws
        -> Result
    /// Closes every connection.
    func shutdown() async
}

extension Database {
    public func analysis<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await read(body)
    }
}
