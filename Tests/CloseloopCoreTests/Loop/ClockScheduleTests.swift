import Foundation
import Testing

@testable import CloseloopCore

@Suite("Clocks of SPEC §5 at exact instants on the China mainland calendar")
struct ClockScheduleTests {
    typealias F = LoopFixtures

    static let schedule = ClockSchedule(policy: .standard, calendar: .chinaMainland)

    /// The clocks of `story`, by kind.
    static func clocks(_ story: ComplaintStory) -> [ClockKind: ClockStatus] {
        Dictionary(uniqueKeysWithValues: schedule.clocks(for: story.history).map { ($0.clock, $0) })
    }

    /// Expected deadlines of the clocks a fresh complaint starts with.
    struct Receipt: Sendable, CustomTestStringConvertible {
        var what: String
        var priority: Priority
        var severity: Severity
        var receivedAt: String
        var due: [ClockKind: String]
        var testDescription: String { what }
    }

    static let receipts: [Receipt] = [
        Receipt(
            what: "a P2 received on the Friday before 清明 (Apr 4–6)",
            priority: .p2,
            severity: .dissatisfied,
            receivedAt: "2026-04-03T16:30:00+08:00",
            due: [
                .completeness: "2026-04-03T17:30:00+08:00", .firstContact: "2026-04-03T17:00:00+08:00",
                .firstResponse: "2026-04-07T16:30:00+08:00", .resolution: "2026-04-13T16:30:00+08:00",
            ]
        ),
        Receipt(
            what: "a P2 received late that Friday: first contact runs over the holiday",
            priority: .p2,
            severity: .dissatisfied,
            receivedAt: "2026-04-03T17:45:00+08:00",
            due: [.completeness: "2026-04-07T09:45:00+08:00", .firstContact: "2026-04-07T09:15:00+08:00"]
        ),
        Receipt(
            what: "a P2 very dissatisfied received at 17:40 is contacted by the end of the day",
            priority: .p2,
            severity: .veryDissatisfied,
            receivedAt: "2026-04-03T17:40:00+08:00",
            due: [.firstContact: "2026-04-03T18:00:00+08:00"]
        ),
        Receipt(
            what: "a P2 received after hours waits for Tuesday's first working minute",
            priority: .p2,
            severity: .major,
            receivedAt: "2026-04-03T20:00:00+08:00",
            due: [.firstContact: "2026-04-07T09:10:00+08:00", .completeness: "2026-04-07T10:00:00+08:00"]
        ),
        Receipt(
            what: "a P1 received on the 调休 Saturday 2026-02-14",
            priority: .p1,
            severity: .dissatisfied,
            receivedAt: "2026-02-14T10:00:00+08:00",
            due: [
                .firstResponse: "2026-02-14T15:00:00+08:00", .firstContact: "2026-02-14T10:30:00+08:00",
                .resolution: "2026-02-26T10:00:00+08:00",
            ]
        ),
        Receipt(
            what: "a P0 received late on 国庆 runs on calendar time",
            priority: .p0,
            severity: .dissatisfied,
            receivedAt: "2026-10-01T23:30:00+08:00",
            due: [
                .firstResponse: "2026-10-02T00:30:00+08:00", .firstContact: "2026-10-02T00:00:00+08:00",
                .resolution: "2026-10-02T23:30:00+08:00", .completeness: "2026-10-02T00:30:00+08:00",
            ]
        ),
        Receipt(
            what: "a P2 crisis runs on calendar time too",
            priority: .p2,
            severity: .crisis,
            receivedAt: "2026-10-01T23:30:00+08:00",
            due: [.firstContact: "2026-10-01T23:40:00+08:00", .firstResponse: "2026-10-02T23:30:00+08:00"]
        ),
    ]

