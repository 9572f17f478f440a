import CloseloopCore
import Foundation

/// The business calendar's days a figure counts, as the store reads them: each day's number (days since 1970-01-01)
/// and the instants it runs between. The statistics rollup keeps one set of sums per day and scope; a day with a
/// change not yet rolled up is summed live from the complaints, so every figure is exact at any moment.
public struct StatisticsDays: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public var number: Int
        public var start: Date
        public var end: Date

        public init(number: Int, start: Date, end: Date) {
            self.number = number
            self.start = start
            self.end = end
        }
    }

    /// Consecutive days, earliest first; never empty.
    public let days: [Day]

    /// The days from `first` up to `end` (excluded) in `calendar`; at least `first` itself.
    public init(from first: LocalDate, until end: LocalDate, calendar: BusinessCalendar) {
        var days: [Day] = []
        var day = first
        repeat {
            let next = day.adding(days: 1)
            days.append(
                Day(number: day.daysSinceEpoch, start: calendar.startOfDay(day), end: calendar.startOfDay(next)))
            day = next
        } while day < end
        self.days = days
    }

    public var start: Date { days[0].start }
    public var end: Date { days[days.count - 1].end }
    var first: Int { days[0].number }
    var last: Int { days[days.count - 1].number }
}
