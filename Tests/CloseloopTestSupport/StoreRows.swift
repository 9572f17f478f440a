import CloseloopStore
import SQLKit

/// Reading and writing a store's rows behind its API, for the store's and the server's tests alike.
extension SQLStore {
    /// Runs one statement in a transaction of its own: seeding and tampering that the store's API does not offer.
    public func execute(_ statement: SQLQueryString) async throws {
        try await database.transaction { try await $0.raw(statement).run() }
    }

    /// The number of rows of `table`, read directly.
    public func count(_ table: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
    }
}
