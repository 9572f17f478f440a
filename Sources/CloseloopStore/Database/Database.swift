import SQLKit

/// A pool of connections to one database, SQLite or PostgreSQL, used through SQLKit.
public protocol Database: Sendable {
    var dialect: SQLDialectKind { get }
    /// Runs `body` on a connection suited to reading.
    func read<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws
        -> Result
    /// Runs `body` inside one transaction on one connection: everything is committed together or not at all.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result
    /// Closes every connection.
    func shutdown() async
}
