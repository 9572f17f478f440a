import CloseloopCore
import Foundation
import Testing

@Suite("JSON forms of the calendar types")
struct CalendarCodingTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test(
        "Time limits round-trip through their compact strings",
        arguments: [
            (TimeLimit.minutes(30), "30m"), (.minutes(0), "0m"), (.hours(4), "4h"), (.days(5), "5d"),
            (.endOfDay, "eod"), (.dailyAt(LocalTime(hour: 17, minute: 0)), "@17:00"),
            (.dailyAt(LocalTime(hour: 9, minute: 5)), "@09:05"),
        ]
    )
    func timeLimits(limit: TimeLimit, text: String) throws {
        #expect(limit.description == text)
        #expect(TimeLimit(text) == limit)
        #expect(try Self.json(limit) == "\"\(text)\"")
        #expect(try Self.decode(TimeLimit.self, from: "\"\(text)\"") == limit)
    }

    @Test(
        "Bad time limits are rejected",
        arguments: [
            "5x", "-5m", "+5m", "", "m", "5", "EOD", "eod ", "@25:00", "@17", "17:00", "5.5h", "٣d",
            "99999999999999999999m",
        ]
    )
    func badTimeLimits(text: String) {
        #expect(TimeLimit(text) == nil)
        #expect(throws: DecodingError.self) { try Self.decode(TimeLimit.self, from: "\"\(text)\"") }
    }

    @Test("Time limits must be strings in JSON")
    func timeLimitNotString() {
        #expect(throws: DecodingError.self) { try Self.decode(TimeLimit.self, from: "30") }
    }

    @Test("Dates, times and weekdays round-trip")
    func scalars() throws {
        let date = LocalDate(year: 2026, month: 2, day: 14)
        #expect(try Self.json(date) == "\"2026-02-14\"")
        #expect(try Self.decode(LocalDate.self, from: "\"2026-02-14\"") == date)
        let time = LocalTime(hour: 9, minute: 0)
        #expect(try Self.json(time) == "\"09:00\"")
        #expect(try Self.decode(LocalTime.self, from: "\"09:00\"") == time)
        for weekday in Weekday.allCases {
            #expect(try Self.json(weekday) == "\"\(weekday.name)\"")
            #expect(try Self.decode(Weekday.self, from: "\"\(weekday.name)\"") == weekday)
        }
        #expect(try Self.json(Weekday.saturday) == "\"saturday\"")
        #expect(try Self.json(TimeBasis.working) == "\"working\"")
        let period = WorkingPeriod(start: LocalTime(hour: 9, minute: 0), end: LocalTime(hour: 12, minute: 0))
        #expect(try Self.json(period) == #"{"end":"12:00","start":"09:00"}"#)
        #expect(try Self.decode(WorkingPeriod.self, from: #"{"end":"12:00","start":"09:00"}"#) == period)
    }

    @Test("Bad dates are rejected when decoding", arguments: ["\"2026-02-30\"", "\"2026-2-14\"", "\"\"", "20260214"])
    func badDates(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(LocalDate.self, from: json) }
    }

    @Test("Bad times are rejected when decoding", arguments: ["\"24:00\"", "\"9:00\"", "\"12:60\"", "900"])
    func badTimes(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(LocalTime.self, from: json) }
    }

    @Test("Bad weekdays are rejected when decoding", arguments: ["\"Saturday\"", "\"sat\"", "6", "\"\""])
    func badWeekdays(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(Weekday.self, from: json) }
    }

    @Test("The China mainland calendar round-trips, with holidays keyed by date")
    func chinaMainlandRoundTrip() throws {
        let json = try Self.json(BusinessCalendar.chinaMainland)
        #expect(json.contains(#""holidays":{"2026-01-01":"元旦","2026-01-02":"元旦""#))
        #expect(json.contains(#""2026-10-01":"国庆节""#))
        #expect(json.contains(#""weekendDays":["saturday","sunday"]"#))
        #expect(
            json.contains(
                #""makeUpWorkingDays":["2026-01-04","2026-02-14","2026-02-28","2026-05-09","2026-09-20","2026-10-10"]"#
            )
        )
        #expect(json.contains(#""timeZoneIdentifier":"Asia/Shanghai""#))
        #expect(try Self.decode(BusinessCalendar.self, from: json) == .chinaMainland)
        // Sets are written sorted, so encoding is stable.
        #expect(try Self.json(Self.decode(BusinessCalendar.self, from: json)) == json)
    }

    static let minimal = #"""
        {"name":"Ops","timeZoneIdentifier":"Europe/Berlin",
        "workingPeriods":[{"start":"08:00","end":"16:00"}],"weekendDays":["sunday"]}
        """#

    @Test("A calendar without holidays or make-up days decodes with none")
    func minimalCalendar() throws {
        let calendar = try Self.decode(BusinessCalendar.self, from: Self.minimal)
        #expect(calendar.holidays.isEmpty)
        #expect(calendar.makeUpWorkingDays.isEmpty)
        #expect(calendar.weekendDays == [.sunday])
        #expect(calendar.workingDayLength == 8 * 3600)
        #expect(calendar.problems().isEmpty)
    }

    @Test(
        "Calendars with bad values are rejected when decoding",
        arguments: [
            Self.minimal.replacingOccurrences(of: "08:00", with: "8:00"),
            Self.minimal.replacingOccurrences(of: "sunday", with: "Sun"),
            Self.minimal.replacingOccurrences(of: "}]", with: #"}],"holidays":{"2026-02-30":"x"}"#),
            Self.minimal.replacingOccurrences(of: "}]", with: #"}],"makeUpWorkingDays":["2026/02/14"]"#),
            Self.minimal.replacingOccurrences(of: #""name":"Ops","#, with: ""),
        ]
    )
    func badCalendars(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(BusinessCalendar.self, from: json) }
    }
}
