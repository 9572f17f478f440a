@preconcurrency import AsyncKit
import Logging
import Metrics
import NIOCore
import SQLKit

/// A connection pool whose connections speak SQLKit, with the transaction statements of its dialect.
///
/// `@unchecked Sendable` because AsyncKit's pool guards its state with its own lock and per-event-loop pools but
/// does not declare the conformance for its generic type.
struct PooledConnections<Source: ConnectionPoolSource>: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase
    /// How long callers queue for a connection: a pool too small for the load shows here first (`/metrics`). Made
    /// with the pool, once, rather than looked up in the metrics registry on every query; `serve` bootstraps the
    /// metrics before it opens the database.
    let connectionWaits = Timer(label: "closeloop_database_connection_wait_seconds")

    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let asked = ContinuousClock.now
        return try await pool.withConnection { connection in
            connectionWaits.record(duration: ContinuousClock.now - asked)
            let database = makeSQL(connection)
            return connection.eventLoop.makeFutureWithTask { try await body(database) }
        }.get()
    }

    func withTransaction<Result: Sendable>(
        begin: String,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withConnection { database in
            try await database.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func shutdown() async {
        try? await pool.shutdownAsync()
    }
}
