import CloseloopCore
import Foundation
import Testing

@Suite("Calendar validation reports every problem at once")
struct CalendarValidationTests {
    static func period(_ start: String, _ end: String) -> WorkingPeriod {
        guard let start = LocalTime(start), let end = LocalTime(end) else { preconditionFailure("Bad time in a test") }
        return WorkingPeriod(start: start, end: end)
    }

    @Test("The China mainland calendar is valid")
    func chinaMainlandIsValid() {
        #expect(BusinessCalendar.chinaMainland.problems().isEmpty)
    }

    @Test("Overlapping periods are reported")
    func overlapping() {
        let calendar = BusinessCalendar(
            name: "x",
            timeZoneIdentifier: "Asia/Shanghai",
            workingPeriods: [Self.period("09:00", "12:30"), Self.period("12:00", "18:00")]
        )
        #expect(calendar.problems() == ["Working periods 09:00–12:30 and 12:00–18:00 overlap."])
    }

    @Test("A date that is both a holiday and a make-up working day is reported")
    func holidayAndMakeUpDay() {
        let date = LocalDate(year: 2026, month: 2, day: 14)
        var calendar = BusinessCalendar.chinaMainland
        calendar.holidays[date] = "春节"
        #expect(calendar.problems() == ["2026-02-14 is both a holiday (春节) and a make-up working day."])
        // Until it is fixed, the make-up day wins.
        #expect(calendar.isWorkingDay(date))
    }

    @Test("Empty, reversed and unordered periods, a bad time zone and bad dates are all reported together")
    func everythingAtOnce() {
        let calendar = BusinessCalendar(
            name: "x",
            timeZoneIdentifier: "Mars/Olympus_Mons",
            workingPeriods: [
                Self.period("13:00", "18:00"), Self.period("09:00", "12:00"), Self.period("10:00", "10:00"),
                Self.period("20:00", "19:00"),
                WorkingPeriod(start: LocalTime(hour: 25, minute: 0), end: LocalTime(hour: 26, minute: 0)),
            ],
            holidays: [LocalDate(year: 2026, month: 2, day: 30): "x"],
            makeUpWorkingDays: [LocalDate(year: 2026, month: 13, day: 1)]
        )
        #expect(
            calendar.problems() == [
                "Unknown time zone \"Mars/Olympus_Mons\".",
                "Working period 25:00–26:00 has an hour or minute out of range.",
                "Working period 10:00–10:00 is empty: it must end after it starts.",
                "Working period 20:00–19:00 is empty: it must end after it starts.",
                "Working periods are out of order: 09:00–12:00 comes after 13:00–18:00.",
                "Holiday 2026-02-30 is not a real date.",
                "Make-up working day 2026-13-01 is not a real date.",
            ]
        )
        // A broken calendar still computes, from its usable periods and in UTC.
        #expect(calendar.workingDayLength == 8 * 3600)
        #expect(calendar.timeZone.secondsFromGMT() == 0)
    }

    @Test("A calendar without working periods is reported")
    func noPeriods() {
        let calendar = BusinessCalendar(name: "x", timeZoneIdentifier: "UTC", workingPeriods: [])
        #expect(calendar.problems() == ["There are no working periods."])
        #expect(calendar.workingDayLength == 0)
    }

    @Test("Overlapping periods never count a minute twice")
    func overlappingPeriodsCountOnce() {
        let calendar = BusinessCalendar(
            name: "x",
            timeZoneIdentifier: "Asia/Shanghai",
            workingPeriods: [
                Self.period("09:00", "12:30"), Self.period("12:00", "18:00"), Self.period("10:00", "11:00"),
            ]
        )
        #expect(calendar.workingDayLength == 9 * 3600)
        #expect(
            calendar.deadline(
                for: .days(1),
                basis: .working,
                from: CalendarFixtures.instant("2026-04-13T09:00:00+08:00")
            ) == CalendarFixtures.instant("2026-04-13T18:00:00+08:00")
        )
    }
}
