@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// SPEC §7's dashboards and league tables: one computation behind every figure, each figure listing exactly the
/// complaints it counts, and each reader seeing only the figures that are theirs.
@Suite("Dashboards and league tables")
struct DashboardTests {
    /// April 2026: a closed complaint rated 4 (after-sales, 张伟), one in after-sales received on the web, one judged
    /// valid and unassigned, one in logistics owned by 陈曦. One complaint in March 2026 and one in April 2025.
    struct Fixture {
        var closed: ComplaintBody
        var web: ComplaintBody
        var unassigned: ComplaintBody
        var logistics: ComplaintBody
    }

    static func seed(_ server: TestServer) async throws -> Fixture {
        server.time.set(Instants.instant("2025-04-15T10:00:00+08:00"))
        _ = try await server.createComplaint(["subject": "去年四月的投诉"])
        server.time.set(Instants.instant("2026-03-10T10:00:00+08:00"))
        _ = try await server.createComplaint(["subject": "三月的投诉"])
        server.time.set(Instants.wednesdayMorning)
        let closed = try await LoopOverHTTPTests.closedComplaint(server)
        let web = try await server.reaching("investigating", ["channel": "web", "subject": "网上提交的投诉"])
        let unassigned = try await server.reaching("validated", ["priority": "P1", "subject": "待分派的投诉"])
        let logistics = try await server.reaching(
            "investigating", ["subject": "物流部的投诉"],
            assignment: [
                "department": "logistics", "owner": Staff.otherAgent, "handler": Staff.logisticsHandler,
                "category": "delivery", "subcategory": "delivery.damage",
            ])
        server.time.set(Instants.instant("2026-05-02T09:00:00+08:00"))
        return Fixture(closed: closed, web: web, unassigned: unassigned, logistics: logistics)
    }

    static func account(_ server: TestServer, _ username: String) async throws -> UserAccount {
        try #require(try await server.services.store.user(username: username))
    }

