import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit

/// Runs `body` with a store over a fresh database of `kind` (migrated unless `migrated` is false), and always shuts
/// the database down afterwards, whether `body` succeeded or not.
func withStore<Value>(
    _ kind: DatabaseKind, migrated: Bool = true, _ body: (SQLStore) async throws -> Value
) async throws -> Value {
    let scratch = try await ScratchDatabase.make(kind)
    let store = SQLStore(database: scratch.database)
    do {
        if migrated { try await store.migrate() }
        let result = try await body(store)
        await scratch.dispose()
        return result
    } catch {
        await scratch.dispose()
        throw error
    }
}

extension SQLStore {
    /// Runs one statement in a transaction of its own: seeding and tampering that the store's API does not offer.
    func execute(_ statement: SQLQueryString) async throws {
        try await database.transaction { try await $0.raw(statement).run() }
    }

    /// The number of rows of `table`, read directly.
    func count(_ table: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
    }

    /// The last sequence handed out for `year`, or nil when none was.
    func lastSequence(of year: Int) async throws -> Int? {
        try await database.read { db in
            try await db.raw("SELECT last_sequence FROM number_counters WHERE year = \(bind: year)").first()?
                .decode(column: "last_sequence", as: Int.self)
        }
    }
}
