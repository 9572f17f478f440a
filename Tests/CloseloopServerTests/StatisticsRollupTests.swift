@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// SPEC §7's figures read from the statistics rollup (per business day) are exactly the ones summed live from the
/// complaints, before and after days are rolled up, after a change to a day already rolled up, and after the
/// calendar's time zone changes.
@Suite("Statistics rollup")
struct StatisticsRollupTests {
    /// Every figure a dashboard, a league table and the hotspots read for April 2026, company-wide and for
    /// after-sales, in a form that compares.
    struct Figures: Equatable {
        var statistics: [ComplaintStatistics]
        var perDay: [[Int: Int]]
        var closing: [[Int]]
        var used: [[Int]]
        var leagues: [[LeagueLine]]
        var pairs: [[String]]
    }

    static func figures(_ server: TestServer) async throws -> Figures {
        let store = server.services.store
        let calendar = await server.services.settings.current().calendar
        let days = StatisticsDays(
            from: LocalDate(year: 2026, month: 4, day: 1), until: LocalDate(year: 2026, month: 5, day: 1),
            calendar: calendar)
        var figures = Figures(statistics: [], perDay: [], closing: [], used: [], leagues: [], pairs: [])
        for scope in [StatisticsScope.company, StatisticsScope(department: Staff.afterSales)] {
            figures.statistics.append(try await store.statistics(days, scope: scope))
            figures.perDay.append(try await store.receivedPerDay(days, scope: scope))
            figures.closing.append(try await store.hoursToClose(days, scope: scope))
            for clock in AllowanceClock.allCases {
                figures.used.append(try await store.allowanceUsed(clock, days, scope: scope))
            }
            for grouping in LeagueGrouping.allCases {
                figures.leagues.append(
                    try await store.league(days, scope: scope, by: grouping).sorted { ($0.key ?? "") < ($1.key ?? "") })
            }
            figures.pairs.append(
                try await store.categoryProductCounts(days, scope: scope, limit: 100).map {
                    "\($0.category ?? "-")|\($0.product ?? "-")|\($0.count)"
                })
        }
        return figures
    }

    /// April: the dashboard's fixture, and complaints on three more days by other channels and kinds.
    static func seed(_ server: TestServer) async throws {
        _ = try await DashboardTests.seed(server)
        for (day, channel) in [
            ("2026-04-01T23:30:00+08:00", "email"), ("2026-04-20T12:00:00+08:00", "web"),
            ("2026-04-30T23:59:00+08:00", "letter"),
        ] {
            server.time.set(Instants.instant(day))
            _ = try await server.reaching("investigating", ["channel": channel, "subject": "四月 \(channel) 投诉"])
        }
        server.time.set(Instants.instant("2026-05-02T09:00:00+08:00"))
    }

    @Test(
        "A day's rollup is cut in the calendar's zone, and cut again when the zone changes, on the hour or not",
        arguments: DatabaseKind.available)
    func zone(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.seed(server)
            try await server.services.rollup.catchUp()
            #expect(try await server.services.store.rollupZone() == "Asia/Shanghai")
            for zone in ["UTC", "Asia/Kolkata", "Asia/Kathmandu"] {
                var calendar = await server.services.settings.current().calendar
                calendar.timeZoneIdentifier = zone
                try await server.services.settings.save(calendar, by: .commandLine, section: "calendar", detail: zone)
                #expect(try await server.services.store.rollupZone() == zone)
                let live = try await Self.figures(server)
                #expect(live.statistics[0].received == 7, "\(zone)")
                try await server.services.rollup.catchUp()
                // Every quarter hour is cleared, even where days begin on the half hour (+05:30) or quarter (+05:45).
                #expect(try await server.services.store.changedSlotCount() == 0, "\(zone)")
                #expect(try await Self.figures(server) == live, "\(zone)")
            }
            // In UTC, 23:30 on 1 April (+08:00) is 15:30 on the 1st: the day the trend counts it on.
            var calendar = await server.services.settings.current().calendar
            calendar.timeZoneIdentifier = "UTC"
            try await server.services.settings.save(calendar, by: .commandLine, section: "calendar", detail: "UTC")
            let utc = try await Self.figures(server)
            #expect(utc.perDay[0][LocalDate(year: 2026, month: 4, day: 1).daysSinceEpoch] == 1)
        }
    }
}
