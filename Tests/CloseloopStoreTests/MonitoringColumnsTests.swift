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
            // The migration ran over documents whose clocks were objects.
            try await store.storeClocksAsObjects()
            let backfill = try #require(
                Migrations.all.first { $0.name == "monitoring" }?.statements(store.database.dialect)
                    .first { $0.hasPrefix("UPDATE") })
            try await store.execute(SQLQueryString(stringLiteral: backfill))
            #expect(try await read(store) == written)
        }
    }

    @Test(
        "a day's figures are those of the domain's own reading, and only the complaints the day counts",
        arguments: DatabaseKind.available)
    func figures(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let records = try await seed(store)
            let calendar = BusinessCalendar.chinaMainland
            let monday = calendar.localDate(of: StoreFixtures.mondayMorning)
            let span = MonitoringReport.Span(day: monday, windowDays: 7, calendar: calendar)
            let entries = records.map { MonitoringReport.Entry($0.complaint, clocks: $0.clocks) }
            let figures = try await store.monitoringFigures(for: span)
            #expect(figures == MonitoringFigures.tally(entries, span: span))
            #expect(figures.receivedOnDay == 2)
            // A week earlier nothing was received, closed, due or verified, and no first response was owed yet.
            let before = MonitoringReport.Span(day: monday.adding(days: -7), windowDays: 7, calendar: calendar)
            #expect(try await store.monitoringFigures(for: before) == MonitoringFigures.tally([], span: before))
        }
    }

    static let entryColumns = [
        "received_at", "closed_at", "resolution_due_at", "resolution_late", "verified_at", "satisfaction",
        "due_first_response", "due_first_contact", "next_due_at",
    ]

    @Test(
        "the SQL aggregates agree with the domain's tally over complaints scattered across a fortnight",
        arguments: DatabaseKind.available)
    func aggregatesAgree(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let monday = StoreFixtures.mondayMorning
            for index in 0..<70 {
                _ = try await desk.receive(StoreFixtures.intake(), at: monday.addingTimeInterval(Double(index)))
            }
            // Every column the figures read set at random (seeded) within a fortnight around Monday, nulls included.
            var random = SplitMix(seed: 16)
            let base = Int64(monday.timeIntervalSince1970 * 1000) - 7 * 86_400_000
            func instant() -> Int64? { random.next() % 4 == 0 ? nil : base + Int64(random.next() % 1_209_600_000) }
            let ids = try await store.database.read { db in
                try await db.raw("SELECT id FROM complaints").all().map { try $0.decode(column: "id", as: String.self) }
            }
            for id in ids {
                let late: Int64? = random.next() % 3 == 0 ? nil : Int64(random.next() % 2)
                let score: Int64? = random.next() % 3 == 0 ? nil : Int64(1 + random.next() % 5)
                let values: [Int64?] = [
                    base + Int64(random.next() % 1_209_600_000), instant(), instant(), late, instant(), score,
                    instant(), instant(), instant(),
                ]
                try await store.database.transaction { db in
                    let update = db.update("complaints").where("id", .equal, id)
                    for (column, value) in zip(Self.entryColumns, values) { update.set(column, to: value) }
                    try await update.run()
                }
            }
            let entries = try await store.database.read { db in
                try await db.raw(
                    "SELECT number, \(unsafeRaw: Self.entryColumns.joined(separator: ", ")) FROM complaints"
                ).all().map { row in
                    func instant(_ column: String) throws -> Date? {
                        try row.decode(column: column, as: Int64?.self).map {
                            Date(timeIntervalSince1970: Double($0) / 1000)
                        }
                    }
                    return MonitoringReport.Entry(
                        number: try row.decode(column: "number", as: String.self),
                        receivedAt: try instant("received_at")!, closedAt: try instant("closed_at"),
                        resolutionDueAt: try instant("resolution_due_at"),
                        resolvedInTime: try row.decode(column: "resolution_late", as: Int?.self) == 0,
                        verifiedAt: try instant("verified_at"),
                        satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
                        firstResponseDueAt: try instant("due_first_response"),
                        firstContactDueAt: try instant("due_first_contact"), nextDueAt: try instant("next_due_at"))
                }
            }
            let calendar = BusinessCalendar.chinaMainland
            let first = calendar.localDate(of: monday).adding(days: -8)
            var checked = 0
            for offset in 0..<16 {
                let day = first.adding(days: offset)
                for asOf in [nil, calendar.startOfDay(day).addingTimeInterval(13 * 3600)] {
                    for windowDays in [1, 7] {
                        let span = MonitoringReport.Span(
                            day: day, windowDays: windowDays, calendar: calendar, asOf: asOf)
                        let expected = MonitoringFigures.tally(entries, span: span)
                        let figures = try await store.monitoringFigures(for: span)
                        #expect(figures == expected, "\(day) \(String(describing: asOf)) \(windowDays)")
                        if expected.closureBase > 0 && expected.missed.count > 0
                            && expected.ratings.contains(where: { $0 > 0 })
                        {
                            checked += 1
                        }
                    }
                }
            }
            #expect(checked > 10, "the data gives most spans something to count")
        }
    }
}

/// A seeded generator, so a failing case is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
