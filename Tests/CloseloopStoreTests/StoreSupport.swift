import CloseloopCore
import CloseloopTestSupport
import Foundation
import SQLKit

@testable import CloseloopStore

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
    /// The highest sequence of `year` given to a complaint, or nil when none was.
    func lastSequence(of year: Int) async throws -> Int? {
        try await numbering(of: year).issued.last
    }

    /// What the year's numbering holds, read directly: the sequences given to complaints and the ones reserved
    /// (PostgreSQL, `SequenceAllocation`), each in order, and the counter.
    func numbering(of year: Int) async throws -> YearNumbering {
        try await database.read { db in
            let issued = try await db.raw(
                "SELECT number_sequence FROM complaints WHERE number_year = \(bind: year) ORDER BY number_sequence"
            ).all().map { try $0.decode(column: "number_sequence", as: Int.self) }
            let reserved =
                database.dialect == .postgres
                ? try await db.raw(
                    "SELECT sequence FROM number_reservations WHERE year = \(bind: year) ORDER BY sequence"
                ).all().map { try $0.decode(column: "sequence", as: Int.self) } : []
            let counter = try await db.raw("SELECT last_sequence FROM number_counters WHERE year = \(bind: year)")
                .first()?.decode(column: "last_sequence", as: Int.self)
            return YearNumbering(issued: issued, reserved: reserved, counter: counter ?? 0)
        }
    }
}

extension SQLStore {
    /// Rewrites every complaint's document with its clocks as objects, as documents were stored before `StoredClock`:
    /// what the old migrations' SQL reads when they fill a new column from the documents.
    func storeClocksAsObjects() async throws {
        let rows = try await database.read { db in
            try await db.raw("SELECT id, document FROM complaints").all().map {
                (try $0.decode(column: "id", as: String.self), try $0.decode(column: "document", as: String.self))
            }
        }
        for (id, document) in rows {
            let record = try StoreCoding.decode(ComplaintRecord.self, from: try StoredDocumentTokens.unpacked(document))
            let before = try StoreCoding.encode(RecordWithClockObjects(record))
            try await execute("UPDATE complaints SET document = \(bind: before) WHERE id = \(bind: id)")
        }
    }
}

/// A complaint's document as it was stored before `StoredClock`: the core's own coding of each clock.
struct RecordWithClockObjects: Encodable {
    var complaint: Complaint
    var clocks: [ClockStatus]
    var nextAlertAt: Date?

    init(_ record: ComplaintRecord) {
        (complaint, clocks, nextAlertAt) = (record.complaint, record.clocks, record.nextAlertAt)
    }
}

extension SQLQueryString.StringInterpolation {
    /// The condition picking a complaint's history rows (keyed by its number, `HistoryKey`), for tampering in tests.
    mutating func appendInterpolation(historyOf id: ComplaintID) {
        appendLiteral("(number_year, number_sequence) = ")
        appendLiteral("(SELECT number_year, number_sequence FROM complaints WHERE id = ")
        appendInterpolation(bind: id.rawValue)
        appendLiteral(")")
    }
}

/// One year's sequences as stored.
struct YearNumbering: Equatable {
    var issued: [Int]
    var reserved: [Int]
    var counter: Int

    /// Every sequence up to the counter is one complaint's or reserved, never both and never twice.
    var accountsForEverySequence: Bool {
        (issued + reserved).sorted() == Array(1..<counter + 1)
    }

    /// No sequence below the highest issued one is free: nothing reserved is lower.
    var isGapFree: Bool {
        accountsForEverySequence && (reserved.first.map { $0 > (issued.last ?? 0) } ?? true)
    }
}
