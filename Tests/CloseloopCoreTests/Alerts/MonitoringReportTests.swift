import CloseloopCore
import Foundation
import Testing

/// SPEC §6: the day's figures and the window's rates counted from a few instants per complaint, whatever date the
/// complaint was received.
@Suite("Monitoring report")
struct MonitoringReportTests {
    typealias F = LoopFixtures

    let calendar = BusinessCalendar.chinaMainland
    let wednesday = LocalDate(year: 2026, month: 4, day: 15)

    func entry(
        _ number: String, received: String, closed: String? = nil, resolutionDue: String? = nil,
        inTime: Bool = false, verified: String? = nil, score: Int? = nil, firstResponseDue: String? = nil
    ) -> MonitoringReport.Entry {
        MonitoringReport.Entry(
            number: number, receivedAt: F.instant(received), closedAt: closed.map(F.instant),
            resolutionDueAt: resolutionDue.map(F.instant), resolvedInTime: inTime, verifiedAt: verified.map(F.instant),
            satisfaction: score, firstResponseDueAt: firstResponseDue.map(F.instant))
    }

    func report(_ entries: [MonitoringReport.Entry], asOf: String? = nil) -> MonitoringReport {
        MonitoringReport.make(
            day: wednesday, entries: entries, targets: .standard, calendar: calendar, asOf: asOf.map(F.instant))
    }

    @Test("Received and closed count on their day; deadlines and verdicts over the window")
    func figures() {
        let report = report([
            entry("1", received: "2026-04-15T09:00:00+08:00", firstResponseDue: "2026-04-16T09:00:00+08:00"),
            entry(
                "2", received: "2026-03-01T09:00:00+08:00", closed: "2026-04-15T16:00:00+08:00",
                resolutionDue: "2026-04-10T18:00:00+08:00", inTime: true, verified: "2026-04-14T10:00:00+08:00",
                score: 5),
            entry("3", received: "2026-04-01T09:00:00+08:00", resolutionDue: "2026-04-13T18:00:00+08:00"),
            // Outside the seven days that end on Wednesday: counted nowhere.
            entry(
                "4", received: "2026-03-20T09:00:00+08:00", closed: "2026-04-08T12:00:00+08:00",
                resolutionDue: "2026-04-08T18:00:00+08:00", inTime: true, verified: "2026-04-08T10:00:00+08:00",
                score: 1),
        ])
        #expect(report.receivedOnDay == 1)
        #expect(report.closedOnDay == 1)
        #expect(report.closureBase == 2)
        #expect(report.closureInTime == 1)
        #expect(report.closureRate == 0.5)
        #expect(report.scores == [5])
        #expect(report.firstResponseOverdue.isEmpty)
        let closure = report.anomalies.first { $0.kind == .closureRate }
        #expect(closure?.complaints == ["3"])
        #expect(!report.anomalies.contains { $0.kind == .satisfaction })
    }

    @Test("Every complaint closed in the day is in the closure rate's base, so the two figures cannot contradict")
    func closedTodayInClosureRate() {
        let report = report([
            // Closed a day before its deadline: closed today and on time, though nothing was due.
            entry(
                "early", received: "2026-04-13T09:00:00+08:00", closed: "2026-04-15T11:00:00+08:00",
                resolutionDue: "2026-04-16T18:00:00+08:00", inTime: true),
            // Closed as invalid, with no resolution deadline to meet.
            entry("invalid", received: "2026-04-15T09:00:00+08:00", closed: "2026-04-15T10:00:00+08:00"),
            entry(
                "late", received: "2026-04-01T09:00:00+08:00", closed: "2026-04-15T12:00:00+08:00",
                resolutionDue: "2026-04-14T18:00:00+08:00"),
            entry("open", received: "2026-04-02T09:00:00+08:00", resolutionDue: "2026-04-14T18:00:00+08:00"),
        ])
        #expect(report.closedOnDay == 3)
        #expect(report.closedOnDayInTime == 2)
        #expect(report.closureBase == 4)
        #expect(report.closureInTime == 2)
        #expect(report.closureBase >= report.closedOnDay && report.closureInTime >= report.closedOnDayInTime)
    }