    @Test("A new complaint starts completeness, first response, first contact and resolution", arguments: receipts)
    func dueOnReceipt(receipt: Receipt) throws {
        let story = try ComplaintStory(
            F.intake(priority: receipt.priority, severity: receipt.severity),
            receivedAt: receipt.receivedAt
        )
        let clocks = Self.clocks(story)
        #expect(Set(clocks.keys) == [.completeness, .firstResponse, .firstContact, .resolution])
        for (clock, due) in receipt.due {
            #expect(clocks[clock]?.dueAt == F.instant(due), "\(clock.rawValue)")
            #expect(clocks[clock]?.startedAt == F.instant(receipt.receivedAt))
            #expect(clocks[clock]?.isRunning == true)
        }
        let basis: TimeBasis = receipt.priority == .p0 || receipt.severity == .crisis ? .calendar : .working
        #expect(clocks.values.allSatisfy { $0.basis == basis })
    }

    @Test("A request starts the request-answer clock instead of first contact and resolution")
    func requestClocks() throws {
        var story = try ComplaintStory(F.intake(kind: .inquiry), receivedAt: "2026-04-13T10:00:00+08:00")
        #expect(Set(Self.clocks(story).keys) == [.completeness, .firstResponse, .requestAnswer])
        #expect(Self.clocks(story)[.requestAnswer]?.dueAt == F.instant("2026-04-14T10:00:00+08:00"))
        try story.perform(.answerRequest(answer: "已答复"), by: .staff(F.agent), at: "2026-04-13T11:00:00+08:00")
        #expect(Self.clocks(story).values.allSatisfy { !$0.isRunning })
        #expect(Self.clocks(story)[.requestAnswer]?.condition(at: F.instant("2026-05-01T00:00:00+08:00")) == .met)
    }

    // MARK: Pauses

