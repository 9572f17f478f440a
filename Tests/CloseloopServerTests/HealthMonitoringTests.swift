import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@_spi(Tools) @testable import CloseloopApp

/// SPEC §6's last line, issue 16 item 7: each instance checks its own health every round, the checks are kept for
/// the daily report, and a crossed threshold reaches the supervisors and administrators through the outbox.
@Suite("System health monitoring")
struct HealthMonitoringTests {
    /// Request latency here is the test machine's, which a full parallel run can slow past any limit: the slow-page
    /// threshold is set out of reach, so each test sees only the anomalies it makes (the core's tests and the
    /// histogram's cover the slow-page rule).
    func ignoringLatency(_ server: TestServer) async throws {
        var policy = await server.services.settings.alertPolicy()
        policy.health.slowPageMilliseconds = 600_000
        try await server.services.settings.save(policy, by: .commandLine, section: "alerts", detail: "")
    }

    @Test(
        "An intake the database cannot store and a stalled watcher raise alerts, once an hour per kind",
        arguments: DatabaseKind.available)
    func alerts(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let services = server.services
            try await ignoringLatency(server)
            try await services.store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.supervisor)), channel: "email", address: "liqiang@example.com"))
            let monitoring = services.monitoring
            _ = try await server.createComplaint()
            services.health.watch(.deadlineWatcher)
            services.health.finished(.deadlineWatcher)
            let quiet = try await monitoring.checkHealth()
            #expect(quiet.queued == 0)
            #expect(quiet.check.intakes == 1)
            #expect(quiet.check.intakeFailures == 0)
            #expect(quiet.check.requests >= 1, "the intake's own request was timed")

            // The complaints table is gone from under the server: an intake fails on the server's side.
            try await services.store.database.transaction { db in
                try await db.raw("ALTER TABLE complaints RENAME TO complaints_away").run()
            }
            let failed = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields())
            #expect(failed.status.code >= 500)
            try await services.store.database.transaction { db in
                try await db.raw("ALTER TABLE complaints_away RENAME TO complaints").run()
            }
            // Eleven minutes without a finished watcher pass.
            server.time.advance(by: 11 * 60)
            let alarmed = try await monitoring.checkHealth()
            #expect(alarmed.check.intakeFailures == 1)
            #expect(alarmed.queued == 2)
            let messages = try await services.store.outboxMessages().filter { $0.topic.hasPrefix("health.") }
            #expect(Set(messages.map(\.topic)) == ["health.intake_failing", "health.watcher_stalled"])
            #expect(messages.allSatisfy { $0.recipient == "liqiang@example.com" })
            let intake = try #require(messages.first { $0.topic == "health.intake_failing" })
            #expect(intake.subject.hasPrefix("【系统健康预警】受理失败：实例 \(services.health.instance)"))
            #expect(intake.subject.contains("1 件投诉未能受理"))

            // Five minutes on, still stalled, no new failures: the watcher's alert is not sent again this hour.
            server.time.advance(by: 5 * 60)
            #expect(try await monitoring.checkHealth().queued == 0)
            server.time.advance(by: 3600)
            #expect(try await monitoring.checkHealth().queued == 1, "an hour later it is raised again")
            services.health.finished(.deadlineWatcher)
            server.time.advance(by: 60)
            #expect(try await monitoring.checkHealth().queued == 0, "a watcher that runs again is quiet")

            // The day's report sums every check kept, and says what went wrong and when.
            let (_, calendar) = await services.settings.current()
            let report = try await monitoring.report(
                for: calendar.localDate(of: server.time.now()), asOf: server.time.now())
            let health = try #require(report.health)
            #expect(health.checks == 5)
            #expect(health.intakes == 1)
            #expect(health.intakeFailures == 1)
            #expect(health.anomalies.map(\.kind) == [.intakeFailing, .watcherStalled])
            #expect(health.anomalies.last?.checks == 3)
            let text = report.text(in: .zhHans, windowDays: 7)
            #expect(text.contains("系统健康：\n检查 5 次，实例 1 个：\(services.health.instance)"))
            #expect(text.contains("受理 1 件，失败 1 件"))
        }
    }

    @Test("A refused intake is the caller's to fix, not the server failing")
    func refusedIsNotFailing() async throws {
        try await withServer(.sqlite) { server in
            try await ignoringLatency(server)
            let refused = try await server.send(
                .post, "/complaints", as: Staff.agent,
                json: TestServer.complaintFields(["receivedAt": "2031-01-01T09:00:00Z"]))
            #expect(refused.status == .unprocessableContent)
            let check = try await server.services.monitoring.checkHealth().check
            #expect(check.intakes == 0)
            #expect(check.intakeFailures == 0)
            #expect(check.anomalies(against: await server.services.settings.alertPolicy().health).isEmpty)
        }
    }

    @Test("A backlog beyond the limit in the settings is an alert; the limit is the administrator's")
    func backlog() async throws {
        try await withServer(.sqlite) { server in
            let services = server.services
            try await ignoringLatency(server)
            try await services.store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.admin)), channel: "email", address: "admin@example.com"))
            let now = server.time.instant()
            try await services.store.enqueue(
                (1...3).map {
                    OutboxMessage(
                        id: "backlog-\($0)", createdAt: now, complaintID: nil, topic: "test", channel: "email",
                        recipient: "someone@example.com", subject: "s", body: "b")
                })
            #expect(try await services.monitoring.checkHealth().queued == 0)
            var policy = await services.settings.alertPolicy()
            policy.health.outboxBacklog = 2
            try await services.settings.save(policy, by: .commandLine, section: "alerts", detail: "")
            let (check, queued) = try await services.monitoring.checkHealth()
            #expect(check.outboxPending == 3)
            #expect(queued == 1)
            let alert = try #require(
                try await services.store.outboxMessages().first { $0.topic == "health.outbox_backlog" })
            #expect(alert.subject == "【系统健康预警】待发消息积压：3 条等待发送，超过 2 条（已放弃 0 条）")
        }
    }

    @Test("The histogram's p99 is within ten per cent above the true one, and empty is no figure")
    func histogram() {
        var latencies = LatencyHistogram()
        #expect(latencies.percentile(0.99) == nil)
        for milliseconds in 1...1_000 { latencies.record(.milliseconds(milliseconds)) }
        let p99 = latencies.percentile(0.99)
        #expect(p99.map { $0 >= 990 && $0 <= 1_089 } == true, "\(String(describing: p99))")
        var fast = LatencyHistogram()
        fast.record(.microseconds(300))
        #expect(fast.percentile(0.99) == 1)
        var slow = LatencyHistogram()
        slow.record(.seconds(3_600))
        #expect(slow.percentile(0.99).map { $0 >= 600_000 } == true, "past the last bucket is the last bucket")
    }

    @Test("The daily report page has a health section: the figures and anomalies, or that no server checked")
    func page() async throws {
        try await withServer(.sqlite) { server in
            server.services.health.intake(failed: true)
            _ = try await server.services.monitoring.checkHealth()
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let today = try await supervisor.get("/reports/daily?date=2026-04-08")
            #expect(today.status == .ok)
            #expect(today.contains("<h2 id=\"health-heading\">系统健康</h2>"))
            #expect(today.contains("受理 0 件，失败 1 件"))
            #expect(today.contains("受理失败：实例 \(server.services.health.instance)"))
            let before = try await supervisor.get("/reports/daily?date=2026-04-07")
            #expect(before.contains("未记录系统健康检查（服务器未运行）。"))
            #expect(!before.contains("系统健康无异常"))
        }
    }
}
