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

    @Test("Rolled up or live, every figure is the same", arguments: DatabaseKind.available)
    func sameEitherWay(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.seed(server)
            let store = server.services.store
            let live = try await Self.figures(server)
            #expect(live.statistics[0].received == 7)
            try await server.services.rollup.catchUp()
            #expect(try await store.changedHourCount() == 0, "every April hour is rolled up; nothing came in today")
            #expect(try await Self.figures(server) == live)

            // A complaint received on 10 April, after the day was rolled up: that day is summed live again.
            server.time.set(Instants.instant("2026-04-10T15:00:00+08:00"))
            _ = try await server.createComplaint(["subject": "补录的四月投诉", "channel": "walk_in"])
            server.time.set(Instants.instant("2026-05-02T09:00:00+08:00"))
            let changed = try await Self.figures(server)
            #expect(changed.statistics[0].received == 8)
            #expect(changed.statistics[0].breakdowns[.channel]?["walk_in"] == 1)
            #expect(changed.perDay[0][LocalDate(year: 2026, month: 4, day: 10).daysSinceEpoch] == 1)
            try await server.services.rollup.catchUp()
            #expect(try await Self.figures(server) == changed)
            // And the truth, everything summed live once more, agrees.
            try await store.resetRollup(zone: "Asia/Shanghai")
            #expect(try await Self.figures(server) == changed)
        }
    }

    @Test(
        "A day's rollup is cut in the calendar's zone, and cut again when the zone changes",
        arguments: DatabaseKind.available)
    func zone(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.seed(server)
            try await server.services.rollup.catchUp()
            #expect(try await server.services.store.rollupZone() == "Asia/Shanghai")
            // 23:30 on 1 April in Shanghai is 16:30 UTC, still 1 April; 23:59 on 30 April is in April either way.
            var calendar = await server.services.settings.current().calendar
            calendar.timeZoneIdentifier = "UTC"
            try await server.services.settings.save(calendar, by: .commandLine, section: "calendar", detail: "UTC")
            #expect(try await server.services.store.rollupZone() == "UTC")
            let live = try await Self.figures(server)
            // In UTC, 30 April 23:59 (+08:00) is 15:59 on the 30th, and 1 April 23:30 is 15:30 on the 1st.
            #expect(live.perDay[0][LocalDate(year: 2026, month: 4, day: 1).daysSinceEpoch] == 1)
            try await server.services.rollup.catchUp()
            #expect(try await Self.figures(server) == live)
        }
    }
}
