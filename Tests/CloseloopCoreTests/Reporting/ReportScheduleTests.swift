import Foundation
import Testing

@testable import CloseloopCore

/// The reports mailed weekly and monthly (SPEC §7): which period is due, and who may be sent it.
@Suite("Scheduled reports")
struct ReportScheduleTests {
    typealias F = LoopFixtures
    typealias Subscription = ReportSchedule.Subscription

    static let staff = [
        F.generalManager, F.vicePresident, F.quality, F.supervisor, F.departmentManager, F.agent, F.handler,
        F.administrator,
    ]

    @Test(
        "The period due is the last one over: last week on any day of this one, last month all this month",
        arguments: [
            (ReportSchedule.Frequency.weekly, "2026-12-07", "2026-11-30", "2026-12-07"),
            (.weekly, "2026-12-13", "2026-11-30", "2026-12-07"),
            (.weekly, "2026-12-14", "2026-12-07", "2026-12-14"),
            (.monthly, "2026-12-01", "2026-11-01", "2026-12-01"),
            (.monthly, "2026-12-31", "2026-11-01", "2026-12-01"),
            (.monthly, "2027-01-01", "2026-12-01", "2027-01-01"),
        ])
    func due(frequency: ReportSchedule.Frequency, today: String, start: String, end: String) throws {
        let subscription = Subscription(
            id: "s", frequency: frequency, department: nil, recipients: [F.generalManager.id])
        let period = subscription.lastPeriod(asOf: try #require(LocalDate(today)))
        #expect(period.start == LocalDate(start) && period.end == LocalDate(end))
        #expect(period.kind == frequency.periodKind)
    }

    @Test("Weeks start on the company's first weekday")
    func weekStart() throws {
        let subscription = Subscription(id: "s", frequency: .weekly, department: nil, recipients: [])
        let period = subscription.lastPeriod(asOf: try #require(LocalDate("2026-12-07")), weekStart: .sunday)
        #expect(period.start == LocalDate("2026-11-29") && period.end == LocalDate("2026-12-06"))
    }

    @Test("Only people who may read a scope's figures can be sent them")
    func entitled() {
        let company = Subscription(
            id: "c", frequency: .monthly, department: nil,
            recipients: [F.generalManager.id, F.departmentManager.id, F.agent.id, UserID("gone")])
        #expect(company.unentitled(among: Self.staff) == [F.departmentManager.id, F.agent.id, UserID("gone")])
        let department = Subscription(
            id: "d", frequency: .weekly, department: F.afterSales,
            recipients: [F.departmentManager.id, F.quality.id])
        #expect(department.unentitled(among: Self.staff).isEmpty)
        #expect(ReportSchedule(subscriptions: [department]).problems(staff: Self.staff).isEmpty)
        #expect(ReportSchedule(subscriptions: [company]).problems(staff: Self.staff).count == 3)
    }

    @Test("Each subscription has its own id and between one and fifty recipients")
    func limits() {
        let empty = Subscription(id: "a", frequency: .weekly, department: nil, recipients: [])
        let twin = Subscription(id: "a", frequency: .monthly, department: nil, recipients: [F.quality.id])
        let problems = ReportSchedule(subscriptions: [empty, twin]).problems(staff: Self.staff)
        #expect(problems.contains("each scheduled report needs its own id"))
        #expect(problems.contains("a scheduled report goes to between 1 and 50 people"))
    }
}
