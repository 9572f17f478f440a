import CloseloopStore
import CloseloopTestSupport
import SQLKit
import Testing

/// Storage rules: numbered migrations, identical in meaning on both dialects, applied once.
@Suite("Migrations")
struct MigrationTests {
    /// Every migration the store ships, numbered 1, 2, 3… without gaps.
    static let all = Migrations.all.map(\.number)

    @Test("migrations are numbered from 1 without gaps, starting with initial, search and append-only history")
    func numbering() {
        #expect(Array(Self.all.prefix(3)) == [1, 2, 3])
        #expect(Self.all == Array(1...Self.all.count))
    }

    @Test(
        "a fresh database gets migrations 1, 2 and 3, and running again applies nothing",
        arguments: DatabaseKind.available
    )
    func appliesOnce(kind: DatabaseKind) async throws {
        try await withStore(kind, migrated: false) { (store) async throws in
            #expect(try await store.migrate() == Self.all)
            #expect(try await store.migrate() == [])
            #expect(try await Migrator(database: store.database).appliedMigrations() == Self.all)
            // The schema is usable: every table the store writes exists and is empty.
            for table in [
                "complaints", "complaint_events", "number_counters", "idempotency_keys", "users", "api_tokens",
            ] {
                #expect(try await store.count(table) == 0, "\(table)")
            }
        }
    }

    @Test("a second migrator over the same database finds everything applied", arguments: DatabaseKind.available)
    func anotherInstanceAppliesNothing(kind: DatabaseKind) async throws {
        try await withStore(kind, migrated: false) { store in
            try await store.migrate()
            let other = Migrator(database: store.database)
            #expect(try await other.migrate() == [])
            #expect(try await other.appliedMigrations() == Self.all)
        }
    }

    /// Each instance opens the database with its own connections, as separate processes do. Sharing one pool would
    /// test the pool instead: on a loaded machine a migrator queued behind the others' connections for AsyncKit's
    /// 60 s while they waited their turn on the lock.
    @Test("instances starting at once apply each migration exactly once", arguments: DatabaseKind.available)
    func concurrentStartsApplyEachOnce(kind: DatabaseKind) async throws {
        let scratch = try await ScratchDatabase.make(kind)
        let instances = try (0..<4).map { _ in try scratch.openAnother() }
        do {
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for database in instances { group.addTask { try await Migrator(database: database).migrate() } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.sorted() == Self.all)
            // A later start finds nothing left to do.
            #expect(try await Migrator(database: scratch.database).migrate() == [])
            #expect(try await Migrator(database: scratch.database).appliedMigrations() == Self.all)
        } catch {
            for database in instances { await database.shutdown() }
            await scratch.dispose()
            throw error
        }
        for database in instances { await database.shutdown() }
        await scratch.dispose()
    }

    @Test(
        "PostgreSQL's GIN indexes that searches read keep a short pending list (migration 38)",
        arguments: DatabaseKind.available.filter { $0 == .postgres })
    func shortPendingLists(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let options = try await store.database.read { db in
                try await db.raw(
                    """
                    SELECT relname, array_to_string(reloptions, ',') AS options FROM pg_class
                    WHERE relname IN ('complaints_bigrams', 'complaint_search_text_by_week') ORDER BY relname
                    """
                ).all().map {
                    "\(try $0.decode(column: "relname", as: String.self)): "
                        + "\(try $0.decode(column: "options", as: String?.self) ?? "")"
                }
            }
            #expect(
                options == [
                    "complaint_search_text_by_week: gin_pending_list_limit=256",
                    "complaints_bigrams: gin_pending_list_limit=256",
                ])
        }
    }
}
