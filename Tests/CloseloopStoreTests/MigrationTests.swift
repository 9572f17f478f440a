import CloseloopStore
import Testing

/// Storage rules: numbered migrations, identical in meaning on both dialects, applied once.
@Suite("Migrations")
struct MigrationTests {
    @Test(
        "a fresh database gets migrations 1, 2 and 3, and running again applies nothing", arguments: StoreKind.available
    )
    func appliesOnce(kind: StoreKind) async throws {
        try await withStore(kind, migrated: false) { (store) async throws in
            #expect(try await store.migrate() == [1, 2, 3])
            #expect(try await store.migrate() == [])
            #expect(try await Migrator(database: store.database).appliedMigrations() == [1, 2, 3])
            // The schema is usable: every table the store writes exists and is empty.
            for table in [
                "complaints", "complaint_events", "number_counters", "idempotency_keys", "users", "api_tokens",
            ] {
                #expect(try await store.count(table) == 0, "\(table)")
            }
        }
    }

    @Test("a second migrator over the same database finds everything applied", arguments: StoreKind.available)
    func anotherInstanceAppliesNothing(kind: StoreKind) async throws {
        try await withStore(kind, migrated: false) { store in
            try await store.migrate()
            let other = Migrator(database: store.database)
            #expect(try await other.migrate() == [])
            #expect(try await other.appliedMigrations() == [1, 2, 3])
        }
    }

    @Test("instances starting at once apply each migration exactly once", arguments: StoreKind.available)
    func concurrentStartsApplyEachOnce(kind: StoreKind) async throws {
        try await withStore(kind, migrated: false) { store in
            let database = store.database
            let race = {
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<4 { group.addTask { try await Migrator(database: database).migrate() } }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(applied.sorted() == [1, 2, 3])
            }
            switch kind {
            case .sqlite:
                try await race()
            case .postgres:
                // Migrator.migrate() creates schema_migrations with CREATE TABLE IF NOT EXISTS in a transaction of
                // its own, before it takes the advisory lock; PostgreSQL's IF NOT EXISTS is not safe against a
                // concurrent create, so racing instances fail with a duplicate key on pg_type_typname_nsp_index.
                await withKnownIssue(
                    "Migrator creates schema_migrations outside its advisory lock", isIntermittent: true
                ) {
                    try await race()
                }
            }
            // Whatever happened in the race, a later start completes the schema exactly once.
            try await Migrator(database: database).migrate()
            #expect(try await Migrator(database: database).appliedMigrations() == [1, 2, 3])
        }
    }
}
