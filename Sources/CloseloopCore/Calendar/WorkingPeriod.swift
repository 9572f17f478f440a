import Foundation

/// One stretch of working time within a working day, e.g. 09:00–12:00; the end is exclusive.
public struct WorkingPeriod: Sendable, Hashable, Codable {
    /// The first working minute.
    public var start: LocalTime
    /// The instant work stops; a clock that runs out exactly here is due here.
    public var end: LocalTime

    /// Creates a period; `BusinessCalendar.problems()` reports periods that are empty or reversed.
    public init(start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// Whether the period contains any time at all.
    public var isEmpty: Bool { end <= start }

    /// Length of the period in seconds; zero when empty or reversed.
    public var duration: TimeInterval {
        TimeInterval(max(0, end.secondsSinceMidnight - start.secondsSinceMidnight))
    }
}

extension WorkingPeriod: CustomStringConvertible {
    /// "09:00–12:00".
    public var description: String { "\(start)–\(end)" }
}
