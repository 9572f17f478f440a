import CloseloopCore
import Foundation
import Testing

@Suite("Local dates, times and weekdays")
struct LocalValueTests {
    @Test(
        "Weekdays of known dates",
        arguments: [
            ("1970-01-01", Weekday.thursday), ("2000-02-29", .tuesday), ("2026-01-04", .sunday),
            ("2026-02-14", .saturday), ("2026-04-03", .friday), ("2026-10-08", .thursday),
            ("2026-10-10", .saturday), ("2027-01-01", .friday), ("1969-12-31", .wednesday),
        ]
    )
    func weekdays(date: String, expected: Weekday) throws {
        #expect(try #require(LocalDate(date)).weekday == expected)
    }

    @Test(
        "Adding days crosses months, years and leap days",
        arguments: [
            ("2026-02-28", 1, "2026-03-01"), ("2028-02-28", 1, "2028-02-29"), ("2026-12-31", 1, "2027-01-01"),
            ("2026-03-01", -1, "2026-02-28"), ("2026-01-01", 365, "2027-01-01"), ("2024-01-01", 366, "2025-01-01"),
            ("1970-01-01", -1, "1969-12-31"), ("2026-04-13", 0, "2026-04-13"),
        ]
    )
    func addingDays(date: String, days: Int, expected: String) throws {
        #expect(try #require(LocalDate(date)).adding(days: days) == LocalDate(expected))
    }

    @Test("Dates and times order and print as they parse")
    func orderingAndText() {
        #expect(LocalDate(year: 2026, month: 2, day: 14) < LocalDate(year: 2026, month: 10, day: 1))
        #expect(LocalDate(year: 2025, month: 12, day: 31) < LocalDate(year: 2026, month: 1, day: 1))
        #expect(LocalDate(year: 2026, month: 2, day: 4).description == "2026-02-04")
        #expect(LocalTime(hour: 9, minute: 5).description == "09:05")
        #expect(LocalTime(hour: 9, minute: 0) < LocalTime(hour: 13, minute: 0))
        #expect(LocalTime(hour: 12, minute: 59) < LocalTime(hour: 13, minute: 0))
        #expect(Weekday.saturday.description == "saturday")
        #expect(Weekday(name: "sunday") == .sunday)
        #expect(
            WorkingPeriod(start: LocalTime(hour: 9, minute: 0), end: LocalTime(hour: 12, minute: 0)).description
                == "09:00–12:00"
        )
    }

    @Test("Valid date text parses", arguments: ["2026-02-14", "2028-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
    func validDates(text: String) {
        #expect(LocalDate(text)?.description == text)
    }

    @Test(
        "Invalid date text is rejected",
        arguments: [
            "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-04-00",
            "2026-2-14", "26-02-14", "2026/02/14", "2026-02-14T00:00", " 2026-02-14", "", "abcd-ef-gh",
            "0000-01-01", "+026-02-14",
        ]
    )
    func invalidDates(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("Valid time text parses", arguments: ["00:00", "09:00", "12:30", "23:59"])
    func validTimes(text: String) {
        #expect(LocalTime(text)?.description == text)
    }

    @Test(
        "Invalid time text is rejected",
        arguments: ["24:00", "9:00", "12:60", "ab:cd", "12-30", "12:3", "", "+1:30"]
    )
    func invalidTimes(text: String) {
        #expect(LocalTime(text) == nil)
    }
}
