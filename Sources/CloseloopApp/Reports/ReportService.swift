import CloseloopCore
import CloseloopStore
import Foundation

/// SPEC §7's figures: period statistics, dashboards, league tables and the penalties of a day, for the pages, the API
/// and `closeloop report`. Every figure comes from the store's one set of sums (`ComplaintMeasures`).
public struct ReportService: Sendable {
    let store: SQLStore
    let settings: LoopSettings

    /// The statistics of `period` for the company, for the command-line tool.
    public func period(_ period: ReportPeriod, title: String? = nil) async throws -> StatisticsReport {
        let statistics = try await statistics(period, scope: .company)
        return StatisticsReport(
            statistics: statistics, title: title ?? Self.title(of: period), departments: try await store.departments())
    }

    /// The statistics of `period` within `scope`, for whoever may read them.
    public func statistics(_ period: ReportPeriod, scope: StatisticsScope, by viewer: UserAccount) async throws
        -> ComplaintStatistics
    {
        try Self.check(scope, viewer)
        return try await statistics(period, scope: scope)
    }

    /// The dashboard of `period` within `scope`.
    public func dashboard(
        _ period: ReportPeriod, scope: StatisticsScope, by viewer: UserAccount, now: Date
    ) async throws -> Dashboard {
        try Self.check(scope, viewer)
        return try await dashboard(period, scope: scope, now: now)
    }

    /// The dashboard of `period` within `scope`, for whoever the caller has checked may read it.
    func dashboard(_ period: ReportPeriod, scope: StatisticsScope, now: Date) async throws -> Dashboard {
        let calendar = await settings.current().calendar
        // A period still running is compared day for day: this month's first four days with last month's first four.
        let dayCount = max(period.elapsedDays(asOf: calendar.localDate(of: now)), 1)
        let running = dayCount < period.dayCount
        let previousPeriod = running ? period.previous.prefix(days: dayCount) : period.previous
        let lastYearPeriod = running ? period.sameLastYear.prefix(days: dayCount) : period.sameLastYear
        async let current = statistics(period, scope: scope)
        async let previous = statistics(previousPeriod, scope: scope, withBreakdowns: false)
        async let lastYear = statistics(lastYearPeriod, scope: scope, withBreakdowns: false)
        let days = Self.days(period, calendar)
        async let perDay = store.receivedPerDay(days, scope: scope)
        async let previousPerDay = store.receivedPerDay(Self.days(period.previous, calendar), scope: scope)
        async let closing = store.hoursToClose(days, scope: scope)
        async let firstResponses = store.allowanceUsed(.firstResponse, days, scope: scope)
        async let resolutions = store.allowanceUsed(.resolution, days, scope: scope)
        let buckets = try await closing
        let allowanceUsed: [AllowanceClock: [Dashboard.UsedBucket]] = [
            .firstResponse: Dashboard.UsedBucket.bars(try await firstResponses, edges: Dashboard.usedEdges),
            .resolution: Dashboard.UsedBucket.bars(try await resolutions, edges: Dashboard.usedEdges),
        ]
        var edges = [0] + Dashboard.closeEdges
        edges.append(Int.max)
        return Dashboard(
            period: period, scope: scope, comparedDays: dayCount, previousPeriod: previousPeriod,
            lastYearPeriod: lastYearPeriod, current: try await current,
            previous: try await previous,
            lastYear: try await lastYear,
            trend: Self.trend(of: period, from: try await perDay),
            previousTrend: Self.trend(of: period.previous, from: try await previousPerDay),
            hoursToClose: buckets.enumerated().map { index, count in
                Dashboard.CloseBucket(
                    from: edges[index], upTo: edges[index + 1] == Int.max ? nil : edges[index + 1], count: count)
            },
            allowanceUsed: allowanceUsed,
            targets: await settings.alertPolicy().monitoring)
    }

    /// The league table of `period` per department or owner within `scope`, ranked by `ranking`.
    public func league(
        _ period: ReportPeriod, by grouping: LeagueGrouping, scope: StatisticsScope, ranking: League.Ranking,
        viewer: UserAccount
    ) async throws -> League {
        try Self.check(scope, viewer)
        return try await league(period, by: grouping, scope: scope, ranking: ranking)
    }

    /// The league table of `period`, for whoever the caller has checked may read it.
    func league(_ period: ReportPeriod, by grouping: LeagueGrouping, scope: StatisticsScope, ranking: League.Ranking)
        async throws -> League
    {
        let calendar = await settings.current().calendar
        let days = Self.days(period, calendar)
        let targets = await settings.alertPolicy().monitoring
        let lines = try await store.league(days, scope: scope, by: grouping)
        var penalties: [DepartmentID?: Money] = [:]
        if grouping == .department {
            for entry in try await store.penalties(from: days.start, to: days.end, scope: scope) {
                penalties[entry.department] = entry.amount
            }
        }
        let quality = try await store.spotCheckScores(period: period.code, by: grouping)
        let unranked = lines.map { line in
            League.Line(
                key: line.key, measures: line.measures,
                penalties: grouping == .department ? penalties[line.key.map { DepartmentID($0) }] ?? .zero : nil,
                misses: League.misses(line.measures, against: targets), rank: 0,
                qualityScore: quality[line.key]?.mean, qualityChecks: quality[line.key]?.count ?? 0)
        }
        return League(
            period: period, grouping: grouping, scope: scope, ranking: ranking,
            lines: League.ranked(unranked, by: ranking), targets: targets)
    }

    /// The penalties written on `day`, per responsible department.
    public func penalties(on day: LocalDate) async throws -> [(department: DepartmentID?, count: Int, amount: Money)] {
        let calendar = await settings.current().calendar
        return try await store.penaltyTotals(
            from: calendar.startOfDay(day), to: calendar.startOfDay(day.adding(days: 1)))
    }

    private func statistics(_ period: ReportPeriod, scope: StatisticsScope, withBreakdowns: Bool = true) async throws
        -> ComplaintStatistics
    {
        let calendar = await settings.current().calendar
        return try await store.statistics(Self.days(period, calendar), scope: scope, withBreakdowns: withBreakdowns)
    }

    /// The business days of `period`, as the store sums them.
    static func days(_ period: ReportPeriod, _ calendar: BusinessCalendar) -> StatisticsDays {
        StatisticsDays(from: period.start, until: period.end, calendar: calendar)
    }

    static func check(_ scope: StatisticsScope, _ viewer: UserAccount) throws {
        guard ReportAccess.mayRead(scope.department, by: viewer.staffMember) else {
            throw AccessDenied(roles: ReportAccess.companyRoles.union([.departmentManager]))
        }
    }

    /// Each day's count folded into the period's trend steps (a day or a week); steps with none are 0.
    static func trend(of period: ReportPeriod, from perDay: [Int: Int]) -> [Dashboard.TrendPoint] {
        var counts = [Int](repeating: 0, count: period.trendDays.count)
        for (number, count) in perDay {
            let offset = number - period.start.daysSinceEpoch
            guard offset >= 0 else { continue }
            let index = offset / period.trendStep
            if counts.indices.contains(index) { counts[index] += count }
        }
        return zip(period.trendDays, counts).map { Dashboard.TrendPoint(day: $0, count: $1) }
    }

    /// How a period is named on a report: "2026-10", "2026-Q4", "2026", "2026-10-05 – 2026-10-11".
    public static func title(of period: ReportPeriod) -> String {
        switch period.kind {
        case .month, .quarter, .year: period.code
        case .week, .custom: "\(period.start) – \(period.last)"
        }
    }
}
