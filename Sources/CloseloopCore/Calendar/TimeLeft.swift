import Foundation

/// The time until a deadline, or past it, in the units people read: whole days, hours and minutes counted on one
/// basis. Precision falls with size, as people say it: minutes under an hour, hours and minutes under a day, days and
/// hours beyond ("12 min", "3 h 20 min", "2 working days 4 h").
public struct TimeLeft: Hashable, Sendable {
    /// Past the deadline (by the instant, so a working clock missed at 18:00 is overdue that evening too).
    public var overdue: Bool
    public var basis: TimeBasis
    /// Working days of the calendar's `workingDayLength` on the working basis, 24-hour days on the calendar basis.
    public var days: Int
    public var hours: Int
    public var minutes: Int
    /// The counted seconds themselves, negative when overdue.
    public var seconds: TimeInterval

    public init(overdue: Bool, basis: TimeBasis, days: Int, hours: Int, minutes: Int, seconds: TimeInterval) {
        self.overdue = overdue
        self.basis = basis
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }

    /// Whether nothing is left to count: an overdue working clock read outside working hours, or a deadline now.
    public var isZero: Bool { days == 0 && hours == 0 && minutes == 0 }
}

extension BusinessCalendar {
    /// The time from `now` until `due` counted on `basis`, rounded up to whole minutes (a clock with 20 seconds
    /// left still has a minute to act in, and one 20 seconds past due is a minute late).
    public func timeLeft(until due: Date, basis: TimeBasis, now: Date) -> TimeLeft {
        let seconds = elapsed(from: now, to: due, basis: basis)
        let total = Int((abs(seconds) / 60).rounded(.up))
        let dayMinutes = max(1, basis == .working ? Int(workingDayLength / 60) : 24 * 60)
        var days = 0
        var hours = 0
        var minutes = 0
        if total >= dayMinutes {
            days = total / dayMinutes
            hours = (total % dayMinutes) / 60
        } else if total >= 60 {
            hours = total / 60
            minutes = total % 60
        } else {
            minutes = total
        }
        return TimeLeft(
            overdue: now > due, basis: basis, days: days, hours: hours, minutes: minutes, seconds: seconds)
    }
}
