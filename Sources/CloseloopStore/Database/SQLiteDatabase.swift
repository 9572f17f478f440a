import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// The embedded default: one SQLite file in WAL mode. Writes go through a single connection, so they queue
/// instead of failing with SQLITE_BUSY, and concurrent ones share a commit (`GroupCommitWriter`); reads use a small
/// pool that never blocks the writer.
public struct SQLiteDatabase: Database {
    public let dialect = SQLDialectKind.sqlite
    public let path: String
    private let writer: PooledConnections<TunedSQLiteSource>
    private let committer: GroupCommitWriter
    private let readers: PooledConnections<TunedSQLiteSource>
    private let writerLoop: MultiThreadedEventLoopGroup

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String, readerCount: Int = 4, logger: Logger = Logger(label: "closeloop.sqlite")) {
        self.path = path
        let source = TunedSQLiteSource(base: SQLiteConnectionSource(configuration: .init(storage: .file(path: path))))
        writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        writer = PooledConnections(
            // Writers queue for the one connection; under a burst the queue is the point, so a waiter gives up
            // only after a minute rather than AsyncKit's default ten seconds.
            pool: EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: 1, requestTimeout: .seconds(60), logger: logger,
                on: writerLoop),
            makeSQL: { $0.sql(queryLogLevel: nil) })
        committer = GroupCommitWriter(connections: writer)
        readers = PooledConnections(
            pool: EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: max(1, readerCount / System.coreCount), logger: logger,
                on: MultiThreadedEventLoopGroup.singleton),
            makeSQL: { $0.sql(queryLogLevel: nil) })
    }

    public func read<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await readers.withConnection(body)
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await committer.transaction(body)
    }

    /// Write transactions committed so far and the commits they took (their ratio is the group-commit batch size).
    public func writeStatistics() async -> (transactions: Int, commits: Int) {
        (await committer.transactions, await committer.commits)
    }

    /// Write transactions waiting for the next commit.
    public func waitingWrites() async -> Int { await committer.waiting }

    /// A consistent copy of the live database in one file (`VACUUM INTO`), taken without stopping writers.
    public func backup(to path: String) async throws {
        try await read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
    }

    public func shutdown() async {
        await readers.shutdown()
        await writer.shutdown()
        try? await writerLoop.shutdownGracefully()
    }
}

/// Opens SQLite connections with the settings Closeloop relies on: WAL, a busy timeout, full fsync, foreign keys.
struct TunedSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            let pragmas = [
                "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 10000", "PRAGMA synchronous = FULL",
                "PRAGMA foreign_keys = ON",
            ]
            return pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                previous.flatMap { connection.query(pragma).map { _ in } }
            }.map { connection }
        }
    }
}
