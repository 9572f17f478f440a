@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation

/// The monthly statistics report, timed in-process for the last full calendar month before now.
enum MonthlyStatistics {
    /// Milliseconds for one `SQLStore.statistics` over the last full month in the business calendar (the first call,
    /// cold).
    static func time(_ services: AppServices) async throws -> Double? {
        let calendar = await services.settings.current().calendar
        let month = ReportPeriod.current(.month, containing: calendar.localDate(of: services.time.now())).previous
        let started = ContinuousClock.now
        _ = try await services.store.statistics(StatisticsDays(from: month.start, until: month.end, calendar: calendar))
        return (ContinuousClock.now - started).seconds * 1000
    }
}
