import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

@_spi(Tools) @testable import CloseloopApp

/// SPEC §6: the daily monitoring report's figures against the targets, its anomalies naming the complaints, and
/// its sending once per day.
@Suite("Daily monitoring report")
struct MonitoringTests {
    @Test(
        "Overdue first responses and unhappy customers are anomalies naming their complaints",
        arguments: DatabaseKind.available)
    func anomalies(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Wednesday 10:00: one complaint nobody answers, one solved with a score of 1.
            let ignored = try await server.createComplaint(["subject": "无人理会的投诉"])
            var unhappy = try await server.reaching(
                "verifying", ["subject": "处理结果不满意", "customer": ["name": "李先生", "phone": "13900139000"]],
                assignment: ["category": "quality"])
            unhappy = try await server.perform(
                "verify", on: unhappy, as: Staff.agent, ["solved": true, "satisfied": true, "score": 1])

            // Thursday morning: the report for Wednesday.
            server.time.set(Instants.instant("2026-04-09T08:30:00+08:00"))
            let monitoring = MonitoringService(
                store: server.services.store, settings: server.services.settings, time: server.time)
            let day = await monitoring.yesterday()
            #expect(day == LocalDate(year: 2026, month: 4, day: 8))
            let report = try await monitoring.report(for: day)
            #expect(report.receivedOnDay == 2)
            #expect(report.scores == [1])
            #expect(report.satisfaction == 20)
            #expect(report.negativeRate == 1)
            let kinds = report.anomalies.map(\.kind)
            #expect(kinds.contains(.satisfaction))
            #expect(kinds.contains(.negativeRate))
            let satisfaction = try #require(report.anomalies.first { $0.kind == .satisfaction })
            #expect(satisfaction.complaints == [unhappy.number])
            // P2 first response is one working day: due Thursday 10:00, not yet overdue on Wednesday's report.
            #expect(!kinds.contains(.firstResponseOverdue))
            let thursday = try await monitoring.report(for: LocalDate(year: 2026, month: 4, day: 9))
            let overdue = try #require(thursday.anomalies.first { $0.kind == .firstResponseOverdue })
            #expect(overdue.complaints == [ignored.number])
            #expect(overdue.message.zhHans.contains("首次响应超时：投诉 \(ignored.number)"))

            let text = report.text(in: .zhHans, windowDays: 7)
            #expect(text.contains("系统监控日报 2026-04-08"))
            #expect(text.contains("满意度 20.0 低于目标 80（投诉 \(unhappy.number)）"))
        }
    }

    @Test("The morning report is queued once for the supervisors and administrators, however often it is sent")
    func sentOnce() async throws {
        try await withServer(.sqlite) { server in
            let store = server.services.store
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.supervisor)), channel: "email", address: "liqiang@example.com"))
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.agent)), channel: "email", address: "zhangwei@example.com"))
            _ = try await server.createComplaint()
            let monitoring = MonitoringService(store: store, settings: server.services.settings, time: server.time)
            let report = try await monitoring.report(for: LocalDate(year: 2026, month: 4, day: 8))
            #expect(try await monitoring.send(report) == 1)
            #expect(try await monitoring.send(report) == 0)
            let queued = try await store.outboxMessages().filter { $0.topic == "report.daily" }
            #expect(queued.map(\.recipient) == ["liqiang@example.com"])
            #expect(queued.first?.subject.contains("系统监控日报 2026-04-08") == true)
        }
    }
}

@Suite("Daily report page")
struct DailyReportPageTests {
    @Test("Supervisors read the daily report on a page; agents may not; a bad date is refused")
    func page() async throws {
        try await withServer(.sqlite) { server in
            _ = try await server.createComplaint()
            server.time.set(Instants.instant("2026-04-10T09:00:00+08:00"))
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let page = try await supervisor.get("/reports/daily?date=2026-04-09")
            #expect(page.status == .ok)
            #expect(page.contains("系统监控日报 2026-04-09"))
            #expect(page.contains("首次响应超时"))
            #expect(try await supervisor.get("/reports/daily").contains("系统监控日报 2026-04-09"))
            #expect(try await supervisor.get("/reports/daily?date=yesterday").status == .badRequest)
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(try await agent.get("/reports/daily").status == .forbidden)
        }
    }
}

@Suite("Monitoring alerts")
struct MonitoringAlertTests {
    @Test(
        "An overdue first response raises a monitoring alert naming the complaint, once a day",
        arguments: DatabaseKind.available)
    func alertOnce(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let store = server.services.store
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.supervisor)), channel: "email", address: "liqiang@example.com"))
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.admin)), channel: "dingtalk", address: "http://127.0.0.1:9/ops"))
            let complaint = try await server.createComplaint()
            let monitoring = MonitoringService(store: store, settings: server.services.settings, time: server.time)
            #expect(try await monitoring.raiseAlerts() == 0)
            // Thursday 09:00: due at 10:00 today, not overdue yet, so no alert.
            server.time.set(Instants.instant("2026-04-09T09:00:00+08:00"))
            #expect(try await monitoring.raiseAlerts() == 0)
            // P2's first response is due Thursday 10:00; at 10:30 it is overdue.
            server.time.set(Instants.instant("2026-04-09T10:30:00+08:00"))
            #expect(try await monitoring.raiseAlerts() == 2)
            #expect(try await monitoring.raiseAlerts() == 0, "the same anomaly is raised once a day")
            let alerts = try await store.outboxMessages().filter { $0.topic == "monitoring.first_response_overdue" }
            #expect(Set(alerts.map(\.recipient)) == ["liqiang@example.com", "http://127.0.0.1:9/ops"])
            #expect(alerts.allSatisfy { $0.subject.contains("首次响应超时：投诉 \(complaint.number)") })
        }
    }
}
