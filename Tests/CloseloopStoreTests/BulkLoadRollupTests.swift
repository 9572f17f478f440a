import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Complaints written in bulk (the benchmark's loader, imports of history) mark the quarter hours they were received
/// in like any other write, batches merged or not, so the statistics rollup sums them.
@Suite("Bulk load and the statistics rollup")
struct BulkLoadRollupTests {
    static func complaint(at instant: Date, sequence: Int) throws -> BulkComplaint {
        let (complaint, event) = try Workflow(policy: .standard).receive(
            StoreFixtures.intake(), id: StoreFixtures.nextComplaintID(), number: "2604139\(sequence)",
            mentionedStaff: [], at: instant, by: .staff(StoreFixtures.agent))
        let clocks = ClockSchedule(policy: .standard, calendar: .chinaMainland).clocks(for: [event])
        return BulkComplaint(
            record: ComplaintRecord(complaint: complaint, clocks: clocks), history: [event], numberYear: 2026,
            numberSequence: sequence)
    }

    @Test(
        "every quarter hour of a merged batch is marked, and the day rolled up counts every complaint",
        arguments: DatabaseKind.available)
    func marked(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let monday = StoreFixtures.mondayMorning
            let next = try await store.nextSequence(year: 2026)
            var first = try store.prepare([
                try Self.complaint(at: monday, sequence: next),
                try Self.complaint(at: monday.addingTimeInterval(300), sequence: next + 1),
            ])
            let second = try store.prepare([
                try Self.complaint(at: monday.addingTimeInterval(3600), sequence: next + 2)
            ])
            first.append(contentsOf: second)
            try await store.insert(first)
            #expect(try await store.changedSlotCount() == 2, "09:00–09:15 and 10:00–10:15")

            let day = BusinessCalendar.chinaMainland.localDate(of: monday)
            let days = StatisticsDays(from: day, until: day.adding(days: 1), calendar: .chinaMainland)
            #expect(try await store.statistics(days).received == 3)
            try await store.rollUp(days.days[0])
            #expect(try await store.changedSlotCount() == 0)
            #expect(try await store.statistics(days).received == 3, "read from the rollup now")
        }
    }

    @Test(
        "each batch moves the year's counter over its numbers in its own transaction; numbers not next are refused",
        arguments: DatabaseKind.available)
    func numbered(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let monday = StoreFixtures.mondayMorning
            let next = try await store.nextSequence(year: 2026)
            try await store.insert(try store.prepare([try Self.complaint(at: monday, sequence: next)]))
            #expect(try await store.nextSequence(year: 2026) == next + 1, "a load stopped here leaves no gap")

            let skipping = try store.prepare([try Self.complaint(at: monday, sequence: next + 2)])
            await #expect(
                throws: BulkLoadError.numbersNotNext(
                    year: 2026, lowest: next + 2, highest: next + 2, count: 1, counter: next)
            ) { try await store.insert(skipping) }
            var holed = try store.prepare([try Self.complaint(at: monday, sequence: next + 1)])
            holed.append(contentsOf: try store.prepare([try Self.complaint(at: monday, sequence: next + 3)]))
            await #expect(throws: BulkLoadError.self) { try await store.insert(holed) }
            #expect(try await store.nextSequence(year: 2026) == next + 1, "nothing of a refused batch stays")
            #expect(try await store.count("complaints") == 1)

            // An intake after the load takes the number after it.
            let created = try await ComplaintDesk(store: store).receive(
                StoreFixtures.intake(), at: monday.addingTimeInterval(60)
            ).record
            #expect(StoreFixtures.sequence(of: created.complaint.number) == next + 1)
        }
    }
}
