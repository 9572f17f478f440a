import CloseloopCore
import Foundation

/// Builders shared by the calendar suites, so every case reads as explicit wall-clock strings.
enum CalendarFixtures {
    static let china = BusinessCalendar.chinaMainland

    /// An instant from an ISO 8601 string with its offset, e.g. "2026-04-03T16:30:00+08:00".
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("Bad instant in a test: \(text)") }
        return date
    }

    /// A closed pause between two ISO 8601 instants.
    static func pause(_ start: String, _ end: String) -> DateInterval {
        DateInterval(start: instant(start), end: instant(end))
    }

    /// A pause that has not ended, e.g. still waiting for the customer.
    static func openPause(from start: String) -> DateInterval {
        DateInterval(start: instant(start), end: .distantFuture)
    }

    /// The China mainland deadline of `limit` from an ISO 8601 start.
    static func due(
        _ limit: TimeLimit,
        _ basis: TimeBasis,
        from start: String,
        pauses: [DateInterval] = [],
        on calendar: BusinessCalendar = china
    ) -> Date? {
        calendar.deadline(for: limit, basis: basis, from: instant(start), pauses: pauses)
    }
}
