import Foundation

/// Steps through a business calendar day by day, with its time zone and periods resolved once per computation.
struct BusinessDayWalker {
    /// About ten years of days: past this a clock is treated as never finishing rather than looping on.
    static let horizonDays = 3660

    let businessCalendar: BusinessCalendar
    let calendar: Calendar
    let periods: [WorkingPeriod]

    init(_ businessCalendar: BusinessCalendar) {
        self.businessCalendar = businessCalendar
        self.calendar = businessCalendar.gregorian
        self.periods = Self.normalized(businessCalendar.workingPeriods)
    }

    /// Usable periods sorted and merged, so a malformed calendar never counts a minute twice.
    static func normalized(_ periods: [WorkingPeriod]) -> [WorkingPeriod] {
        let usable = periods.filter { period in
            !period.isEmpty
                && [period.start, period.end].allSatisfy { (0...23).contains($0.hour) && (0...59).contains($0.minute) }
        }
        var merged: [WorkingPeriod] = []
        for period in usable.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, period.start <= last.end {
                merged[merged.count - 1].end = max(last.end, period.end)
            } else {
                merged.append(period)
            }
        }
        return merged
    }

    func localDate(of instant: Date) -> LocalDate {
        BusinessCalendar.localDate(of: instant, in: calendar)
    }

    /// The instant the wall clock shows `time` on `date`.
    func instant(on date: LocalDate, at time: LocalTime) -> Date {
        let parts = DateComponents(
            year: date.year,
            month: date.month,
            day: date.day,
            hour: time.hour,
            minute: time.minute,
            second: 0
        )
        if let instant = calendar.date(from: parts) { return instant }
        // Only reachable for dates Foundation cannot represent; fall back to the zone's standard offset.
        let utc = TimeInterval(date.daysSinceEpoch * 86_400 + time.secondsSinceMidnight)
        return Date(timeIntervalSince1970: utc - TimeInterval(calendar.timeZone.secondsFromGMT()))
    }

    /// The working periods of `date` as instants; empty on days off.
    func workingIntervals(on date: LocalDate) -> [DateInterval] {
        guard businessCalendar.isWorkingDay(date) else { return [] }
        return periods.compactMap { period in
            let start = instant(on: date, at: period.start)
            let end = instant(on: date, at: period.end)
            return end > start ? DateInterval(start: start, end: end) : nil
        }
    }

    // MARK: - Counting

    /// Seconds counted on `basis` in `[from, to)` outside `pauses`; `from` must not be after `to`.
    func counted(from: Date, to: Date, basis: TimeBasis, pauses: PauseSchedule) -> TimeInterval {
        guard from < to else { return 0 }
        let span = DateInterval(start: from, end: to)
        switch basis {
        case .calendar:
            return span.duration - pauses.pausedDuration(within: span)
        case .working:
            var total: TimeInterval = 0
            let firstDay = localDate(of: from)
            let lastDay = min(localDate(of: to), firstDay.adding(days: Self.horizonDays))
            var day = firstDay
            while day <= lastDay {
                for interval in workingIntervals(on: day) {
                    guard let overlap = interval.intersection(with: span), overlap.duration > 0 else { continue }
                    total += pauses.unpausedParts(of: overlap).reduce(0) { $0 + $1.duration }
                }
                day = day.adding(days: 1)
            }
            return total
        }
    }

    /// The instant `budget` counted seconds after `start`, or nil if a pause never ends or the horizon passes.
    func deadline(after budget: TimeInterval, basis: TimeBasis, from start: Date, pauses: PauseSchedule) -> Date? {
        guard budget > 0 else { return start }
        switch basis {
        case .calendar:
            var remaining = budget
            var cursor = start
            for pause in pauses.intervals where pause.end > cursor {
                if pause.start > cursor {
                    let gap = pause.start.timeIntervalSince(cursor)
                    if gap >= remaining { return cursor.addingTimeInterval(remaining) }
                    remaining -= gap
                }
                if PauseSchedule.isOpenEnded(pause) { return nil }
                cursor = pause.end
            }
            return cursor.addingTimeInterval(remaining)
        case .working:
            var remaining = budget
            var day = localDate(of: start)
            let pausedForeverFrom = pauses.openEndedStart.map(localDate(of:))
            for _ in 0...Self.horizonDays {
                for interval in workingIntervals(on: day) where interval.end > start {
                    let counting = DateInterval(start: max(interval.start, start), end: interval.end)
                    for part in pauses.unpausedParts(of: counting) {
                        // `>=` so a clock running out exactly at a period's end is due then, not after lunch.
                        if part.duration >= remaining { return part.start.addingTimeInterval(remaining) }
                        remaining -= part.duration
                    }
                }
                if let pausedForeverFrom, day >= pausedForeverFrom { return nil }
                day = day.adding(days: 1)
            }
            return nil
        }
    }

    /// Where an unpaused end-of-day clock started at `start` stops.
    func endOfDay(basis: TimeBasis, from start: Date) -> Date? {
        switch basis {
        case .calendar:
            return instant(on: localDate(of: start).adding(days: 1), at: LocalTime(hour: 0, minute: 0))
        case .working:
            var day = localDate(of: start)
            for _ in 0...Self.horizonDays {
                let intervals = workingIntervals(on: day)
                if let last = intervals.last, last.end > start { return last.end }
                day = day.adding(days: 1)
            }
            return nil
        }
    }

    /// The first instant strictly after `start` when the wall clock shows `time`, on a working day if asked.
    func nextOccurrence(of time: LocalTime, after start: Date, workingDaysOnly: Bool) -> Date? {
        var day = localDate(of: start)
        for _ in 0...Self.horizonDays {
            if !workingDaysOnly || businessCalendar.isWorkingDay(day) {
                let candidate = instant(on: day, at: time)
                if candidate > start { return candidate }
            }
            day = day.adding(days: 1)
        }
        return nil
    }
}
