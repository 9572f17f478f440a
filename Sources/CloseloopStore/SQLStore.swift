import CloseloopCore
import Foundation
import SQLKit

/// The one store implementation: plain SQL through SQLKit, the same statements on SQLite and PostgreSQL except for
/// the few dialect corners named after their dialect (search, append-only triggers).
public struct SQLStore: Sendable {
    public let database: any Database
    /// On SQLite, searches with at most this many matches fetch each match and sort; more walk the received-at
    /// index (see `SQLiteTextSearch`).
    public var searchFetchEachMatchUpTo = 2000
    /// On PostgreSQL, a newest-first search of at least this many complaints (the planner's estimate) walks the
    /// newest and then reads windows of weeks (see `PostgresTextSearch`); smaller databases read every match at once.
    public var searchWindowsFrom = 50_000
    /// On PostgreSQL, how many of the newest complaints such a search walks before its first window.
    public var searchWalk = 1_500
    /// Shared by every copy of this store value.
    let decoded: DecodedRecords
    /// Shared by every copy of this store value.
    let actors = HistoryActors()

    /// `keepDecoded`: how many complaint records to keep decoded (`DecodedRecords`), a few kB each.
    public init(database: any Database, keepDecoded: Int = 2_000) {
        self.database = database
        decoded = DecodedRecords(capacity: keepDecoded)
    }

    /// Applies pending migrations.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await Migrator(database: database).migrate()
    }

    /// Fails unless the database answers a trivial query.
    public func ping() async throws {
        _ = try await database.read { db in try await db.raw("SELECT 1 AS ok").first() }
    }

    var textSearch: any TextSearch {
        switch database.dialect {
        case .sqlite: SQLiteTextSearch(fetchEachMatchUpTo: searchFetchEachMatchUpTo)
        case .postgres: PostgresTextSearch(windowsFrom: searchWindowsFrom, walk: searchWalk)
        }
    }
}
