import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// Migration 11: what the monitoring report reads of a complaint is kept in indexed columns, written with every
/// change, filled from the documents for rows from before, and read back as the report's entries.
@Suite("Monitoring columns")
struct MonitoringColumnsTests {
    static let columns = ["resolution_due_at", "verified_at", "resolution_late", "first_response_late"]

    /// A complaint received on Monday morning and one assigned then, with clocks running and stopped.
    func seed(_ store: SQLStore) async throws -> [ComplaintRecord] {
        let desk = ComplaintDesk(store: store)
        let monday = StoreFixtures.mondayMorning
        let waiting = try await desk.receive(StoreFixtures.intake(), at: monday).record
        let assigned = try await desk.receive(StoreFixtures.intake(), at: monday.addingTimeInterval(600)).record
        let after = try await desk.assign(
            assigned.complaint.id, StoreFixtures.assignment(), at: monday.addingTimeInterval(900))
        return [waiting, after]
    }

    func read(_ store: SQLStore) async throws -> [[Int64?]] {
        try await store.database.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM complaints ORDER BY number"
            )
            .all().map { row in try Self.columns.map { try row.decode(column: $0, as: Int64?.self) } }
        }
    }

    @Test("the migration fills from each document's clocks what the store writes", arguments: DatabaseKind.available)
    func backfill(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            _ = try await seed(store)
            let written = try await read(store)
            #expect(written.contains { $0[0] != nil } && written.contains { $0[3] != nil })
            try await store.execute(
                "UPDATE complaints SET \(unsafeRaw: Self.columns.map { "\($0) = NULL" }.joined(separator: ", "))")
            #expect(try await read(store).allSatisfy { $0.allSatisfy { $0 == nil } })
            let backfill = try #require(
                Migrations.all.first { $0.name == "monitoring" }?.statements(store.database.dialect)
                    .first { $0.hasPrefix("UPDATE") })
            try await store.execute(SQLQueryString(stringLiteral: backfill))
            #expect(try await read(store) == written)
        }
    }

    @Test(
        "a day's entries are those of the domain's own reading, and only the complaints the day counts",
        arguments: DatabaseKind.available)
    func entries(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let records = try await seed(store)
            let calendar = BusinessCalendar.chinaMainland
            let monday = calendar.localDate(of: StoreFixtures.mondayMorning)
            let span = MonitoringReport.Span(day: monday, windowDays: 7, calendar: calendar)
            let expected = records.map { MonitoringReport.Entry($0.complaint, clocks: $0.clocks) }
            let read = try await store.monitoringEntries(for: span).sorted { $0.number < $1.number }
            #expect(read == expected.sorted { $0.number < $1.number })
            // A week earlier nothing was received, closed, due or verified, and no first response was owed yet.
            let before = MonitoringReport.Span(day: monday.adding(days: -7), windowDays: 7, calendar: calendar)
            #expect(try await store.monitoringEntries(for: before).isEmpty)
        }
    }
}
