import CloseloopCore
import Foundation
import Testing

/// SPEC §5: warnings before a deadline, alerts at it, one level up for each further span, each exactly once per
/// clock cycle, computed from the history alone so every server instance agrees.
@Suite("Alert schedule")
struct AlertScheduleTests {
    typealias F = LoopFixtures

    let schedule = AlertSchedule(policy: .standard)
    let clockSchedule = ClockSchedule(policy: .standard, calendar: .chinaMainland)

    /// A dissatisfied P2 complaint received Monday 09:00: first contact due 09:30, completeness 10:00.
    func story() throws -> ComplaintStory { try ComplaintStory() }

    func due(_ story: ComplaintStory, at instant: String) -> [ClockAlert] {
        schedule.due(clocks: clockSchedule.clocks(for: story.history), history: story.history, at: F.instant(instant))
    }

    func next(_ story: ComplaintStory, after instant: String) -> Date? {
        schedule.nextAlert(
            clocks: clockSchedule.clocks(for: story.history), history: story.history, after: F.instant(instant))
    }

    /// Records alerts as the watcher would: system events appended to the history.
    func record(_ alerts: [ClockAlert], in story: inout ComplaintStory, at instant: String) {
        for alert in alerts {
            let event = ComplaintEvent(
                sequence: story.history.count + 1, at: F.instant(instant), actor: Actor.system.reference,
                change: .clockAlerted(alert))
            story.complaint.apply(event)
            story.history.append(event)
        }
    }

    @Test("Nothing is owed before three quarters of a clock's time is used; the warning comes then, once")
    func warningOnce() throws {
        var story = try story()
        #expect(due(story, at: "2026-04-13T09:20:00+08:00").isEmpty)
        #expect(next(story, after: "2026-04-13T09:00:00+08:00") == F.instant("2026-04-13T09:22:30+08:00"))
        let warnings = due(story, at: "2026-04-13T09:23:00+08:00")
        #expect(warnings.map(\.clock) == [.firstContact])
        #expect(warnings.map(\.kind) == [.warning])
        #expect(warnings.first?.dueAt == F.instant("2026-04-13T09:30:00+08:00"))
        record(warnings, in: &story, at: "2026-04-13T09:23:00+08:00")
        #expect(due(story, at: "2026-04-13T09:24:00+08:00").isEmpty)
        #expect(next(story, after: "2026-04-13T09:24:00+08:00") == F.instant("2026-04-13T09:30:00+08:00"))
        // The history round-trips through its JSON form with the alert in it.
        let data = try JSONEncoder().encode(story.history)
        #expect(try JSONDecoder().decode([ComplaintEvent].self, from: data) == story.history)
    }

    @Test("A breach is level 1, and each further span without the clock stopping is one level more, up to the top")
    func escalation() throws {
        var story = try story()
        record(due(story, at: "2026-04-13T09:23:00+08:00"), in: &story, at: "2026-04-13T09:23:00+08:00")
        let first = due(story, at: "2026-04-13T09:31:00+08:00")
        #expect(first.map(\.kind) == [.breach])
        #expect(first.map(\.level) == [1])
        record(first, in: &story, at: "2026-04-13T09:31:00+08:00")
        #expect(due(story, at: "2026-04-13T09:45:00+08:00").filter { $0.clock == .firstContact }.isEmpty)
        // The span of first contact is 30 minutes: level 2 at 10:00, 3 at 10:30, 4 at 11:00, and no level 5.
        for (instant, level) in [
            ("2026-04-13T10:00:30+08:00", 2), ("2026-04-13T10:30:30+08:00", 3), ("2026-04-13T11:00:30+08:00", 4),
        ] {
            let alerts = due(story, at: instant).filter { $0.clock == .firstContact }
            #expect(alerts.map(\.level) == [level], "\(instant)")
            record(alerts, in: &story, at: instant)
        }
        #expect(due(story, at: "2026-04-13T13:00:00+08:00").filter { $0.clock == .firstContact }.isEmpty)
    }

    @Test("After an outage only the highest level owed is recorded, and no stale warning")
    func catchUp() throws {
        let story = try story()
        let owed = due(story, at: "2026-04-13T10:40:00+08:00")
        let firstContact = owed.filter { $0.clock == .firstContact }
        #expect(firstContact.map(\.kind) == [.breach])
        #expect(firstContact.map(\.level) == [3])
        // Completeness (1 h, due 10:00) has passed its deadline but not a second span.
        #expect(owed.filter { $0.clock == .completeness }.map(\.level) == [1])
    }

    @Test("A clock that stopped in time owes nothing; the next cycle of a restarted clock has its own alerts")
    func stoppedAndRestarted() throws {
        var story = try story()
        try story.perform(
            .recordContact(outcome: .reached, note: ""), by: .staff(F.agent), at: "2026-04-13T09:10:00+08:00")
        #expect(due(story, at: "2026-04-13T09:31:00+08:00").filter { $0.clock == .firstContact }.isEmpty)
        let clocks = clockSchedule.clocks(for: story.history)
        #expect(clocks.first { $0.clock == .firstContact }?.isRunning == false)
    }

    @Test("A clock paused while waiting for the customer owes nothing until it runs again")
    func paused() throws {
        var story = try story()
        try story.perform(
            .checkCompleteness(complete: false, missing: ["reference"], note: ""), by: .staff(F.agent),
            at: "2026-04-13T09:05:00+08:00")
        let alerts = due(story, at: "2026-04-14T09:00:00+08:00")
        for alert in alerts {
            let status = clockSchedule.clocks(for: story.history).first { $0.clock == alert.clock }
            #expect(status?.dueAt != nil, "\(alert.clock) is paused but alerted")
        }
    }

    @Test("No running clock, no next alert")
    func closedHasNone() throws {
        var story = try story()
        try story.perform(.checkCompleteness(complete: true, missing: [], note: ""), by: .staff(F.agent))
        try story.perform(.decideValidity(valid: false, reason: "不属于本公司产品"), by: .staff(F.agent))
        #expect(next(story, after: "2026-04-13T09:10:00+08:00") == nil)
        #expect(due(story, at: "2026-04-20T09:00:00+08:00").isEmpty)
    }

    @Test("The standard alert policy is usable and a broken one is refused with reasons")
    func policyProblems() {
        #expect(AlertPolicy.standard.problems().isEmpty)
        var broken = AlertPolicy.standard
        broken.warningAt = 1.5
        broken.escalation = []
        broken.monitoring.windowDays = 0
        #expect(broken.problems().count == 3)
    }
}
