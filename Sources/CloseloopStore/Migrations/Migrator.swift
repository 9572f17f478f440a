import Foundation
import SQLKit

/// Applies the numbered migrations that have not run yet, each in its own transaction.
public struct Migrator: Sendable {
    public let database: any Database
    public let migrations: [Migration]

    public init(database: any Database, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    /// Applies what is pending and returns the numbers applied. Safe when several instances start at once: on
    /// PostgreSQL an advisory lock serialises them, on SQLite the single writer does.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let dialect = database.dialect
        try await database.transaction { db in
            // PostgreSQL's IF NOT EXISTS is not safe against a concurrent CREATE; the lock makes it so.
            if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7301001)").run() }
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let ran = try await database.transaction { db in
                if dialect == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(7301001)").run()
                }
                let done = try await db.raw(
                    "SELECT number FROM schema_migrations WHERE number = \(bind: migration.number)"
                )
                .first()
                if done != nil { return false }
                for statement in migration.statements(dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (number, name, applied_at)
                    VALUES (\(bind: migration.number), \(bind: migration.name), \(bind: Timestamp.now()))
                    """
                ).run()
                return true
            }
            if ran { applied.append(migration.number) }
        }
        return applied
    }

    /// The numbers already applied.
    public func appliedMigrations() async throws -> [Int] {
        try await database.read { db in
            try await db.raw("SELECT number FROM schema_migrations ORDER BY number").all().map {
                try $0.decode(column: "number", as: Int.self)
            }
        }
    }
}
