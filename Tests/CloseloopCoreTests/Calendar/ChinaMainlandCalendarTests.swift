import CloseloopCore
import Foundation
import Testing

@Suite("The China mainland calendar")
struct ChinaMainlandCalendarTests {
    typealias F = CalendarFixtures

    @Test(
        "Working days follow the 2026 State Council schedule and the 2027 statutory days off",
        arguments: [
            // 元旦 and its make-up Sunday.
            ("2025-12-31", true), ("2026-01-01", false), ("2026-01-03", false), ("2026-01-04", true),
            // 春节 with two make-up Saturdays.
            ("2026-02-13", true), ("2026-02-14", true), ("2026-02-15", false), ("2026-02-23", false),
            ("2026-02-24", true), ("2026-02-28", true), ("2026-03-01", false),
            // 清明节.
            ("2026-04-03", true), ("2026-04-04", false), ("2026-04-06", false), ("2026-04-07", true),
            // 劳动节.
            ("2026-05-01", false), ("2026-05-05", false), ("2026-05-06", true), ("2026-05-09", true),
            // 端午节 and 中秋节.
            ("2026-06-19", false), ("2026-06-21", false), ("2026-06-22", true),
            ("2026-09-25", false), ("2026-09-27", false), ("2026-09-28", true),
            // 国庆节 with make-up days before and after.
            ("2026-09-20", true), ("2026-10-01", false), ("2026-10-07", false), ("2026-10-08", true),
            ("2026-10-10", true), ("2026-10-11", false),
            // Ordinary weekends and weekdays.
            ("2026-04-11", false), ("2026-04-12", false), ("2026-04-13", true),
            // 2027 statutory days off.
            ("2027-01-01", false), ("2027-02-05", false), ("2027-02-08", false), ("2027-02-09", true),
            ("2027-04-05", false), ("2027-05-03", true), ("2027-06-09", false), ("2027-09-15", false),
            ("2027-10-01", false), ("2027-10-04", true),
        ]
    )
    func workingDays(date: String, expected: Bool) throws {
        let day = try #require(LocalDate(date))
        #expect(F.china.isWorkingDay(day) == expected)
    }

    @Test("Holidays carry their Chinese names")
    func holidayNames() {
        #expect(F.china.holidays[LocalDate(year: 2026, month: 2, day: 17)] == "春节")
        #expect(F.china.holidays[LocalDate(year: 2026, month: 10, day: 1)] == "国庆节")
        #expect(F.china.holidays[LocalDate(year: 2027, month: 6, day: 9)] == "端午节")
        #expect(F.china.holidays.count == 33 + 13)
        #expect(F.china.makeUpWorkingDays.count == 6)
        #expect(F.china.timeZone.identifier == "Asia/Shanghai")
        #expect(F.china.workingPeriods == BusinessCalendar.standardWorkingPeriods)
        #expect(F.china.weekendDays == [.saturday, .sunday])
    }

    @Test("Local dates are read in Shanghai, not in the machine's zone")
    func localDates() {
        #expect(F.china.localDate(of: F.instant("2026-04-13T16:30:00Z")) == LocalDate(year: 2026, month: 4, day: 14))
        #expect(F.china.localDate(of: F.instant("2026-04-13T15:59:59Z")) == LocalDate(year: 2026, month: 4, day: 13))
    }
}
