import Foundation

/// Working hours, weekends, public holidays and make-up working days (调休) on which deadlines are computed.
public struct BusinessCalendar: Sendable, Hashable {
    /// A display name, e.g. "中国大陆".
    public var name: String
    /// An IANA time zone identifier such as "Asia/Shanghai"; dates and times of day are read in this zone.
    public var timeZoneIdentifier: String
    /// The working periods of every working day, in order and not overlapping.
    public var workingPeriods: [WorkingPeriod]
    /// Days of the week that are off unless listed as make-up working days.
    public var weekendDays: Set<Weekday>
    /// Days off by name, e.g. 2026-02-16 → "春节"; they beat ordinary weekdays.
    public var holidays: [LocalDate: String]
    /// Weekend days that are working days (调休); they beat the weekend.
    public var makeUpWorkingDays: Set<LocalDate>

    /// 09:00–12:00 and 13:00–18:00, the usual office day with a lunch break.
    public static let standardWorkingPeriods: [WorkingPeriod] = [
        WorkingPeriod(start: LocalTime(hour: 9, minute: 0), end: LocalTime(hour: 12, minute: 0)),
        WorkingPeriod(start: LocalTime(hour: 13, minute: 0), end: LocalTime(hour: 18, minute: 0)),
    ]

    /// Creates a calendar; call `problems()` before trusting one built from user input.
    public init(
        name: String,
        timeZoneIdentifier: String,
        workingPeriods: [WorkingPeriod] = BusinessCalendar.standardWorkingPeriods,
        weekendDays: Set<Weekday> = [.saturday, .sunday],
        holidays: [LocalDate: String] = [:],
        makeUpWorkingDays: Set<LocalDate> = []
    ) {
        self.name = name
        self.timeZoneIdentifier = timeZoneIdentifier
        self.workingPeriods = workingPeriods
        self.weekendDays = weekendDays
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
    }

    /// The calendar's time zone; UTC when the identifier is unknown, which `problems()` reports.
    public var timeZone: TimeZone {
        TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 0) ?? .gmt
    }

    /// A Gregorian calendar in this calendar's time zone, never the machine's.
    var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The local day on which `instant` falls.
    /// Midnight at the start of `date` in the calendar's zone.
    public func startOfDay(_ date: LocalDate) -> Date {
        let parts = DateComponents(year: date.year, month: date.month, day: date.day, hour: 0, minute: 0, second: 0)
        return gregorian.date(from: parts) ?? Date(timeIntervalSince1970: 0)
    }

    public func localDate(of instant: Date) -> LocalDate {
        Self.localDate(of: instant, in: gregorian)
    }

    static func localDate(of instant: Date, in calendar: Calendar) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// Whether work happens on `date`: make-up days always, holidays and weekend days never.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if makeUpWorkingDays.contains(date) { return true }
        if holidays[date] != nil { return false }
        return !weekendDays.contains(date.weekday)
    }

    /// Whether `instant` lies inside a working period of a working day (period ends are exclusive).
    public func isWorkingTime(_ instant: Date) -> Bool {
        let walker = BusinessDayWalker(self)
        return walker.workingIntervals(on: walker.localDate(of: instant)).contains {
            $0.start <= instant && instant < $0.end
        }
    }

    /// Seconds of one full working day (8 h by default), used for TimeLimit.days on the working basis.
    public var workingDayLength: TimeInterval {
        BusinessDayWalker.normalized(workingPeriods).reduce(0) { $0 + $1.duration }
    }
}

extension BusinessCalendar: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, timeZoneIdentifier, workingPeriods, weekendDays, holidays, makeUpWorkingDays
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            timeZoneIdentifier: try container.decode(String.self, forKey: .timeZoneIdentifier),
            workingPeriods: try container.decode([WorkingPeriod].self, forKey: .workingPeriods),
            weekendDays: Set(try container.decode([Weekday].self, forKey: .weekendDays)),
            holidays: try container.decodeIfPresent([LocalDate: String].self, forKey: .holidays) ?? [:],
            makeUpWorkingDays: Set(try container.decodeIfPresent([LocalDate].self, forKey: .makeUpWorkingDays) ?? [])
        )
    }

    /// Sets are written sorted so that the same calendar always encodes to the same bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(timeZoneIdentifier, forKey: .timeZoneIdentifier)
        try container.encode(workingPeriods, forKey: .workingPeriods)
        try container.encode(weekendDays.sorted(), forKey: .weekendDays)
        try container.encode(holidays, forKey: .holidays)
        try container.encode(makeUpWorkingDays.sorted(), forKey: .makeUpWorkingDays)
    }
}
