import CloseloopStore
import Foundation
import Subprocess
import SystemPackage

/// Where the data lives: an SQLite file (the default) or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is an SQLite file path (an optional
    /// `sqlite://` or `sqlite:` prefix is stripped: the benchmark's spelling once made a directory named `sqlite:`).
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// Opens a connection pool to it.
    public func open() throws -> any Database {
        switch self {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return SQLiteDatabase(path: path)
        case .postgres(let url):
            return try PostgresDatabase(url: url)
        }
    }

    /// Applies pending migrations; returns those applied now and the last one in force.
    public func migrate() async throws -> (applied: [Int], current: Int) {
        let database = try open()
        do {
            let migrator = Migrator(database: database)
            let applied = try await migrator.migrate()
            let current = try await migrator.appliedMigrations().last ?? 0
            await database.shutdown()
            return (applied, current)
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// SQLite: rewrites the file without its free pages and returns its size in bytes before and after; nil on
    /// PostgreSQL, which gives a dropped table's space back by itself.
    public func vacuum() async throws -> (before: Int64, after: Int64)? {
        guard case .sqlite(let path) = self else { return nil }
        func size() throws -> Int64 {
            (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        let before = try size()
        let database = SQLiteDatabase(path: path)
        do {
            try await database.vacuum()
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw error
        }
        return (before, try size())
    }

    /// Writes a consistent copy while the server keeps running: SQLite's `VACUUM INTO` (one file), PostgreSQL's
    /// `pg_dump` in custom format (restore with `pg_restore`).
    public func backup(to destination: String) async throws {
        switch self {
        case .sqlite(let path):
            let database = SQLiteDatabase(path: path)
            do {
                try await database.backup(to: destination)
                await database.shutdown()
            } catch {
                await database.shutdown()
                throw error
            }
        case .postgres(let url):
            // pg_dump's own messages go to the operator's terminal, as they did.
            let result = try await Subprocess.run(
                .name("pg_dump"), arguments: ["--format=custom", "--file=\(destination)", url],
                output: .currentStandardOutput, error: .currentStandardError)
            guard result.terminationStatus.isSuccess else {
                throw BackupFailure(status: ChildExit.code(result.terminationStatus))
            }
        }
    }
}

/// `pg_dump` ended with an error (it printed why).
public struct BackupFailure: Error, Sendable {
    public var status: Int32
}
