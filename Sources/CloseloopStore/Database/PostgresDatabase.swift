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
        let configuration = try SQLPostgresConfiguration(url: url)
        connections = PooledConnections(
            pool: EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: connectionsPerLoop, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton),
            makeSQL: { $0.sql(queryLogLevel: nil) })
    }

    public func read<Result: Sendable>(
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
