import CloseloopCore
import CloseloopStore
import Foundation

/// Keeps the statistics rollup up to date (`SQLStore+StatisticsRollup`): rolls up each past business day holding a
/// change, in the business calendar's days, and starts again from scratch when the calendar's zone changes. Today is
/// left to be summed live: every intake would change it again. Every instance may run it; rolling a day up twice
/// gives the same rows.
public struct StatisticsRollup: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource

    /// Rolls up at most `maxDays` of the days before today with a change; returns how many it rolled up.
    @discardableResult
    public func pass(maxDays: Int = 50) async throws -> Int {
        let calendar = await settings.current().calendar
        if try await store.rollupZone() != calendar.timeZoneIdentifier {
            try await store.resetRollup(zone: calendar.timeZoneIdentifier)
        }
        let today = calendar.localDate(of: time.now())
        var days: Set<LocalDate> = []
        for slot in try await store.changedSlots(limit: maxDays * 96) {
            let day = calendar.localDate(of: slot)
            if day < today { days.insert(day) }
        }
        let chosen = days.sorted().prefix(maxDays)
        for day in chosen {
            try await store.rollUp(
                StatisticsDays.Day(
                    number: day.daysSinceEpoch, start: calendar.startOfDay(day),
                    end: calendar.startOfDay(day.adding(days: 1))))
        }
        return chosen.count
    }

    /// Rolls up every past day with a change (after a load or an import, for the benchmarks and the tests).
    public func catchUp() async throws {
        while try await pass() > 0 {}
    }
}
