import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// SPEC §5 over HTTP: the deadlines a complaint shows are those the default policy and the China mainland calendar
/// give (office hours 09:00–12:00 and 13:00–18:00, weekends, 2026 holidays and make-up days), and `nextDueAt` is the
/// earliest running one.
@Suite("Clocks and deadlines")
struct ClockTests {
    @Test(
        "Received Friday 16:30 before Qingming as P2: every clock lands where the calendar says",
        arguments: DatabaseKind.available)
    func fridayBeforeQingming(kind: DatabaseKind) async throws {
        let received = Instants.instant("2026-04-03T16:30:00+08:00")
        try await withServer(kind, at: received) { server in
            let complaint = try await server.createComplaint(["priority": "P2", "severity": "dissatisfied"])
            #expect(complaint.receivedAt == received)
            #expect(complaint.number.hasPrefix("260403"))
            let due = Dictionary(uniqueKeysWithValues: complaint.clocks.map { ($0.clock, $0.dueAt) })
            #expect(
                due == [
                    // 1 working hour: 16:30 → 17:30 the same day.
                    "completeness": Instants.instant("2026-04-03T17:30:00+08:00"),
                    // 1 working day (8 h): 1.5 h on Friday, Qingming 4–6 April off, 6.5 h on Tuesday.
                    "first_response": Instants.instant("2026-04-07T16:30:00+08:00"),
                    // 30 working minutes for a dissatisfied customer.
                    "first_contact": Instants.instant("2026-04-03T17:00:00+08:00"),
                    // 5 working days: 7, 8, 9, 10 and 13 April.
                    "resolution": Instants.instant("2026-04-13T16:30:00+08:00"),
                ])
            #expect(complaint.clocks.allSatisfy { $0.basis == "working" && $0.condition == "running" })
            #expect(complaint.clock("resolution")?.limit == "5d")
            #expect(complaint.nextDueAt == Instants.instant("2026-04-03T17:00:00+08:00"))
        }
    }

    @Test(
        "Deadlines follow the policy for each priority and severity", arguments: DatabaseKind.available, ClockCase.table
    )
    func table(kind: DatabaseKind, row: ClockCase) async throws {
        try await withServer(kind, at: Instants.instant(row.received)) { server in
            let complaint = try await server.createComplaint(["priority": row.priority, "severity": row.severity])
            let clock = try #require(complaint.clock(row.clock))
            #expect(clock.dueAt == Instants.instant(row.due))
            #expect(clock.basis == row.basis)
            let running = complaint.clocks.filter { $0.stoppedAt == nil }.compactMap(\.dueAt)
            #expect(complaint.nextDueAt == running.min())
        }
    }

    @Test("A letter received earlier starts its clocks at receipt, not at entry", arguments: DatabaseKind.available)
    func backdated(kind: DatabaseKind) async throws {
        // Entered on Wednesday morning, received on Friday afternoon before the holiday.
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint([
                "channel": "letter", "receivedAt": "2026-04-03T16:30:00+08:00",
            ])
            #expect(complaint.clock("resolution")?.dueAt == Instants.instant("2026-04-13T16:30:00+08:00"))
            #expect(complaint.clock("first_contact")?.condition == "overdue")
            #expect(complaint.nextDueAt == Instants.instant("2026-04-03T17:00:00+08:00"))
            // Complaint numbers follow the day of receipt.
            #expect(complaint.number.hasPrefix("260403"))
        }
    }

    @Test("nextDueAt moves to the earliest clock still running as clocks stop", arguments: DatabaseKind.available)
    func nextDueMoves(kind: DatabaseKind) async throws {
        try await withServer(kind, at: Instants.instant("2026-04-03T16:30:00+08:00")) { server in
            var complaint = try await server.createComplaint()
            #expect(complaint.nextDueAt == Instants.instant("2026-04-03T17:00:00+08:00"))
            server.time.advance(by: 10 * 60)
            complaint = try await server.perform(
                "record-contact", on: complaint, as: Staff.agent, ["outcome": "reached"])
            #expect(complaint.clock("first_contact")?.condition == "met")
            #expect(complaint.nextDueAt == Instants.instant("2026-04-03T17:30:00+08:00"))
            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            #expect(complaint.clock("completeness")?.condition == "met")
            #expect(complaint.nextDueAt == Instants.instant("2026-04-07T16:30:00+08:00"))

            // Waiting for the customer pauses the clocks: no running deadline is due while they are held.
            var other = try await server.createComplaint(["subject": "缺少订单号"])
            other = try await server.perform(
                "check-completeness", on: other, as: Staff.agent, ["complete": false, "missing": ["订单号"]])
            #expect(other.state == "awaiting_information")
            #expect(other.clock("resolution")?.condition == "paused")
            #expect(other.clock("resolution")?.dueAt == nil)
        }
    }
}

