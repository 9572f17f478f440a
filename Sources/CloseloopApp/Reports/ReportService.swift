import CloseloopCore
import CloseloopStore
import Foundation

/// SPEC §7's period statistics and the penalties of a day, for the pages and `closeloop report`.
public struct ReportService: Sendable {
    let store: SQLStore
    let settings: LoopSettings

    /// The statistics of the days from `start` up to (not including) `end`, in the business calendar's zone.
    public func period(from start: LocalDate, to end: LocalDate, title: String) async throws -> StatisticsReport {
        let calendar = await settings.current().calendar
        let statistics = try await store.statistics(from: calendar.startOfDay(start), to: calendar.startOfDay(end))
        return StatisticsReport(statistics: statistics, title: title, departments: try await store.departments())
    }

    /// The penalties written on `day`, per responsible department.
    public func penalties(on day: LocalDate) async throws -> [(department: DepartmentID?, count: Int, amount: Money)] {
        let calendar = await settings.current().calendar
        return try await store.penaltyTotals(
            from: calendar.startOfDay(day), to: calendar.startOfDay(day.adding(days: 1)))
    }
}
