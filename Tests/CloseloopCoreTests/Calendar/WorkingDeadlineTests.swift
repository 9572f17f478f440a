import CloseloopCore
import Foundation
import Testing

@Suite("Working-time deadlines on the China mainland calendar")
struct WorkingDeadlineTests {
    typealias F = CalendarFixtures

    @Test("A P2 received on the Friday before 清明 is due 5 working days later at the same time")
    func p2FiveWorkingDaysOverQingming() {
        #expect(F.due(.days(5), .working, from: "2026-04-03T16:30:00+08:00") == F.instant("2026-04-13T16:30:00+08:00"))
    }

    @Test("24 working hours from the Friday before 清明 skip the holiday and the lunch breaks")
    func twentyFourWorkingHoursOverQingming() {
        // Fri 1.5 h + Tue 8 h + Wed 8 h + Thu 6.5 h.
        #expect(
            F.due(.hours(24), .working, from: "2026-04-03T16:30:00+08:00") == F.instant("2026-04-09T16:30:00+08:00")
        )
    }

    @Test("A P1 received on the 调休 Saturday counts that day as working and skips lunch")
    func p1OnMakeUpSaturday() {
        #expect(F.due(.hours(4), .working, from: "2026-02-14T10:00:00+08:00") == F.instant("2026-02-14T15:00:00+08:00"))
    }

    @Test("A clock started on a 国庆 holiday starts counting on 2026-10-08 at 09:00")
    func holidayStartsCountingAfterTheHoliday() {
        let start = F.instant("2026-10-03T10:00:00+08:00")
        let firstWorkingMinute = F.instant("2026-10-08T09:00:00+08:00")
        #expect(F.china.elapsed(from: start, to: firstWorkingMinute, basis: .working) == 0)
        #expect(
            F.due(.minutes(1), .working, from: "2026-10-03T10:00:00+08:00") == F.instant("2026-10-08T09:01:00+08:00")
        )
    }

    @Test(
        "Clocks started during 国庆 run through the make-up Saturday 2026-10-10 but not Sunday 10-11",
        arguments: [
            (TimeLimit.days(2), "2026-10-09T18:00:00+08:00"),
            (.hours(20), "2026-10-10T14:00:00+08:00"),
            (.days(3), "2026-10-10T18:00:00+08:00"),
            (.hours(28), "2026-10-12T14:00:00+08:00"),
        ]
    )
    func holidayIntoMakeUpSaturday(limit: TimeLimit, expected: String) {
        #expect(F.due(limit, .working, from: "2026-10-03T10:00:00+08:00") == F.instant(expected))
    }

    @Test(
        "A clock that runs out exactly at the end of a period is due at that end, not at the next start",
        arguments: [
            ("2026-04-13T09:00:00+08:00", TimeLimit.hours(3), "2026-04-13T12:00:00+08:00"),
            ("2026-04-13T11:00:00+08:00", .minutes(60), "2026-04-13T12:00:00+08:00"),
            ("2026-04-13T09:00:00+08:00", .hours(8), "2026-04-13T18:00:00+08:00"),
            ("2026-04-13T13:00:00+08:00", .days(1), "2026-04-14T12:00:00+08:00"),
            ("2026-04-10T17:00:00+08:00", .minutes(60), "2026-04-10T18:00:00+08:00"),
        ]
    )
    func exactlyAtPeriodEnd(start: String, limit: TimeLimit, expected: String) {
        #expect(F.due(limit, .working, from: start) == F.instant(expected))
    }

    @Test(
        "Clocks started outside working time start counting at the next working period",
        arguments: [
            // Inside lunch.
            ("2026-04-13T12:30:00+08:00", TimeLimit.hours(1), "2026-04-13T14:00:00+08:00"),
            ("2026-04-13T12:00:00+08:00", .minutes(30), "2026-04-13T13:30:00+08:00"),
            // Before 09:00.
            ("2026-04-13T07:15:00+08:00", .hours(2), "2026-04-13T11:00:00+08:00"),
            ("2026-04-13T00:00:00+08:00", .hours(8), "2026-04-13T18:00:00+08:00"),
            // After 18:00, including exactly 18:00.
            ("2026-04-13T19:00:00+08:00", .hours(2), "2026-04-14T11:00:00+08:00"),
            ("2026-04-13T18:00:00+08:00", .minutes(30), "2026-04-14T09:30:00+08:00"),
            ("2026-04-10T18:30:00+08:00", .minutes(30), "2026-04-13T09:30:00+08:00"),
            // Weekend and the day before a week-long holiday.
            ("2026-04-11T10:00:00+08:00", .hours(4), "2026-04-13T14:00:00+08:00"),
        ]
    )
    func startsOutsideWorkingTime(start: String, limit: TimeLimit, expected: String) {
        #expect(F.due(limit, .working, from: start) == F.instant(expected))
    }

    @Test(
        "Clocks started inside working time",
        arguments: [
            ("2026-04-13T10:15:00+08:00", TimeLimit.minutes(30), "2026-04-13T10:45:00+08:00"),
            ("2026-04-13T11:30:00+08:00", .minutes(45), "2026-04-13T13:15:00+08:00"),
            ("2026-04-13T16:00:00+08:00", .hours(4), "2026-04-14T11:00:00+08:00"),
            ("2026-04-30T17:00:00+08:00", .hours(2), "2026-05-06T10:00:00+08:00"),
            ("2026-05-08T17:00:00+08:00", .hours(2), "2026-05-09T10:00:00+08:00"),
            ("2026-12-31T17:00:00+08:00", .hours(2), "2027-01-04T10:00:00+08:00"),
            ("2026-01-02T10:00:00+08:00", .hours(1), "2026-01-04T10:00:00+08:00"),
            // The Friday before 春节: the 调休 Saturday, then nothing until Tuesday 02-24.
            ("2026-02-13T17:00:00+08:00", .hours(9), "2026-02-14T18:00:00+08:00"),
            ("2026-02-13T17:00:00+08:00", .hours(10), "2026-02-24T10:00:00+08:00"),
        ]
    )
    func startsInsideWorkingTime(start: String, limit: TimeLimit, expected: String) {
        #expect(F.due(limit, .working, from: start) == F.instant(expected))
    }

    @Test("A zero limit is due at once")
    func zeroLimit() {
        #expect(
            F.due(.minutes(0), .working, from: "2026-04-11T10:00:00+08:00") == F.instant("2026-04-11T10:00:00+08:00")
        )
        #expect(F.due(.days(0), .calendar, from: "2026-04-11T10:00:00+08:00") == F.instant("2026-04-11T10:00:00+08:00"))
    }

    @Test("A calendar without any working day gives up after about ten years instead of looping")
    func noWorkingDaysGivesUp() {
        let never = BusinessCalendar(
            name: "never",
            timeZoneIdentifier: "Asia/Shanghai",
            weekendDays: Set(Weekday.allCases)
        )
        #expect(F.due(.minutes(1), .working, from: "2026-04-13T10:00:00+08:00", on: never) == nil)
        #expect(F.due(.endOfDay, .working, from: "2026-04-13T10:00:00+08:00", on: never) == nil)
        #expect(
            F.due(.dailyAt(LocalTime(hour: 17, minute: 0)), .working, from: "2026-04-13T10:00:00+08:00", on: never)
                == nil
        )
        #expect(
            F.due(.minutes(1), .calendar, from: "2026-04-13T10:00:00+08:00", on: never)
                == F.instant("2026-04-13T10:01:00+08:00")
        )
    }

    @Test("Another time zone reads working hours on its own wall clock, not the machine's")
    func otherTimeZone() {
        let berlin = BusinessCalendar(name: "Berlin", timeZoneIdentifier: "Europe/Berlin")
        // 2026-03-27 is a Friday; DST starts on Sunday 03-29, so Monday is UTC+2.
        #expect(
            F.due(.hours(2), .working, from: "2026-03-27T17:00:00+01:00", on: berlin)
                == F.instant("2026-03-30T10:00:00+02:00")
        )
        #expect(berlin.localDate(of: F.instant("2026-03-27T23:30:00Z")) == LocalDate(year: 2026, month: 3, day: 28))
    }
}
