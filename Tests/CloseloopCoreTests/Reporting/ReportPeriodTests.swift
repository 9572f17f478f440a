import Foundation
import Testing

@testable import CloseloopCore

/// The periods reports and dashboards cover, and the periods they are compared with (SPEC §7).
@Suite("Report periods")
struct ReportPeriodTests {
    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test(
        "Each kind is read as written and written back",
        arguments: [
            (ReportPeriod.Kind.week, "2026-10-05", "2026-10-05", "2026-10-12"),
            (.month, "2026-10", "2026-10-01", "2026-11-01"),
            (.month, "2026-12", "2026-12-01", "2027-01-01"),
            (.quarter, "2026-Q4", "2026-10-01", "2027-01-01"),
            (.quarter, "2026-q1", "2026-01-01", "2026-04-01"),
            (.year, "2026", "2026-01-01", "2027-01-01"),
        ])
    func parse(kind: ReportPeriod.Kind, text: String, start: String, end: String) throws {
        let period = try #require(ReportPeriod.parse(kind, text))
        #expect(period.start == Self.day(start))
        #expect(period.end == Self.day(end))
        #expect(ReportPeriod.parse(kind, period.code) == period)
    }

    @Test(
        "Nonsense is refused, not rolled over",
        arguments: [
            (ReportPeriod.Kind.month, "2026-13"), (.month, "2026-1"), (.month, "26-10"), (.quarter, "2026-Q5"),
            (.quarter, "2026-4"), (.year, "0"), (.year, "20266"), (.week, "2026-02-30"), (.custom, "2026-01-01"),
        ])
    func refused(kind: ReportPeriod.Kind, text: String) {
        #expect(ReportPeriod.parse(kind, text) == nil)
    }

    @Test("Custom runs are whole days, first to last included, and bounded")
    func custom() throws {
        let run = try #require(ReportPeriod.days(from: Self.day("2026-02-27"), through: Self.day("2026-03-02")))
        #expect(run.dayCount == 4)
        #expect(run.last == Self.day("2026-03-02"))
        #expect(ReportPeriod.days(from: Self.day("2026-03-02"), through: Self.day("2026-02-27")) == nil)
        #expect(ReportPeriod.days(from: Self.day("2020-01-01"), through: Self.day("2026-01-01")) == nil)
    }

    @Test(
        "Each period knows the one before it and the same one a year earlier",
        arguments: [
            (ReportPeriod.month(1, of: 2026), "2025-12-01", "2026-01-01", "2025-01-01", "2025-02-01"),
            (.month(3, of: 2024), "2024-02-01", "2024-03-01", "2023-03-01", "2023-04-01"),
            (.quarter(1, of: 2026), "2025-10-01", "2026-01-01", "2025-01-01", "2025-04-01"),
            (.year(2026), "2025-01-01", "2026-01-01", "2025-01-01", "2026-01-01"),
            // Weeks and runs of days go back 52 weeks so weekdays line up.
            (
                .week(starting: LocalDate(year: 2026, month: 11, day: 30)), "2026-11-23", "2026-11-30", "2025-12-01",
                "2025-12-08"
            ),
        ] as [(ReportPeriod, String, String, String, String)])
    func comparisons(
        period: ReportPeriod, previousStart: String, previousEnd: String, lastYearStart: String,
        lastYearEnd: String
    ) {
        #expect(period.previous.start == Self.day(previousStart))
        #expect(period.previous.end == Self.day(previousEnd))
        #expect(period.previous.next == period)
        #expect(period.sameLastYear.start == Self.day(lastYearStart))
        #expect(period.sameLastYear.end == Self.day(lastYearEnd))
        #expect(period.sameLastYear.start.weekday == period.start.weekday || period.kind != .week)
    }

    @Test("A custom run's previous period is as many days just before it")
    func customPrevious() throws {
        let run = try #require(ReportPeriod.days(from: Self.day("2026-03-10"), through: Self.day("2026-03-19")))
        #expect(run.previous.start == Self.day("2026-02-28"))
        #expect(run.previous.end == run.start)
        #expect(run.previous.dayCount == 10)
    }

    @Test("The current period of each kind holds the day; weeks start on the company's weekday")
    func current() {
        let thursday = Self.day("2026-12-03")
        #expect(ReportPeriod.current(.week, containing: thursday).start == Self.day("2026-11-30"))
        #expect(ReportPeriod.current(.week, containing: thursday, weekStart: .sunday).start == Self.day("2026-11-29"))
        #expect(ReportPeriod.current(.month, containing: thursday) == .month(12, of: 2026))
        #expect(ReportPeriod.current(.quarter, containing: thursday) == .quarter(4, of: 2026))
        #expect(ReportPeriod.current(.year, containing: thursday) == .year(2026))
    }

    @Test("The trend steps by day up to two months, by week beyond")
    func trend() {
        #expect(ReportPeriod.month(2, of: 2026).trendDays.count == 28)
        let quarter = ReportPeriod.quarter(1, of: 2026)
        #expect(quarter.trendStep == 7)
        #expect(quarter.trendDays.count == 13)
        #expect(quarter.trendDays.last == Self.day("2026-03-26"))
    }
}

extension ReportPeriodTests {
    @Test("A running period is compared over the days begun so far")
    func runningPrefix() throws {
        let december = ReportPeriod.month(12, of: 2026)
        #expect(december.elapsedDays(asOf: Self.day("2026-12-03")) == 3)
        #expect(december.elapsedDays(asOf: Self.day("2027-02-01")) == 31)
        #expect(december.elapsedDays(asOf: Self.day("2026-11-30")) == 0)
        let november = december.previous.prefix(days: 3)
        #expect(november.start == Self.day("2026-11-01") && november.end == Self.day("2026-11-04"))
        #expect(december.previous.prefix(days: 40) == december.previous)
    }
}