extension ClockTests {
    @Test("An approved delay pauses the clocks until its end", arguments: DatabaseKind.available)
    func approvedDelay(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.reaching("investigating")
            // Received Wednesday 10:00: five working days are 9, 10, 13, 14 and 15 April.
            #expect(complaint.clock("resolution")?.dueAt == Instants.instant("2026-04-15T10:00:00+08:00"))

            complaint = try await server.perform(
                "request-delay", on: complaint, as: Staff.agent,
                ["reason": "客户出差，电话无人接听", "until": "2026-04-09T10:00:00+08:00"])
            #expect(complaint.actions.contains("decide_delay") == false)
            let managerView = try await server.complaint(complaint.id, as: Staff.manager)
            #expect(managerView.actions.contains("decide_delay"))
            let handlerRefused = try await server.act(
                "decide-delay", on: complaint, as: Staff.handler, ["approved": true]
            ).problem(.forbidden)
            #expect(handlerRefused.code == "action.not_allowed")
            complaint = try await server.perform(
                "decide-delay", on: complaint, as: Staff.manager, ["approved": true, "comment": "同意延期一天"])
            // One working day held: everything running moves out by a day.
            #expect(complaint.clock("resolution")?.dueAt == Instants.instant("2026-04-16T10:00:00+08:00"))
            let second = try await server.act("decide-delay", on: complaint, as: Staff.manager, ["approved": true])
            #expect(try second.problem(.conflict).code == "delay.none_pending")
        }
    }
}

/// One row of the deadline table: a receipt, a priority and severity, and where one clock falls due.
struct ClockCase: Sendable, CustomTestStringConvertible {
    var received: String
    var priority: String
    var severity: String
    var clock: String
    var due: String
    var basis: String

    var testDescription: String { "\(priority)/\(severity) received \(received): \(clock) due \(due)" }

    static let table: [ClockCase] = [
        // P0 runs on calendar time: 24 h straight through the holiday weekend.
        ClockCase(
            received: "2026-04-03T16:30:00+08:00", priority: "P0", severity: "dissatisfied", clock: "resolution",
            due: "2026-04-04T16:30:00+08:00", basis: "calendar"),
        ClockCase(
            received: "2026-04-03T16:30:00+08:00", priority: "P0", severity: "dissatisfied", clock: "first_response",
            due: "2026-04-03T17:30:00+08:00", basis: "calendar"),
        // Crisis runs on calendar time whatever the priority; first contact within 10 minutes.
        ClockCase(
            received: "2026-04-03T17:55:00+08:00", priority: "P2", severity: "crisis", clock: "first_contact",
            due: "2026-04-03T18:05:00+08:00", basis: "calendar"),
        // P1: 3 working days over the holiday.
        ClockCase(
            received: "2026-04-03T16:30:00+08:00", priority: "P1", severity: "dissatisfied", clock: "resolution",
            due: "2026-04-09T16:30:00+08:00", basis: "working"),
        // Very dissatisfied: 20 working minutes, carried over lunch.
        ClockCase(
            received: "2026-04-08T11:50:00+08:00", priority: "P2", severity: "very_dissatisfied",
            clock: "first_contact", due: "2026-04-08T13:10:00+08:00", basis: "working"),
        // Major: 10 working minutes, carried over the night.
        ClockCase(
            received: "2026-04-08T17:55:00+08:00", priority: "P1", severity: "major", clock: "first_contact",
            due: "2026-04-09T09:05:00+08:00", basis: "working"),
        // Spring Festival: Saturday 14 February is a make-up working day, 15–23 February are off.
        ClockCase(
            received: "2026-02-13T16:30:00+08:00", priority: "P2", severity: "dissatisfied", clock: "resolution",
            due: "2026-02-27T16:30:00+08:00", basis: "working"),
        ClockCase(
            received: "2026-02-13T16:30:00+08:00", priority: "P2", severity: "dissatisfied", clock: "first_response",
            due: "2026-02-14T16:30:00+08:00", basis: "working"),
        // Received on a Sunday: the working clock starts on Monday morning.
        ClockCase(
            received: "2026-04-12T10:00:00+08:00", priority: "P2", severity: "dissatisfied", clock: "first_contact",
            due: "2026-04-13T09:30:00+08:00", basis: "working"),
    ]
}
