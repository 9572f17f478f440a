@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Issue 12's figures timed in-process: a year's company dashboard (this period, the previous one, last year's,
/// the trend, time to close and the clocks against target) and a month's league table per owner, each asked `runs`
/// times in a row; `state` names whether the statistics rollup was up to date ("rolled up") or not ("live").
enum FigureTimings {
    struct Result {
        var name: String
        var p50: Double
        var p99: Double
        var runs: Int
    }

    static func time(_ services: AppServices, state: String, runs: Int = 10) async throws -> [Result] {
        let calendar = await services.settings.current().calendar
        let now = services.time.now()
        let today = calendar.localDate(of: now)
        let month = ReportPeriod.current(.month, containing: today).previous
        let year = ReportPeriod.year(month.start.year)
        // A reader who sees the whole company; only the grant matters to the figures.
        let reader = UserAccount(
            id: UserID("bench_reader"), username: "bench_reader", displayName: "bench", passwordHash: "",
            department: nil, grants: [RoleGrant(.generalManager)], language: .zhHans, active: true, createdAt: now)
        func measure(_ name: String, _ body: () async throws -> Void) async throws -> Result {
            var samples: [Double] = []
            for _ in 0..<runs {
                let started = ContinuousClock.now
                try await body()
                samples.append((ContinuousClock.now - started).seconds * 1000)
            }
            samples.sort()
            let p99 = samples[min(samples.count - 1, Int((Double(samples.count) * 0.99).rounded(.up)) - 1)]
            return Result(name: name, p50: samples[samples.count / 2], p99: p99, runs: runs)
        }
        return [
            try await measure("dashboard, a year (company), \(state)") {
                _ = try await services.reports.dashboard(year, scope: .company, by: reader, now: now)
            },
            try await measure("league per owner, a month, \(state)") {
                _ = try await services.reports.league(
                    month, by: .owner, scope: .company, ranking: .onTime, viewer: reader)
            },
        ]
    }
}
