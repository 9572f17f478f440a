import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// SPEC §7's figures over the API: the same `ReportService` computation the dashboards and `closeloop report` use.
extension APIHandler {
    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        let user = try requireStaff()
        let q = input.query
        let (period, scope) = try await requested(
            kind: q.period?.rawValue, value: q.value, from: q.from, to: q.to, department: q.department)
        let dashboard = try await services.reports.dashboard(period, scope: scope, by: user, now: services.time.now())
        return .ok(
            .init(
                body: .json(
                    .init(
                        kind: period.kind.rawValue, department: scope.department?.rawValue,
                        comparedDays: dashboard.comparedDays, current: Self.figures(dashboard.current, period),
                        previous: Self.figures(dashboard.previous, dashboard.previousPeriod),
                        lastYear: Self.figures(dashboard.lastYear, dashboard.lastYearPeriod),
                        trend: dashboard.trend.map { .init(day: $0.day.description, count: $0.count) }))))
    }

    func getLeague(_ input: Operations.GetLeague.Input) async throws -> Operations.GetLeague.Output {
        let user = try requireStaff()
        let q = input.query
        let (period, scope) = try await requested(
            kind: q.period?.rawValue, value: q.value, from: q.from, to: q.to, department: q.department)
        let grouping = q.by.flatMap { LeagueGrouping(rawValue: $0.rawValue) } ?? .department
        let ranking = q.rank.flatMap { League.Ranking(rawValue: $0.rawValue) } ?? .onTime
        let league = try await services.reports.league(
            period, by: grouping, scope: scope, ranking: ranking, viewer: user)
        return .ok(
            .init(
                body: .json(
                    .init(
                        start: period.start.description, end: period.last.description, by: grouping.rawValue,
                        rank: ranking.rawValue,
                        lines: league.lines.map { line in
                            .init(
                                rank: line.rank, key: line.key, measures: Self.measures(line.measures),
                                penalties: line.penalties?.description, qualityScore: line.qualityScore,
                                qualityChecks: line.qualityChecks,
                                misses: line.misses.map(\.rawValue).sorted().compactMap { .init(rawValue: $0) })
                        }))))
    }

    /// The period and scope a request asks for, refused alike on the pages and here (`ReportPeriod.requested`).
    private func requested(kind: String?, value: String?, from: String?, to: String?, department: String?)
        async throws -> (ReportPeriod, StatisticsScope)
    {
        let calendar = await services.settings.current().calendar
        let period = try ReportPeriod.requested(
            kind: kind, value: value, from: from, to: to, today: calendar.localDate(of: services.time.now()))
        let department = department.flatMap { $0.isEmpty ? nil : DepartmentID($0) }
        return (period, StatisticsScope(department: department))
    }

    static func figures(_ statistics: ComplaintStatistics, _ period: ReportPeriod) -> Components.Schemas.PeriodFigures {
        .init(
            start: period.start.description, end: period.last.description, measures: measures(statistics.totals),
            breakdowns: ComplaintStatistics.Dimension.allCases.map { dimension in
                .init(
                    dimension: dimension.rawValue,
                    counts: (statistics.breakdowns[dimension]?.counts ?? []).map { .init(key: $0.key, count: $0.count) }
                )
            },
            clocks: statistics.clocks.isEmpty
                ? nil
                : ClockKind.allCases.compactMap { clock in
                    guard let tally = statistics.clocks[clock],
                        let kind = Components.Schemas.ClockKind(rawValue: clock.rawValue)
                    else { return nil }
                    return .init(clock: kind, met: tally.met, missed: tally.missed, onTimeRate: tally.onTimeRate)
                },
            penalties: statistics.penalties.map {
                .init(
                    department: $0.department?.rawValue, entries: $0.entries, amount: $0.amount.description,
                    waived: $0.waived)
            })
    }

    static func measures(_ m: ComplaintMeasures) -> Components.Schemas.Measures {
        .init(
            received: m.received, closed: m.closed, closureRate: m.closureRate, meanHoursToClose: m.meanHoursToClose,
            firstResponseOnTime: m.firstResponseOnTime, firstResponseLate: m.firstResponseLate,
            firstResponseOnTimeRate: m.firstResponseOnTimeRate, resolutionOnTime: m.resolutionOnTime,
            resolutionLate: m.resolutionLate, resolutionOnTimeRate: m.resolutionOnTimeRate, reopened: m.reopened,
            reopenRate: m.reopenRate, repeats: m.repeats, repeatRate: m.repeatRate, rated: m.rated,
            meanRating: m.meanRating, satisfaction: m.satisfaction, negative: m.negative,
            negativeRate: m.negativeRate)
    }
}
