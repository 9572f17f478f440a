import Foundation

/// Pauses merged into sorted, disjoint intervals, so overlapping pauses are only taken off once.
struct PauseSchedule {
    /// Sorted by start, non-overlapping, non-empty.
    let intervals: [DateInterval]

    init(_ pauses: [DateInterval]) {
        var merged: [DateInterval] = []
        for pause in pauses.sorted(by: { $0.start < $1.start }) where pause.duration > 0 {
            if let last = merged.last, pause.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, pause.end))
            } else {
                merged.append(pause)
            }
        }
        intervals = merged
    }

    /// A pause still in force, such as waiting for a customer who has not answered yet.
    static func isOpenEnded(_ pause: DateInterval) -> Bool {
        // DateInterval keeps a duration, so allow for rounding when it gives its end back.
        pause.end >= Date.distantFuture.addingTimeInterval(-1)
    }

    /// When the pause that never ends begins, if there is one.
    var openEndedStart: Date? {
        intervals.last.flatMap { Self.isOpenEnded($0) ? $0.start : nil }
    }

    /// The pieces of `interval` outside every pause, in order.
    func unpausedParts(of interval: DateInterval) -> [DateInterval] {
        var parts: [DateInterval] = []
        var cursor = interval.start
        for pause in intervals where pause.end > cursor && pause.start < interval.end {
            if pause.start > cursor { parts.append(DateInterval(start: cursor, end: pause.start)) }
            cursor = pause.end
            if cursor >= interval.end { return parts }
        }
        if cursor < interval.end { parts.append(DateInterval(start: cursor, end: interval.end)) }
        return parts
    }

    /// Seconds of `interval` covered by pauses.
    func pausedDuration(within interval: DateInterval) -> TimeInterval {
        interval.duration - unpausedParts(of: interval).reduce(0) { $0 + $1.duration }
    }
}