    @Test("Waiting for the customer's information holds the clocks with no deadline")
    func waitingHolds() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.perform(
            .checkCompleteness(complete: false, missing: ["订单号"], note: ""),
            by: .staff(F.agent),
            at: "2026-04-13T10:20:00+08:00"
        )
        let clocks = Self.clocks(story)
        let later = F.instant("2026-04-30T10:00:00+08:00")
        for clock in [ClockKind.firstResponse, .firstContact, .resolution] {
            #expect(clocks[clock]?.dueAt == nil, "\(clock.rawValue)")
            #expect(clocks[clock]?.condition(at: later) == .paused, "\(clock.rawValue)")
        }
        #expect(clocks[.completeness]?.stoppedAt == F.instant("2026-04-13T10:20:00+08:00"))
        #expect(clocks[.completeness]?.condition(at: later) == .met)
        #expect(ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == nil)
    }

    @Test("Once the information arrives, each deadline moves out by the working time spent waiting")
    func informationExtends() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        let unpaused = Self.clocks(story)
        #expect(unpaused[.resolution]?.dueAt == F.instant("2026-04-20T10:00:00+08:00"))
        #expect(unpaused[.firstResponse]?.dueAt == F.instant("2026-04-14T10:00:00+08:00"))
        try story.perform(
            .checkCompleteness(complete: false, missing: ["订单号"], note: ""),
            by: .staff(F.agent),
            at: "2026-04-13T10:20:00+08:00"
        )
        // Waiting from Monday 10:20 to Tuesday 10:20 is one working day of 8 hours.
        try story.perform(
            .provideInformation(note: "SO-2026-04-0088", attachments: []),
            by: .customer,
            at: "2026-04-14T10:20:00+08:00"
        )
        let clocks = Self.clocks(story)
        #expect(clocks[.resolution]?.dueAt == F.instant("2026-04-21T10:00:00+08:00"))
        #expect(clocks[.firstResponse]?.dueAt == F.instant("2026-04-15T10:00:00+08:00"))
        #expect(clocks[.firstContact]?.dueAt == F.instant("2026-04-14T10:30:00+08:00"))
        #expect(clocks[.resolution]?.condition(at: F.instant("2026-04-20T12:00:00+08:00")) == .running)
    }

    /// A P2 complaint received Monday 10:00, assigned and contacted, with a delay until Wednesday 10:00 decided.
    static func delayed(approved: Bool) throws -> ComplaintStory {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        try story.perform(
            .recordContact(outcome: .reached, note: "已联系"),
            by: .staff(F.agent),
            at: "2026-04-13T10:20:00+08:00"
        )
        try story.perform(
            .requestDelay(reason: "客户出差至周三", until: F.instant("2026-04-15T10:00:00+08:00")),
            by: .staff(F.agent),
            at: "2026-04-13T10:50:00+08:00"
        )
        try story.perform(
            .decideDelay(approved: approved, comment: "已核实"),
            by: .staff(F.departmentManager),
            at: "2026-04-13T11:00:00+08:00"
        )
        return story
    }

    @Test("An approved delay pauses resolution from its approval until its end; a rejected one does not")
    func approvedDelay() throws {
        // Monday 11:00 to Wednesday 10:00 is 6 + 8 + 1 = 15 working hours.
        #expect(
            Self.clocks(try Self.delayed(approved: true))[.resolution]?.dueAt == F.instant("2026-04-21T18:00:00+08:00")
        )
        #expect(
            Self.clocks(try Self.delayed(approved: false))[.resolution]?.dueAt == F.instant("2026-04-20T10:00:00+08:00")
        )
    }

    @Test("Only the decision pauses: a delay still waiting for approval changes nothing")
    func pendingDelay() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        try story.perform(
            .requestDelay(reason: "客户出差", until: F.instant("2026-04-15T10:00:00+08:00")),
            by: .staff(F.agent)
        )
        #expect(Self.clocks(story)[.resolution]?.dueAt == F.instant("2026-04-20T10:00:00+08:00"))
    }

    // MARK: Starting, stopping, restarting

    @Test("Assignment stops first response and starts the daily update; reaching the customer stops first contact")
    func assignmentAndContact() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        let assignedAt = story.complaint.updatedAt
        try story.perform(
            .recordContact(outcome: .noAnswer, note: "无人接听"),
            by: .staff(F.agent),
            at: "2026-04-13T10:25:00+08:00"
        )
        #expect(Self.clocks(story)[.firstContact]?.isRunning == true)
        try story.perform(
            .recordContact(outcome: .reached, note: "已联系"),
            by: .staff(F.agent),
            at: "2026-04-13T10:40:00+08:00"
        )
        let clocks = Self.clocks(story)
        #expect(clocks[.firstResponse]?.stoppedAt == assignedAt)
        #expect(clocks[.firstResponse]?.condition(at: assignedAt) == .met)
        #expect(clocks[.firstContact]?.stoppedAt == F.instant("2026-04-13T10:40:00+08:00"))
        #expect(clocks[.firstContact]?.condition(at: F.instant("2026-04-13T10:40:00+08:00")) == .missed)
        #expect(clocks[.customerUpdate]?.startedAt == F.instant("2026-04-13T10:40:00+08:00"))
        #expect(clocks[.customerUpdate]?.dueAt == F.instant("2026-04-13T17:00:00+08:00"))
    }

    static let allowances: [(String, Severity, String, String, Int?)] = [
        (
            "reached 40 minutes into a 30-minute allowance", .dissatisfied, "2026-04-13T10:00:00+08:00",
            "2026-04-13T10:40:00+08:00", 133
        ),
        ("reached half-way", .dissatisfied, "2026-04-13T10:00:00+08:00", "2026-04-13T10:15:00+08:00", 50),
        ("reached at the very deadline", .dissatisfied, "2026-04-13T10:00:00+08:00", "2026-04-13T10:30:00+08:00", 100),
        (
            "reached after 清明: only working minutes count (90 on Friday, 10 on Tuesday)", .dissatisfied,
            "2026-04-03T16:30:00+08:00", "2026-04-07T09:10:00+08:00", 333
        ),
        (
            "due at the end of the day, reached that evening: just over, though no working time passed",
            .veryDissatisfied,
            "2026-04-03T17:40:00+08:00", "2026-04-03T19:00:00+08:00", 101
        ),
    ]

    @Test("A stopped clock counts the share of its allowance it used, on its own basis", arguments: allowances)
    func allowanceUsed(what: String, severity: Severity, receivedAt: String, reachedAt: String, expected: Int?) throws {
        var story = try ComplaintStory(F.intake(severity: severity), receivedAt: receivedAt)
        #expect(Self.clocks(story)[.firstContact]?.usedPercent == nil, "a running clock has used nothing yet")
        try story.perform(.recordContact(outcome: .reached, note: "已联系"), by: .staff(F.agent), at: reachedAt)
        #expect(Self.clocks(story)[.firstContact]?.usedPercent == expected, "\(what)")
    }

    @Test("Reclassifying to P1 re-targets resolution from the original receipt")
    func reclassifyRetargets() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        try story.perform(
            .reclassify(category: nil, subcategory: nil, priority: .p1, severity: nil, reason: "客户要求加急"),
            by: .staff(F.supervisor)
        )
        let resolution = try #require(Self.clocks(story)[.resolution])
        #expect(resolution.startedAt == F.instant("2026-04-13T10:00:00+08:00"))
        #expect(resolution.limit == .days(3))
        // Three working days from Monday 10:00.
        #expect(resolution.dueAt == F.instant("2026-04-16T10:00:00+08:00"))
    }

    @Test("Reassigning keeps the resolution deadline counted from receipt")
    func reassignKeepsResolution() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        try story.perform(
            .reassign(department: F.logistics, owner: nil, handler: nil, reason: "承运商责任"),
            by: .staff(F.supervisor),
            at: "2026-04-15T10:00:00+08:00"
        )
        let resolution = try #require(Self.clocks(story)[.resolution])
        #expect(resolution.startedAt == F.instant("2026-04-13T10:00:00+08:00"))
        #expect(resolution.dueAt == F.instant("2026-04-20T10:00:00+08:00"))
    }

    @Test("Department result, verification and return visit run in turn; a satisfied verification stops resolution")
    func loopClocks() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .executing)
        try story.perform(
            .recordProgress(note: "已修复", workFinished: true, evidence: []),
            by: .staff(F.handler),
            at: "2026-04-14T10:00:00+08:00"
        )
        #expect(Self.clocks(story)[.departmentResult]?.dueAt == F.instant("2026-04-15T15:00:00+08:00"))
        try story.perform(
            .returnResult(summary: "完成", attachments: []),
            by: .staff(F.handler),
            at: "2026-04-14T11:00:00+08:00"
        )
        var clocks = Self.clocks(story)
        #expect(clocks[.departmentResult]?.condition(at: F.instant("2026-04-14T11:00:00+08:00")) == .met)
        #expect(clocks[.verification]?.dueAt == F.instant("2026-04-15T11:00:00+08:00"))
        try story.perform(
            .verify(solved: true, satisfied: true, score: 4, note: ""),
            by: .staff(F.agent),
            at: "2026-04-15T09:30:00+08:00"
        )
        clocks = Self.clocks(story)
        #expect(clocks[.verification]?.condition(at: F.instant("2026-04-15T09:30:00+08:00")) == .met)
        #expect(clocks[.resolution]?.stoppedAt == F.instant("2026-04-15T09:30:00+08:00"))
        #expect(clocks[.resolution]?.condition(at: F.instant("2026-04-15T09:30:00+08:00")) == .met)
        #expect(clocks[.returnVisit]?.dueAt == F.instant("2026-04-17T09:30:00+08:00"))
    }

    @Test("An approval is due by the end of the day it was asked for")
    func approvalSameDay() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        try story.perform(
            .proposeSolution(types: [.compensation], description: "补偿", compensation: .yuan(1_000)),
            by: .staff(F.handler),
            at: "2026-04-13T15:00:00+08:00"
        )
        #expect(Self.clocks(story)[.approval]?.dueAt == F.instant("2026-04-13T18:00:00+08:00"))
    }

    @Test("Closing stops every clock; reopening restarts resolution and the customer update from the reopen")
    func reopenRestarts() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .closed)
        #expect(Self.clocks(story).values.allSatisfy { !$0.isRunning })
        try story.perform(.reopen(reason: "扶手再次开裂"), by: .customer, at: "2026-04-20T10:00:00+08:00")
        let clocks = Self.clocks(story)
        #expect(clocks[.resolution]?.startedAt == F.instant("2026-04-20T10:00:00+08:00"))
        #expect(clocks[.resolution]?.dueAt == F.instant("2026-04-27T10:00:00+08:00"))
        #expect(clocks[.resolution]?.isRunning == true)
        #expect(clocks[.customerUpdate]?.startedAt == F.instant("2026-04-20T10:00:00+08:00"))
        #expect(clocks[.returnVisit] == nil && clocks[.verification] == nil && clocks[.departmentResult] == nil)
        #expect(
            ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == F.instant("2026-04-20T17:00:00+08:00")
        )
    }

    @Test("An invalid decision stops every clock")
    func invalidStops() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        try story.perform(.decideValidity(valid: false, reason: "过保"), by: .staff(F.agent))
        #expect(Self.clocks(story).values.allSatisfy { !$0.isRunning })
        #expect(ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == nil)
    }

    @Test("No clocks without a receipt")
    func noReceipt() throws {
        let story = try ComplaintStory.reaching(.investigating)
        #expect(Self.schedule.clocks(for: []).isEmpty)
        #expect(Self.schedule.clocks(for: Array(story.history.dropFirst())).isEmpty)
    }

    // MARK: Conditions and the next deadline

    static let due = F.instant("2026-04-13T17:00:00+08:00")

    static let conditions: [(String, Date?, String?, String, ClockCondition)] = [
        ("running before its deadline", due, nil, "2026-04-13T16:59:00+08:00", .running),
        ("running at its very deadline", due, nil, "2026-04-13T17:00:00+08:00", .running),
        ("overdue a second after", due, nil, "2026-04-13T17:00:01+08:00", .overdue),
        ("paused with no deadline", nil, nil, "2026-05-01T00:00:00+08:00", .paused),
        ("met when stopped before", due, "2026-04-13T16:00:00+08:00", "2026-05-01T00:00:00+08:00", .met),
        ("met when stopped at the deadline", due, "2026-04-13T17:00:00+08:00", "2026-05-01T00:00:00+08:00", .met),
        ("missed when stopped after", due, "2026-04-13T17:30:00+08:00", "2026-04-13T17:30:00+08:00", .missed),
        ("met when stopped while paused", nil, "2026-04-13T17:30:00+08:00", "2026-05-01T00:00:00+08:00", .met),
    ]

    @Test("A clock's condition at an instant", arguments: conditions)
    func condition(what: String, dueAt: Date?, stoppedAt: String?, now: String, expected: ClockCondition) {
        let status = ClockStatus(
            clock: .firstContact,
            limit: .minutes(30),
            basis: .working,
            startedAt: F.instant("2026-04-13T16:30:00+08:00"),
            dueAt: dueAt,
            stoppedAt: stoppedAt.map(F.instant)
        )
        #expect(status.condition(at: F.instant(now)) == expected, "\(what)")
    }

    @Test("The next deadline is the earliest among running clocks")
    func nextDue() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-03T16:30:00+08:00")
        #expect(
            ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == F.instant("2026-04-03T17:00:00+08:00")
        )
        try story.perform(
            .recordContact(outcome: .reached, note: "已联系"),
            by: .staff(F.agent),
            at: "2026-04-03T16:45:00+08:00"
        )
        #expect(
            ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == F.instant("2026-04-03T17:30:00+08:00")
        )
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        #expect(
            ClockSchedule.nextDue(Self.schedule.clocks(for: story.history)) == F.instant("2026-04-07T16:30:00+08:00")
        )
        #expect(ClockSchedule.nextDue([]) == nil)
    }
}
