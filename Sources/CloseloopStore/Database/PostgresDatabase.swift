import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// PostgreSQL, for companies that run several Closeloop instances against one primary.
public struct PostgresDatabase: Database {
    public let dialect = SQLDialectKind.postgres
    private let connections: PooledConnections<PostgresConnectionSource>

    /// Connects with a URL such as `postgres://user:password@127.0.0.1:5432/closeloop`.
    public init(url: String, connectionsPerLoop: Int = 4, logger: Logger = Logger(label: "closeloop.postgres")) throws {
        var configuration = try SQLPostgresConfiguration(url: url)
        // PostgresNIO gives up on a new connection after 10 s. A checkpoint's writes on a busy disk stalled new
        // backends' start for longer than that (12 s, in a full test run on this machine), failing requests that
        // the pool's 60 s would have let wait.
        configuration.coreConfiguration.options.connectTimeout = .seconds(30)
        connections = PooledConnections(
            pool: EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                // A burst of intake queues for a connection (each holding the year's number row in turn) rather
                // than failing after AsyncKit's default 10 s on a busy machine; the same patience as SQLite's writer.
                maxConnectionsPerEventLoop: connectionsPerLoop, requestTimeout: .seconds(60), logger: logger,
                on: MultiThreadedEventLoopGroup.singleton),
            makeSQL: { PostgresSQLConnection($0) })
    }

    public func read<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await connections.withConnection(body)
    }

    public func lookup<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await connections.withConnection(body)
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await connections.withTransaction(begin: "BEGIN", body)
    }

    public func shutdown() async {
        await connections.shutdown()
    }
}
