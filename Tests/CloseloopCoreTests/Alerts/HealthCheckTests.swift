import CloseloopCore
import Foundation
import Testing

/// SPEC §6's last line: an instance's own health (intake failing, slow pages, a stuck watcher or dispatcher, a
/// growing outbox) against its thresholds, and a day of checks summed for the daily report.
@Suite("System health")
struct HealthCheckTests {
    typealias F = LoopFixtures

    let targets = HealthTargets.standard

    /// A quiet five minutes on instance `web-1:42`, both passes finishing every few seconds.
    func check(at instant: String = "2026-04-09T10:05:00+08:00") -> HealthCheck {
        let at = F.instant(instant)
        return HealthCheck(
            instance: "web-1:42", at: at, since: at.addingTimeInterval(-300), intakes: 40, intakeFailures: 0,
            requests: 900, p99Milliseconds: 180,
            passes: [
                .init(kind: .deadlineWatcher, watchedSince: at.addingTimeInterval(-3600), lastRun: at),
                .init(kind: .outboxDispatcher, watchedSince: at.addingTimeInterval(-3600), lastRun: at),
            ],
            outboxPending: 3, outboxFailed: 0)
    }

    @Test("A quiet check crosses nothing")
    func quiet() {
        #expect(check().anomalies(against: targets).isEmpty)
    }

    @Test("One failed intake is an alert naming the instance and how many of how many failed")
    func intakeFailing() throws {
        var failing = check()
        failing.intakeFailures = 2
        let anomaly = try #require(failing.anomalies(against: targets).first)
        #expect(anomaly.kind == .intakeFailing)
        #expect(anomaly.message.zhHans == "受理失败：实例 web-1:42 近 5 分钟 2 件投诉未能受理（共 42 次）")
        #expect(anomaly.message.en.contains("failed to take 2 of 42 complaints in the last 5 minutes"))
        var tolerant = targets
        tolerant.intakeFailures = 3
        #expect(failing.anomalies(against: tolerant).isEmpty, "the threshold is a setting")
    }

    @Test("A p99 above the limit is slow; at the limit it is not; no requests is no figure")
    func slowPages() throws {
        var slow = check()
        slow.p99Milliseconds = 2_001
        let anomaly = try #require(slow.anomalies(against: targets).first)
        #expect(anomaly.kind == .slowPages)
        #expect(anomaly.message.zhHans.contains("900 个请求的 p99 为 2001 毫秒，超过 2000 毫秒"))
        slow.p99Milliseconds = 2_000
        #expect(slow.anomalies(against: targets).isEmpty)
        slow.requests = 0
        slow.p99Milliseconds = nil
        #expect(slow.anomalies(against: targets).isEmpty)
    }

    @Test("A watcher or dispatcher idle for the stale minutes is stalled, whether it ran before or never did")
    func stalled() throws {
        var stuck = check()
        stuck.passes[0].lastRun = stuck.at.addingTimeInterval(-9 * 60 - 59)
        #expect(stuck.anomalies(against: targets).isEmpty, "nine minutes 59 is not yet ten")
        stuck.passes[0].lastRun = stuck.at.addingTimeInterval(-12 * 60)
        let watcher = try #require(stuck.anomalies(against: targets).first)
        #expect(watcher.kind == .watcherStalled)
        #expect(watcher.message.zhHans == "时限监控停滞：实例 web-1:42 已 12 分钟未完成一轮")

        var never = check()
        never.passes[1] = .init(
            kind: .outboxDispatcher, watchedSince: never.at.addingTimeInterval(-11 * 60), lastRun: nil)
        let dispatcher = try #require(never.anomalies(against: targets).first)
        #expect(dispatcher.kind == .dispatcherStalled)
        #expect(
            dispatcher.message.en
                == "Outbox dispatcher stalled: instance web-1:42 has not finished a pass in the 11 minutes since it started"
        )
        // An instance that runs neither (a CLI pass, a test) has nothing to be stalled.
        never.passes = []
        #expect(never.anomalies(against: targets).isEmpty)
    }

    @Test("More messages waiting than the limit is a backlog")
    func backlog() throws {
        var behind = check()
        behind.outboxPending = 501
        behind.outboxFailed = 4
        let anomaly = try #require(behind.anomalies(against: targets).first)
        #expect(anomaly.kind == .outboxBacklog)
        #expect(anomaly.message.zhHans == "待发消息积压：501 条等待发送，超过 500 条（已放弃 4 条）")
        behind.outboxPending = 500
        #expect(behind.anomalies(against: targets).isEmpty)
    }

    @Test("A day of checks from two instances sums intakes and requests, keeps the slowest p99 and each anomaly once")
    func summary() throws {
        var first = check(at: "2026-04-09T10:05:00+08:00")
        var second = check(at: "2026-04-09T10:10:00+08:00")
        second.instance = "web-2:7"
        second.intakeFailures = 1
        second.p99Milliseconds = 2_400
        second.outboxPending = 12
        var third = check(at: "2026-04-09T10:15:00+08:00")
        third.intakeFailures = 3
        third.outboxFailed = 2
        first.outboxPending = 7
        let summary = HealthSummary.make(
            checks: [third, first, second], targets: targets, timeZone: BusinessCalendar.chinaMainland.timeZone)
        #expect(summary.checks == 3)
        #expect(summary.instances == ["web-1:42", "web-2:7"])
        #expect(summary.intakes == 120)
        #expect(summary.intakeFailures == 4)
        #expect(summary.requests == 2_700)
        #expect(summary.slowest?.milliseconds == 2_400)
        #expect(summary.slowest?.instance == "web-2:7")
        #expect(summary.outboxPendingPeak == 12)
        #expect(summary.outboxFailed == 2, "given up at the day's last check")
        #expect(summary.anomalies.map(\.kind) == [.intakeFailing, .slowPages])
        let failing = try #require(summary.anomalies.first)
        #expect(failing.checks == 2)
        #expect(failing.first == second.at)
        #expect(failing.last == third.at)

        let lines = summary.lines(in: .zhHans)
        #expect(lines.contains("检查 3 次，实例 2 个：web-1:42, web-2:7"))
        #expect(lines.contains("受理 120 件，失败 4 件"))
        #expect(lines.contains("请求 2700 个，最慢一次检查的 p99 为 2400 毫秒（10:10，web-2:7）"))
        #expect(lines.contains { $0.hasPrefix("- 受理失败：实例 web-1:42") && $0.hasSuffix("（2 次检查，10:10–10:15）") })
        let english = summary.lines(in: .en)
        #expect(english.contains("Outbox: at most 12 waiting, 2 given up"))
    }

    @Test("A day without checks says no server ran, rather than that all was well")
    func noChecks() {
        let summary = HealthSummary.make(checks: [], targets: targets, timeZone: .gmt)
        #expect(summary.lines(in: .en) == ["No health checks were recorded (no server was running)."])
    }

    @Test("A policy saved before the health targets existed reads with the defaults; bad targets are named")
    func policy() throws {
        var saved = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AlertPolicy.standard)) as! [String: Any]
        #expect(saved["health"] != nil)
        saved["health"] = nil
        let old = try JSONDecoder().decode(AlertPolicy.self, from: JSONSerialization.data(withJSONObject: saved))
        #expect(old.health == .standard)
        var policy = AlertPolicy.standard
        policy.health.staleMinutes = 1
        policy.health.intakeFailures = 0
        #expect(
            policy.problems() == [
                "the failed intakes that raise an alert must be 1 to 10,000",
                "a stuck watcher or dispatcher is noticed after 2 minutes to a day",
            ])
    }
}
