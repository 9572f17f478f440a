import CloseloopCore
import Foundation
import Testing

@Suite("Calendar-time deadlines count every second")
struct CalendarDeadlineTests {
    typealias F = CalendarFixtures

    @Test(
        "Calendar clocks ignore nights, weekends and holidays",
        arguments: [
            // P0 across midnight.
            ("2026-04-13T23:30:00+08:00", TimeLimit.hours(1), "2026-04-14T00:30:00+08:00"),
            // P0 on a holiday.
            ("2026-10-03T10:00:00+08:00", .hours(1), "2026-10-03T11:00:00+08:00"),
            ("2026-02-16T23:00:00+08:00", .minutes(90), "2026-02-17T00:30:00+08:00"),
            ("2026-04-03T16:30:00+08:00", .days(1), "2026-04-04T16:30:00+08:00"),
            ("2026-04-03T16:30:00+08:00", .days(5), "2026-04-08T16:30:00+08:00"),
            ("2026-12-31T23:59:00+08:00", .minutes(2), "2027-01-01T00:01:00+08:00"),
            ("2026-04-13T12:30:00+08:00", .hours(24), "2026-04-14T12:30:00+08:00"),
        ]
    )
    func calendarClocks(start: String, limit: TimeLimit, expected: String) {
        #expect(F.due(limit, .calendar, from: start) == F.instant(expected))
    }
}
