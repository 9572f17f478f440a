import CloseloopCore
import Foundation
import Testing

@Suite("End-of-day and daily-at clocks")
struct EndOfDayAndDailyAtTests {
    typealias F = CalendarFixtures

    @Test(
        "Working end of day is the end of the last period of the day counting starts on",
        arguments: [
            ("2026-04-13T10:00:00+08:00", [], "2026-04-13T18:00:00+08:00"),
            ("2026-04-13T07:00:00+08:00", [], "2026-04-13T18:00:00+08:00"),
            ("2026-04-13T12:30:00+08:00", [], "2026-04-13T18:00:00+08:00"),
            ("2026-04-13T17:59:00+08:00", [], "2026-04-13T18:00:00+08:00"),
            // At or after hours: the next working day.
            ("2026-04-13T18:00:00+08:00", [], "2026-04-14T18:00:00+08:00"),
            ("2026-04-13T19:00:00+08:00", [], "2026-04-14T18:00:00+08:00"),
            ("2026-04-10T19:00:00+08:00", [], "2026-04-13T18:00:00+08:00"),
            // Holidays and make-up Saturdays.
            ("2026-10-03T10:00:00+08:00", [], "2026-10-08T18:00:00+08:00"),
            ("2026-02-14T10:00:00+08:00", [], "2026-02-14T18:00:00+08:00"),
            ("2026-02-13T19:00:00+08:00", [], "2026-02-14T18:00:00+08:00"),
            ("2026-04-03T18:30:00+08:00", [], "2026-04-07T18:00:00+08:00"),
            // A pause in working time extends it into the next morning.
            (
                "2026-04-13T10:00:00+08:00", [F.pause("2026-04-13T14:00:00+08:00", "2026-04-13T15:00:00+08:00")],
                "2026-04-14T10:00:00+08:00"
            ),
            // A pause over lunch does not.
            (
                "2026-04-13T10:00:00+08:00", [F.pause("2026-04-13T12:00:00+08:00", "2026-04-13T13:00:00+08:00")],
                "2026-04-13T18:00:00+08:00"
            ),
        ]
    )
    func workingEndOfDay(start: String, pauses: [DateInterval], expected: String) {
        #expect(F.due(.endOfDay, .working, from: start, pauses: pauses) == F.instant(expected))
    }

    @Test(
        "Calendar end of day is the local midnight following the start",
        arguments: [
            ("2026-04-13T10:00:00+08:00", [], "2026-04-14T00:00:00+08:00"),
            ("2026-04-13T00:00:00+08:00", [], "2026-04-14T00:00:00+08:00"),
            ("2026-04-13T23:59:00+08:00", [], "2026-04-14T00:00:00+08:00"),
            ("2026-10-03T10:00:00+08:00", [], "2026-10-04T00:00:00+08:00"),
            ("2026-12-31T20:00:00+08:00", [], "2027-01-01T00:00:00+08:00"),
            // Late evening UTC is already the next day in Shanghai.
            ("2026-04-13T20:00:00Z", [], "2026-04-15T00:00:00+08:00"),
            (
                "2026-04-13T10:00:00+08:00", [F.pause("2026-04-13T20:00:00+08:00", "2026-04-13T21:00:00+08:00")],
                "2026-04-14T01:00:00+08:00"
            ),
        ]
    )
    func calendarEndOfDay(start: String, pauses: [DateInterval], expected: String) {
        #expect(F.due(.endOfDay, .calendar, from: start, pauses: pauses) == F.instant(expected))
    }

    static let fivePM = TimeLimit.dailyAt(LocalTime(hour: 17, minute: 0))

    @Test(
        "Working dailyAt(17:00) is the next 17:00 on a working day, strictly after the start",
        arguments: [
            ("2026-04-13T10:00:00+08:00", "2026-04-13T17:00:00+08:00"),
            ("2026-04-13T17:00:00+08:00", "2026-04-14T17:00:00+08:00"),
            ("2026-04-13T16:59:00+08:00", "2026-04-13T17:00:00+08:00"),
            // Friday after 17:00 → Monday.
            ("2026-04-10T17:30:00+08:00", "2026-04-13T17:00:00+08:00"),
            // Friday before the make-up Saturday → Saturday.
            ("2026-02-13T17:30:00+08:00", "2026-02-14T17:00:00+08:00"),
            ("2026-02-14T09:00:00+08:00", "2026-02-14T17:00:00+08:00"),
            // Friday before 清明 → Tuesday.
            ("2026-04-03T17:30:00+08:00", "2026-04-07T17:00:00+08:00"),
            ("2026-10-03T10:00:00+08:00", "2026-10-08T17:00:00+08:00"),
            ("2026-10-09T17:30:00+08:00", "2026-10-10T17:00:00+08:00"),
        ]
    )
    func workingDailyAt(start: String, expected: String) {
        #expect(F.due(Self.fivePM, .working, from: start) == F.instant(expected))
    }

    @Test(
        "Calendar dailyAt(17:00) is the next 17:00 on any day",
        arguments: [
            ("2026-04-13T10:00:00+08:00", "2026-04-13T17:00:00+08:00"),
            ("2026-04-13T17:00:00+08:00", "2026-04-14T17:00:00+08:00"),
            ("2026-04-10T17:30:00+08:00", "2026-04-11T17:00:00+08:00"),
            ("2026-02-13T17:30:00+08:00", "2026-02-14T17:00:00+08:00"),
            ("2026-10-03T10:00:00+08:00", "2026-10-03T17:00:00+08:00"),
        ]
    )
    func calendarDailyAt(start: String, expected: String) {
        #expect(F.due(Self.fivePM, .calendar, from: start) == F.instant(expected))
    }

    @Test("dailyAt(00:00) on the calendar basis is the next midnight")
    func dailyAtMidnight() {
        let midnight = TimeLimit.dailyAt(LocalTime(hour: 0, minute: 0))
        #expect(F.due(midnight, .calendar, from: "2026-04-13T10:00:00+08:00") == F.instant("2026-04-14T00:00:00+08:00"))
        #expect(F.due(midnight, .calendar, from: "2026-04-14T00:00:00+08:00") == F.instant("2026-04-15T00:00:00+08:00"))
    }
}