    @Test(
        "The month's dashboard, hand-counted: figures, comparisons, trend and time to close",
        arguments: DatabaseKind.available)
    func dashboard(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await Self.seed(server)
            let reader = try await Self.account(server, Staff.generalManager)
            let april = ReportPeriod.month(4, of: 2026)
            let dashboard = try await server.services.reports.dashboard(
                april, scope: .company, by: reader, now: server.time.now())
            #expect(dashboard.comparedDays == 30)
            let s = dashboard.current
            #expect(s.received == 4)
            #expect(s.closed == 1 && s.closureRate == 0.25)
            #expect(s.rated == 1 && s.satisfaction == 75)
            #expect(s.breakdowns[.channel]?["web"] == 1)
            #expect(s.breakdowns[.department]?["after_sales"] == 2)
            #expect(s.breakdowns[.department]?["logistics"] == 1)
            #expect(s.breakdowns[.department]?[""] == 1)
            #expect(dashboard.previous.received == 1)
            #expect(dashboard.lastYear.received == 1)
            #expect(dashboard.trend.count == 30)
            #expect(dashboard.trend.first { $0.day == LocalDate(year: 2026, month: 4, day: 8) }?.count == 4)
            #expect(dashboard.trend.map(\.count).reduce(0, +) == 4)
            #expect(dashboard.previousTrend.count == 31)
            #expect(dashboard.previousTrend.map(\.count).reduce(0, +) == 1)
            // Closed within the hour it was received.
            #expect(dashboard.hoursToClose.map(\.count) == [1, 0, 0, 0, 0, 0])
            #expect(dashboard.hoursToClose.first?.upTo == 4)
            // Both levels of the categories: the logistics complaint's subcategory, keyed within its category.
            #expect(s.breakdowns[.category]?["delivery"] == 1)
            #expect(s.breakdowns[.subcategory]?["delivery/delivery.damage"] == 1)
            #expect(s.breakdowns[.subcategory]?.counts.map(\.count).reduce(0, +) == 4)
            // Three were assigned the morning they came (first response met, a sliver of its working day used); the
            // unassigned one's first response still runs. Only the closed one's resolution has stopped, in time.
            #expect(s.clocks[.firstResponse] == ClockTally(met: 3, missed: 0))
            #expect(s.clocks[.resolution] == ClockTally(met: 1, missed: 0))
            #expect(dashboard.allowanceUsed[.firstResponse]?.map(\.count) == [3, 0, 0, 0, 0])
            #expect(dashboard.allowanceUsed[.resolution]?.map(\.count) == [1, 0, 0, 0, 0])
            #expect(dashboard.allowanceUsed[.resolution]?.map(\.onTime) == [true, true, false, false, false])

            let afterSales = try await server.services.reports.dashboard(
                april, scope: StatisticsScope(department: Staff.afterSales), by: reader, now: server.time.now())
            #expect(afterSales.current.received == 2 && afterSales.current.closed == 1)

            // While April runs, its first eight days are compared with March's first eight.
            let running = try await server.services.reports.dashboard(
                april, scope: .company, by: reader, now: Instants.instant("2026-04-08T18:00:00+08:00"))
            #expect(running.comparedDays == 8)
            #expect(running.previous.received == 0, "March's complaint came on the 10th")
        }
    }

    @Test(
        "League tables per department and per owner, ranked, below-target lines marked",
        arguments: DatabaseKind.available)
    func league(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await Self.seed(server)
            let reader = try await Self.account(server, Staff.quality)
            let april = ReportPeriod.month(4, of: 2026)
            let departments = try await server.services.reports.league(
                april, by: .department, scope: .company, ranking: .volume, viewer: reader)
            #expect(departments.lines.map(\.key) == ["after_sales", "logistics", nil])
            #expect(departments.lines.map(\.rank) == [1, 2, 3])
            let afterSales = try #require(departments.lines.first)
            #expect(afterSales.measures.received == 2 && afterSales.measures.closureRate == 0.5)
            // 50 % closed misses the 95 % target; its one rating of 4 (75) misses the satisfaction target of 80.
            #expect(afterSales.misses == [.closure, .satisfaction])
            #expect(afterSales.penalties == .zero)

            let owners = try await server.services.reports.league(
                april, by: .owner, scope: .company, ranking: .closure, viewer: reader)
            #expect(owners.lines.map(\.key) == [Staff.agent, Staff.otherAgent, nil])
            #expect(owners.lines.map(\.measures.received) == [2, 1, 1])
            #expect(owners.lines.allSatisfy { $0.penalties == nil })
        }
    }

    @Test("Each figure lists exactly the complaints it counts", arguments: DatabaseKind.available)
    func drillDown(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let f = try await Self.seed(server)
            let manager = WebBrowser(server)
            try await manager.signIn(Staff.generalManager)
            func listed(_ query: String) async throws -> Set<String> {
                let page = try await manager.get("/queue?view=all&from=2026-04-01&to=2026-04-30&" + query)
                #expect(page.status == .ok)
                return Set(
                    [f.closed, f.web, f.unassigned, f.logistics].map(\.number).filter { page.contains($0) })
            }
            let all = Set([f.closed, f.web, f.unassigned, f.logistics].map(\.number))
            #expect(try await listed("") == all)
            #expect(try await listed("outcome=closed") == [f.closed.number])
            #expect(try await listed("outcome=rated") == [f.closed.number])
            #expect(try await listed("outcome=negative").isEmpty)
            #expect(try await listed("channel=web") == [f.web.number])
            #expect(try await listed("department=logistics") == [f.logistics.number])
            #expect(try await listed("owner=\(Staff.otherAgent)") == [f.logistics.number])
            #expect(try await listed("priority=P1") == [f.unassigned.number])
            // The time-to-close bars: closed within four hours, and none beyond ten days.
            #expect(try await listed("close_hours=0-4") == [f.closed.number])
            #expect(try await listed("close_hours=240-").isEmpty)
            // Each clock's met and missed figures, and the bars of the distributions against target.
            #expect(
                try await listed("clock=first_response&clock_outcome=met")
                    == [f.closed.number, f.web.number, f.logistics.number])
            #expect(try await listed("clock=first_response&clock_outcome=missed").isEmpty)
            #expect(try await listed("used=resolution:-50") == [f.closed.number])
            #expect(try await listed("used=resolution:100-").isEmpty)
            #expect(try await listed("category=delivery&subcategory=delivery.damage") == [f.logistics.number])
            let filtered = try await manager.get("/queue?view=all&from=2026-04-01&to=2026-04-30&outcome=closed")
            #expect(filtered.contains("统计筛选"))
            #expect(filtered.contains("2026-04-01 – 2026-04-30"))
            #expect(filtered.contains("已结案"))

            // The dashboard's own links lead there: its "received" figure and the web bar.
            let page = try await manager.get("/dashboard?period=month&value=2026-04")
            #expect(page.status == .ok)
            #expect(page.contains("/queue?view=all&amp;from=2026-04-01&amp;to=2026-04-30&amp;outcome=closed"))
            #expect(page.contains("/queue?view=all&amp;from=2026-04-01&amp;to=2026-04-30&amp;channel=web"))
            #expect(page.contains("<svg class=\"columns\""))
            #expect(page.contains("close_hours=0-4"))
            #expect(page.contains("used=first_response%3A-50"))
            #expect(page.contains("clock=resolution&amp;clock_outcome=met"))
            #expect(page.contains("subcategory=delivery.damage"))
        }
    }

    @Test("Who sees which figures, and where each person starts")
    func access() async throws {
        try await withServer(.sqlite) { server in
            _ = try await Self.seed(server)
            let april = ReportPeriod.month(4, of: 2026)
            let manager = try await Self.account(server, Staff.manager)
            _ = try await server.services.reports.dashboard(
                april, scope: StatisticsScope(department: Staff.afterSales), by: manager, now: server.time.now())
            for scope in [StatisticsScope.company, StatisticsScope(department: Staff.logistics)] {
                await #expect(throws: AccessDenied.self) {
                    _ = try await server.services.reports.dashboard(april, scope: scope, by: manager, now: .now)
                }
            }
            let agent = try await Self.account(server, Staff.agent)
            await #expect(throws: AccessDenied.self) {
                _ = try await server.services.reports.league(
                    april, by: .owner, scope: .company, ranking: .volume, viewer: agent)
            }

            for (username, landing) in [
                (Staff.generalManager, "/dashboard"), (Staff.quality, "/dashboard"), (Staff.manager, "/dashboard"),
                (Staff.agent, "/queue"), (Staff.handler, "/queue"), (Staff.supervisor, "/queue"),
            ] {
                let browser = WebBrowser(server)
                try await browser.get("/login")
                let answer = try await browser.post(
                    "/login", [("username", username), ("password", Staff.password)])
                #expect(answer.location == landing, "\(username)")
            }
            let departmentManager = WebBrowser(server)
            try await departmentManager.signIn(Staff.manager)
            let own = try await departmentManager.get("/dashboard?period=month&value=2026-04")
            #expect(own.status == .ok)
            #expect(own.contains("售后服务部 投诉统计"))
            #expect(try await departmentManager.get("/dashboard?department=").status == .forbidden)
            #expect(try await departmentManager.get("/league?department=logistics").status == .forbidden)
            let agentBrowser = WebBrowser(server)
            try await agentBrowser.signIn(Staff.agent)
            #expect(try await agentBrowser.get("/dashboard").status == .forbidden)
            #expect(!(try await agentBrowser.get("/queue")).contains("href=\"/dashboard\""))
            let bad = try await departmentManager.get("/dashboard?period=month&value=2026-13")
            #expect(bad.status == .badRequest)
            #expect(bad.contains("统计周期无效"))
            #expect(bad.contains("2026-11"))
        }
    }

    @Test("The API gives the same figures, and refuses alike", arguments: DatabaseKind.available)
    func api(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await Self.seed(server)
            struct Figures: Decodable {
                struct Period: Decodable {
                    struct Measures: Decodable {
                        var received: Int
                        var closed: Int
                        var closureRate: Double?
                        var satisfaction: Double?
                    }
                    var start: String
                    var end: String
                    var measures: Measures
                }
                struct Point: Decodable {
                    var day: String
                    var count: Int
                }
                var comparedDays: Int
                var current: Period
                var previous: Period
                var lastYear: Period
                var trend: [Point]
            }
            let april = try await server.send(
                .get, "/statistics?period=month&value=2026-04", as: Staff.generalManager
            ).expect(.ok, Figures.self)
            #expect(april.current.measures.received == 4 && april.current.measures.closed == 1)
            #expect(april.current.measures.closureRate == 0.25 && april.current.measures.satisfaction == 75)
            #expect(april.current.start == "2026-04-01" && april.current.end == "2026-04-30")
            #expect(april.previous.measures.received == 1 && april.previous.end == "2026-03-31")
            #expect(april.lastYear.measures.received == 1 && april.lastYear.start == "2025-04-01")
            #expect(april.trend.first { $0.day == "2026-04-08" }?.count == 4)

            struct Table: Decodable {
                struct Line: Decodable {
                    var rank: Int
                    var key: String?
                    var misses: [String]
                }
                var lines: [Line]
            }
            let owners = try await server.send(
                .get, "/statistics/league?period=month&value=2026-04&by=owner&rank=volume", as: Staff.quality
            ).expect(.ok, Table.self)
            #expect(owners.lines.map(\.key) == [Staff.agent, Staff.otherAgent, nil])
            #expect(owners.lines.first?.misses == ["closure", "satisfaction"])

            let bad = try await server.send(.get, "/statistics?period=quarter&value=2026-Q5", as: Staff.generalManager)
                .problem(.unprocessableContent)
            #expect(bad.fields == ["value"])
            let custom = try await server.send(
                .get, "/statistics?period=custom&from=2026-04-30&to=2026-04-01", as: Staff.generalManager
            ).problem(.unprocessableContent)
            #expect(custom.fields == ["to"])
            #expect(try await server.send(.get, "/statistics", as: Staff.agent).status == .forbidden)
            #expect(try await server.send(.get, "/statistics", as: Staff.manager).status == .forbidden)
            let own = try await server.send(
                .get, "/statistics?period=month&value=2026-04&department=after_sales", as: Staff.manager
            ).expect(.ok, Figures.self)
            #expect(own.current.measures.received == 2)
        }
    }

    @Test(
        "Hotspots: the category and product pairs and the recurring phrases, beside the periods before",
        arguments: DatabaseKind.available)
    func hotspots(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await Self.seed(server)
            let reader = try await Self.account(server, Staff.quality)
            let hotspots = try await server.services.reports.hotspots(
                .month(4, of: 2026), scope: .company, by: reader)
            let first = try #require(hotspots.pairs.first)
            #expect(first.category == "after_sales" && first.product == "变频空调 KF-35" && first.count == 2)
            #expect(first.earlier == [0, 0])
            #expect(hotspots.pairs.contains { $0.category == "delivery" && $0.count == 1 })
            let unassigned = try #require(hotspots.pairs.first { $0.category == nil })
            #expect(unassigned.count == 1 && unassigned.earlier == [1, 0], "March's complaint was never assigned")
            // Every April complaint says the outdoor unit is noisy, in the same words.
            let phrase = try #require(hotspots.phrases.first { $0.text.contains("室外机有异响") })
            #expect(phrase.count == 4 && phrase.earlier == [1, 0])

            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            let page = try await quality.get("/hotspots?period=month&value=2026-04")
            #expect(page.status == .ok)
            #expect(page.contains("室外机"))
            #expect(page.contains("category=after_sales&amp;product="))
            let listed = try await quality.get(
                "/queue?view=all&from=2026-04-01&to=2026-04-30&q=%E5%AE%A4%E5%A4%96%E6%9C%BA")
            #expect(listed.status == .ok)
            let workbook = try await quality.get("/hotspots.xlsx?period=month&value=2026-04")
            #expect(workbook.status == .ok && workbook.bytes.count > 500)
        }
    }
}
