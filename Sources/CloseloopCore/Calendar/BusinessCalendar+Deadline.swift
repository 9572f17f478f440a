import Foundation

extension BusinessCalendar {
    /// The instant a clock started at `start` is due, or nil when an open-ended pause stops it before it finishes.
    ///
    /// An open-ended pause is one whose end is `.distantFuture`, e.g. still waiting for the customer.
    ///
    /// Pauses may overlap and may begin before `start`; they are merged first. `dailyAt` ignores pauses.
    /// A working clock that cannot finish within about ten years also gives nil.
    public func deadline(
        for limit: TimeLimit,
        basis: TimeBasis,
        from start: Date,
        pauses: [DateInterval] = []
    ) -> Date? {
        let walker = BusinessDayWalker(self)
        let schedule = PauseSchedule(pauses)
        let budget: TimeInterval
        switch limit {
        case .minutes(let count):
            budget = TimeInterval(count) * 60
        case .hours(let count):
            budget = TimeInterval(count) * 3600
        case .days(let count):
            budget = TimeInterval(count) * (basis == .working ? workingDayLength : 86_400)
        case .endOfDay:
            // The unpaused end of day fixes how much time the clock has; pauses then push it out by what they cover.
            guard let end = walker.endOfDay(basis: basis, from: start) else { return nil }
            budget = walker.counted(from: start, to: end, basis: basis, pauses: PauseSchedule([]))
        case .dailyAt(let time):
            return walker.nextOccurrence(of: time, after: start, workingDaysOnly: basis == .working)
        }
        return walker.deadline(after: budget, basis: basis, from: start, pauses: schedule)
    }

    /// Counted seconds between two instants (working seconds on the working basis), minus pauses.
    ///
    /// Negative when `to` is before `from`, so overdue clocks read as negative remaining time.
    ///
    /// On the working basis only about ten years after the earlier instant are counted.
    public func elapsed(from: Date, to: Date, basis: TimeBasis, pauses: [DateInterval] = []) -> TimeInterval {
        let walker = BusinessDayWalker(self)
        let schedule = PauseSchedule(pauses)
        if to < from {
            return -walker.counted(from: to, to: from, basis: basis, pauses: schedule)
        }
        return walker.counted(from: from, to: to, basis: basis, pauses: schedule)
    }
}
