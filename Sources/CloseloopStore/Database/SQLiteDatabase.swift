import Logging
import SQLKit

/// The embedded default: one SQLite file in WAL mode. Writes go through a single connection, so they queue
/// instead of failing with SQLITE_BUSY, and concurrent ones share a commit (`GroupCommitWriter`); reads use a small
/// pool that never blocks the writer. Every connection has a thread of its own and runs its statements there in
/// place, compiled once (`SQLiteHandle`).
public struct SQLiteDatabase: Database {
    public let dialect = SQLDialectKind.sqlite
    public let path: String
    private let committer: GroupCommitWriter
    private let readers: SQLiteReaders

    /// Opens (creating if needed) the database file at `path`; connections open when first used.
    public init(path: String, readerCount: Int = 4, logger: Logger = Logger(label: "closeloop.sqlite")) {
        self.path = path
        committer = GroupCommitWriter(thread: SQLiteThread(name: "sqlite-writer")) {
            SQLiteSession(handle: try Self.open(path), logger: logger)
        }
        readers = SQLiteReaders(capacity: readerCount, logger: logger) { try Self.open(path) }
    }

    public func read<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await readers.withReader { try await body($0) }
    }

    public func lookup<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await readers.withReaderInPlace { try await body($0) }
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await committer.transaction(body)
    }

    /// Write transactions committed so far and the commits they took (their ratio is the group-commit batch size).
    public func writeStatistics() async -> (transactions: Int, commits: Int) {
        (committer.transactions, committer.commits)
    }

    /// Write transactions waiting for the next commit.
    public func waitingWrites() async -> Int { committer.waiting }

    /// A consistent copy of the live database in one file (`VACUUM INTO`), taken without stopping writers.
    public func backup(to path: String) async throws {
        try await read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
    }

    /// Rewrites the file without its free pages (`VACUUM`), giving them back to the disk; SQLite otherwise keeps them
    /// for later writes. It holds the write lock throughout, so it is for `closeloop migrate --vacuum` with the server
    /// stopped.
    public func vacuum() async throws {
        try await read { db in
            try await db.raw("VACUUM").run()
            // In WAL mode the rewritten pages are in the log; the file shrinks when they are copied back.
            try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
        }
    }

    public func shutdown() async {
        readers.close()
        committer.close()
    }

    /// A connection with the settings Closeloop relies on: WAL, a busy timeout, full fsync, foreign keys, and
    /// savepoints' journals in memory (a group commit may open one per transaction). The log is copied back into
    /// the database every 40,000 pages (160 MB) rather than SQLite's 1,000: the index pages every intake touches are
    /// then copied once per checkpoint instead of forty times, and the writer stops for a checkpoint a fortieth as
    /// often (intake at 8 clients, 1 M complaints: about 1,400 → 2,000 a second). The busy timeout comes first: turning
    /// a new file to WAL takes its lock, and a second instance opening the file at that moment must wait for it, not
    /// fail with "database is locked".
    private static func open(_ path: String) throws -> SQLiteHandle {
        let handle = try SQLiteHandle(path: path)
        for setting in [
            "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 40000",
        ] {
            try handle.execute(setting)
        }
        return handle
    }
}