    @Test("Overdue counts every clock still running past its deadline, first contact among them")
    func overdueClocks() {
        let overdue = MonitoringReport.Entry(
            number: "contact", receivedAt: F.instant("2026-04-14T09:00:00+08:00"), closedAt: nil,
            resolutionDueAt: nil, resolvedInTime: false, verifiedAt: nil, satisfaction: nil, firstResponseDueAt: nil,
            firstContactDueAt: F.instant("2026-04-15T10:00:00+08:00"),
            nextDueAt: F.instant("2026-04-15T10:00:00+08:00"))
        let report = report([overdue])
        #expect(report.firstResponseOverdue.isEmpty)
        #expect(report.firstContactOverdue == 1)
        #expect(report.overdue == 1)
        #expect(report.text(in: .en, windowDays: 7).contains("First contact overdue (still owed): 1"))
    }

    @Test("An old complaint whose first response is still owed is overdue, however long ago it came in")
    func oldOverdue() {
        let report = report([
            entry("old", received: "2025-01-06T09:00:00+08:00", firstResponseDue: "2025-01-07T09:00:00+08:00")
        ])
        #expect(report.firstResponseOverdue == ["old"])
        #expect(report.anomalies.map(\.kind) == [.firstResponseOverdue])
    }

    @Test("A check during the day does not count deadlines later that day as missed")
    func duringTheDay() {
        let entries = [
            entry(
                "1", received: "2026-04-14T09:00:00+08:00", resolutionDue: "2026-04-15T17:00:00+08:00",
                firstResponseDue: "2026-04-15T15:00:00+08:00")
        ]
        let noon = report(entries, asOf: "2026-04-15T12:00:00+08:00")
        #expect(noon.closureBase == 0)
        #expect(noon.firstResponseOverdue.isEmpty)
        let evening = report(entries)
        #expect(evening.closureBase == 1)
        #expect(evening.firstResponseOverdue == ["1"])
    }

    @Test("An alert names at most twenty overdue complaints and says how many there are")
    func manyOverdue() throws {
        let entries = (1...25).map {
            entry(
                String(format: "%03d", $0), received: "2026-04-01T09:00:00+08:00",
                firstResponseDue: "2026-04-02T09:00:00+08:00")
        }
        let overdue = try #require(report(entries).anomalies.first { $0.kind == .firstResponseOverdue })
        #expect(overdue.complaints.count == 25)
        #expect(overdue.message.zhHans.hasSuffix("020 等 25 件"))
        #expect(overdue.message.en.hasSuffix("020 and others, 25 in all"))
        #expect(!overdue.message.en.contains("021"))
    }

    @Test("A list names the first fifty complaints by number and keeps the total")
    func listedFifty() throws {
        let entries = (1...60).reversed().map {
            entry(
                String(format: "%03d", $0), received: "2026-04-01T09:00:00+08:00",
                resolutionDue: "2026-04-14T18:00:00+08:00")
        }
        let closure = try #require(report(entries).anomalies.first { $0.kind == .closureRate })
        #expect(closure.total == 60)
        #expect(closure.complaints == (1...50).map { String(format: "%03d", $0) })
        #expect(closure.text(in: .en).hasSuffix("020 …)"))
    }

    @Test("A complaint's entry reads its first resolution cycle and a first response still owed")
    func fromClocks() throws {
        var story = try ComplaintStory()
        let schedule = ClockSchedule(policy: .standard, calendar: calendar)
        let received = MonitoringReport.Entry(story.complaint, clocks: schedule.clocks(for: story.history))
        #expect(received.number == story.complaint.number)
        #expect(received.receivedAt == story.complaint.receivedAt)
        #expect(received.firstResponseDueAt != nil)
        #expect(received.resolutionDueAt != nil && !received.resolvedInTime)
        #expect(received.verifiedAt == nil && received.closedAt == nil)
        // Assignment is the first response; the resolution clock runs on from receipt.
        try story.advance(to: .investigating)
        let assigned = MonitoringReport.Entry(story.complaint, clocks: schedule.clocks(for: story.history))
        #expect(assigned.firstResponseDueAt == nil)
        #expect(assigned.resolutionDueAt == received.resolutionDueAt && !assigned.resolvedInTime)
    }
}
