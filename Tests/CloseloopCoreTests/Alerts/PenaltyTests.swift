import Foundation
import Testing

@testable import CloseloopCore

/// SPEC §3 and §5: what a breach costs the responsible department, when it is recorded, and what waives it.
@Suite("Alerts and penalties")
struct PenaltyTests {
    typealias F = LoopFixtures

    static let cycle = F.instant(F.mondayMorning)

    static func alert(_ kind: ClockAlert.Kind, _ clock: ClockKind, level: Int = 1) -> ClockAlert {
        ClockAlert(kind: kind, clock: clock, cycleStart: cycle, dueAt: cycle.addingTimeInterval(1800), level: level)
    }

    @Test("Only breaches of the fined clocks cost, at the severity's amount, charged to the responsible department")
    func incurred() throws {
        let story = try ComplaintStory.reaching(.investigating)
        let alerts = [
            Self.alert(.warning, .firstContact, level: 0), Self.alert(.breach, .firstContact),
            Self.alert(.breach, .resolution),
        ]
        let penalties = Penalties.incurred(
            by: alerts, on: story.complaint, policy: .standard, finedClocks: [.firstContact])
        let amount = try #require(ServicePolicy.standard.severities[story.complaint.severity]?.penalty)
        #expect(
            penalties == [
                Penalty(
                    clock: .firstContact, cycleStart: Self.cycle, department: story.complaint.department,
                    severity: story.complaint.severity, amount: amount)
            ])
    }

    @Test("Before assignment the department complained about is charged; a zero amount charges no one")
    func departmentAndZero() throws {
        var intake = F.intake()
        intake.complainedAboutDepartment = F.afterSales
        let story = try ComplaintStory(intake)
        let breach = [Self.alert(.breach, .firstContact)]
        let charged = Penalties.incurred(
            by: breach, on: story.complaint, policy: .standard, finedClocks: [.firstContact])
        #expect(charged.map(\.department) == [F.afterSales])
        var free = ServicePolicy.standard
        free.severities[story.complaint.severity]?.penalty = .zero
        #expect(Penalties.incurred(by: breach, on: story.complaint, policy: free, finedClocks: [.firstContact]).isEmpty)
    }

    @Test("An approved delay waives the penalties so far; a refused one does not")
    func waiver() throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(F.sample(.requestDelay, now: story.nextInstant), by: .staff(F.agent))
        let refused = try story.workflow.apply(
            .decideDelay(approved: false, comment: "理由不充分"), to: story.complaint, by: .staff(F.departmentManager),
            at: story.nextInstant)
        #expect(Penalties.waiver(in: refused) == nil)
        let approved = try story.perform(.decideDelay(approved: true, comment: "同意延期"), by: .staff(F.departmentManager))
        #expect(Penalties.waiver(in: approved) == "delay approved: 同意延期")
    }

    @Test("Alerts are recorded by the system, numbered after the history, and fold in like any event")
    func raised() throws {
        let story = try ComplaintStory.reaching(.investigating)
        let now = story.nextInstant
        let owed = [Self.alert(.warning, .firstContact, level: 0), Self.alert(.breach, .firstContact)]
        let events = story.workflow.raise(owed, on: story.complaint, at: now)
        #expect(events.map(\.sequence) == [story.complaint.version + 1, story.complaint.version + 2])
        #expect(events.allSatisfy { $0.actor == Actor.system.reference && $0.at == now })
        #expect(events.map(\.change) == owed.map { .clockAlerted($0) })
        var complaint = story.complaint
        for event in events { complaint.apply(event) }
        #expect(complaint.version == story.complaint.version + 2)
        #expect(complaint.state == story.complaint.state)
    }

    @Test(
        "Management hears of a complaint once, when it first reaches a severity the policy reports",
        arguments: [
            (Severity.major, nil, true), (.crisis, nil, true), (.dissatisfied, nil, false),
            (.major, .dissatisfied, true), (.crisis, .major, false), (.major, .major, false),
            (.dissatisfied, .major, false),
        ] as [(Severity, Severity?, Bool)])
    func managementReport(now: Severity, before: Severity?, reported: Bool) {
        #expect(ServicePolicy.standard.reportsToManagement(at: now, previously: before) == reported)
    }
}
