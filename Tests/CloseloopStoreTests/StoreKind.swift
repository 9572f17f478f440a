import CloseloopStore
import Foundation
import SQLKit

/// The dialects the store suite runs against. Every store test takes one as its argument, so the same cases run on
/// SQLite (a temporary file per test) and on PostgreSQL (a database of its own per test).
///
/// PostgreSQL runs when `CLOSELOOP_TEST_POSTGRES_URL` names a server, e.g.
/// `postgres://postgres@127.0.0.1:55432/closeloop_test?sslmode=disable` (start one with
/// `scripts/postgres-test-cluster.sh start DIR PORT`). With `CLOSELOOP_REQUIRE_POSTGRES=1` and no URL, every
/// PostgreSQL case fails instead of being left out.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    static let postgresURLVariable = "CLOSELOOP_TEST_POSTGRES_URL"
    static let requirePostgresVariable = "CLOSELOOP_REQUIRE_POSTGRES"

    var description: String { rawValue }

    /// SQLite always; PostgreSQL when a server is given or required.
    static var available: [StoreKind] {
        postgresURL != nil || postgresRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else { return nil }
        return url
    }

    static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment[requirePostgresVariable] == "1"
    }
}

/// Why a scratch database could not be opened.
enum ScratchDatabaseError: Error, CustomStringConvertible {
    case postgresURLMissing
    case badPostgresURL(String)

    var description: String {
        switch self {
        case .postgresURLMissing:
            "\(StoreKind.requirePostgresVariable)=1 but \(StoreKind.postgresURLVariable) is not set; start a server "
                + "with scripts/postgres-test-cluster.sh and set it to e.g. "
                + "postgres://postgres@127.0.0.1:55432/closeloop_test?sslmode=disable"
        case .badPostgresURL(let url): "\(StoreKind.postgresURLVariable) is not a usable URL: \(url)"
        }
    }
}

/// An empty database that exists for one test and is thrown away after it.
struct ScratchDatabase: Sendable {
    let database: any Database
    /// Shuts the database down and removes it (the file, or the PostgreSQL database).
    let dispose: @Sendable () async -> Void

    static func make(_ kind: StoreKind) async throws -> ScratchDatabase {
        switch kind {
        case .sqlite: try sqlite()
        case .postgres: try await postgres()
        }
    }

    private static func sqlite() throws -> ScratchDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-store-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = SQLiteDatabase(path: directory.appendingPathComponent("closeloop.sqlite").path)
        return ScratchDatabase(database: database) {
            await database.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Creates a database of its own on the server of `CLOSELOOP_TEST_POSTGRES_URL`, so tests run in parallel
    /// without seeing each other's rows, triggers or counters.
    private static func postgres() async throws -> ScratchDatabase {
        guard let serverURL = StoreKind.postgresURL else { throw ScratchDatabaseError.postgresURLMissing }
        guard var components = URLComponents(string: serverURL) else {
            throw ScratchDatabaseError.badPostgresURL(serverURL)
        }
        let name = "closeloop_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        components.path = "/" + name
        guard let testURL = components.string else { throw ScratchDatabaseError.badPostgresURL(serverURL) }

        let server = try PostgresDatabase(url: serverURL, connectionsPerLoop: 1)
        do {
            try await server.read { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
        } catch {
            await server.shutdown()
            throw error
        }
        let database: PostgresDatabase
        do {
            database = try PostgresDatabase(url: testURL, connectionsPerLoop: 2)
        } catch {
            await server.shutdown()
            throw error
        }
        return ScratchDatabase(database: database) {
            await database.shutdown()
            try? await server.read { try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
            await server.shutdown()
        }
    }
}

/// Runs `body` with a store over a fresh database of `kind` (migrated unless `migrated` is false), and always shuts
/// the database down afterwards, whether `body` succeeded or not.
func withStore<Value>(
    _ kind: StoreKind, migrated: Bool = true, _ body: (SQLStore) async throws -> Value
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
