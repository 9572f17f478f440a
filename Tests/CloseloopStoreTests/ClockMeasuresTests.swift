import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// Migration 18: every clock's outcome and the share of its allowance the first response and the resolution used,
/// kept in columns written with every change, summed per period as the core reads the clocks, and listed behind
/// each figure.
@Suite("Clock measures")
struct ClockMeasuresTests {
    /// Three complaints on Monday morning: one reached in time and assigned, one reached late, one untouched.
    func seed(_ store: SQLStore) async throws -> [ComplaintRecord] {
        let desk = ComplaintDesk(store: store)
        let monday = StoreFixtures.mondayMorning
        let agent = Actor.staff(StoreFixtures.agent)
        let quick = try await desk.receive(StoreFixtures.intake(), at: monday).record
        try await desk.perform(
            .recordContact(outcome: .reached, note: "已联系"), on: quick.complaint.id, by: agent,
            at: monday.addingTimeInterval(600))
        let assigned = try await desk.assign(
            quick.complaint.id, StoreFixtures.assignment(), at: monday.addingTimeInterval(900))
        let late = try await desk.receive(StoreFixtures.intake(), at: monday.addingTimeInterval(300)).record
        let reachedLate = try await desk.perform(
            .recordContact(outcome: .reached, note: "已联系"), on: late.complaint.id, by: agent,
            at: monday.addingTimeInterval(3600))
        let untouched = try await desk.receive(StoreFixtures.intake(), at: monday.addingTimeInterval(1200)).record
        return [assigned, reachedLate, untouched]
    }

    /// Monday and the day after, in the China mainland calendar.
    var days: StatisticsDays {
        let monday = BusinessCalendar.chinaMainland.localDate(of: StoreFixtures.mondayMorning)
        return StatisticsDays(from: monday, until: monday.adding(days: 2), calendar: .chinaMainland)
    }

    @Test(
        "a period's tallies per clock are the core's own reading of each complaint's clocks",
        arguments: DatabaseKind.available)
    func tallies(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let records = try await seed(store)
            let statistics = try await store.statistics(days)
            for clock in ClockKind.allCases {
                let stopped = records.compactMap { record in
                    record.clocks.first { $0.clock == clock && !$0.isRunning }
                }
                let met = stopped.filter { $0.condition(at: $0.stoppedAt!) == .met }.count
                #expect(
                    statistics.clocks[clock] == ClockTally(met: met, missed: stopped.count - met), "\(clock.rawValue)")
            }
            #expect(statistics.clocks[.firstContact] == ClockTally(met: 1, missed: 1))
            #expect(statistics.clocks[.firstContact]?.onTimeRate == 0.5)
            #expect(statistics.clocks[.firstResponse] == ClockTally(met: 1, missed: 0))
            // The comparison periods need totals only.
            #expect(try await store.statistics(days, withBreakdowns: false).clocks.isEmpty)
        }
    }

    @Test(
        "the distribution against target counts each measured clock once, in the bucket of its share",
        arguments: DatabaseKind.available)
    func distribution(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let records = try await seed(store)
            let edges = StatisticsBuckets.usedPercent
            let used = records.compactMap { $0.usedPercent(of: .firstResponse) }
            #expect(used.count == 1, "only the assigned complaint's first response has stopped")
            var expected = [Int](repeating: 0, count: edges.count + 1)
            for share in used { expected[edges.firstIndex { share <= $0 } ?? edges.count] += 1 }
            #expect(try await store.allowanceUsed(.firstResponse, days) == expected)
            #expect(
                try await store.allowanceUsed(.resolution, days) == [0, 0, 0, 0, 0])
            // The bar lists the complaint behind it.
            let bucket = try #require(used.first)
            var query = ComplaintQuery()
            query.allowanceUsed = .init(
                clock: .firstResponse, above: edges.last { $0 < bucket }, upTo: edges.first { bucket <= $0 })
            #expect(try await store.list(query).records.map(\.complaint.id) == [records[0].complaint.id])
        }
    }

    @Test("a clock's met or missed figure lists exactly its complaints", arguments: DatabaseKind.available)
    func drillDown(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let records = try await seed(store)
            var query = ComplaintQuery()
            query.clockOutcome = .init(clock: .firstContact, met: false)
            #expect(try await store.list(query).records.map(\.complaint.id) == [records[1].complaint.id])
            query.clockOutcome = .init(clock: .firstContact, met: true)
            #expect(try await store.list(query).records.map(\.complaint.id) == [records[0].complaint.id])
            query.clockOutcome = .init(clock: .resolution, met: true)
            #expect(try await store.list(query).records.isEmpty)
        }
    }

    @Test(
        "the migration fills every clock's outcome from the documents as the store writes it",
        arguments: DatabaseKind.available)
    func backfill(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            _ = try await seed(store)
            func read() async throws -> [Int64] {
                try await store.database.read { db in
                    try await db.raw("SELECT clock_outcomes FROM complaints ORDER BY number").all()
                        .map { try $0.decode(column: "clock_outcomes", as: Int64.self) }
                }
            }
            let written = try await read()
            #expect(written.filter { $0 != 0 }.count == 2)
            try await store.execute("UPDATE complaints SET clock_outcomes = 0")
            // The migration ran over documents whose clocks were objects.
            try await store.storeClocksAsObjects()
            let backfill = try #require(
                Migrations.all.first { $0.name == "clock_measures" }?.statements(store.database.dialect)
                    .first { $0.hasPrefix("UPDATE") })
            try await store.execute(SQLQueryString(stringLiteral: backfill))
            #expect(try await read() == written)
        }
    }
}
