@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation

/// The monthly statistics report, timed in-process for the last full calendar month before now.
enum MonthlyStatistics {
    /// The last full month in the business calendar's zone, as [first instant, first instant of the next month).
    static func lastFullMonth(before now: Date, timeZone: TimeZone) -> (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let previous = calendar.date(byAdding: .month, value: -1, to: thisMonth)!
        return (previous, thisMonth)
    }

    /// Milliseconds for one `SQLStore.statistics(from:to:)` over the last full month (the first call, cold).
    static func time(_ services: AppServices) async throws -> Double? {
        let calendar = await services.settings.current().calendar
        let month = lastFullMonth(before: services.time.now(), timeZone: calendar.timeZone)
        let started = ContinuousClock.now
        _ = try await services.store.statistics(from: month.from, to: month.to)
        return (ContinuousClock.now - started).seconds * 1000
    }
}
