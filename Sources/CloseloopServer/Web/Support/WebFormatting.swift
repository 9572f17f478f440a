import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Dates and durations as staff and customers read them, in the business calendar's time zone.
struct WebFormatting {
    let calendar: BusinessCalendar
    let language: Language
    let strings: UIStrings

    /// Formatters made once per page, not once per date shown (a queue shows dozens).
    private let minutes: DateFormatter
    private let input: DateFormatter

    init(calendar: BusinessCalendar, language: Language, strings: UIStrings) {
        self.calendar = calendar
        self.language = language
        self.strings = strings
        minutes = Self.formatter("yyyy-MM-dd HH:mm", in: calendar.timeZone)
        input = Self.formatter("yyyy-MM-dd'T'HH:mm", in: calendar.timeZone)
    }

    /// A fixed-format formatter for the company's zone (POSIX locale, so digits and calendar never vary).
    static func formatter(_ format: String, in zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }

    /// `2026-04-08 10:00`, local to the company.
    func dateTime(_ date: Date?) -> String {
        date.map(minutes.string) ?? ""
    }

    /// The value of an `<input type="datetime-local">` for `date`.
    func inputDateTime(_ date: Date?) -> String {
        date.map(input.string) ?? ""
    }

    /// Reads an `<input type="datetime-local">` value (with or without seconds) as local to the company.
    func parseInputDateTime(_ text: String) -> Date? {
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            if let date = Self.formatter(format, in: calendar.timeZone).date(from: text) { return date }
        }
        return nil
    }

    /// Time left until `due` (or past it), counted on the clock's basis: "3.5 working hours left", "overdue 2 h".
    func timeLeft(until due: Date, basis: TimeBasis, now: Date) -> (text: String, overdue: Bool, soon: Bool) {
        let seconds = calendar.elapsed(from: now, to: due, basis: basis)
        let hours = abs(seconds) / 3600
        let amount = hours < 10 ? String(format: "%.1f", hours) : String(Int(hours.rounded()))
        let unit = strings.text(basis == .working ? "unit_working_hours" : "unit_hours", language)
        if seconds < 0 {
            return (strings.text("time_overdue", language, ["amount": amount, "unit": unit]), true, false)
        }
        return (strings.text("time_left", language, ["amount": amount, "unit": unit]), false, seconds < 2 * 3600)
    }

    /// The running clock due first, with its time left.
    func nextDeadline(_ record: ComplaintRecord, now: Date) -> [String: Any]? {
        let running = record.clocks.filter { $0.isRunning && $0.dueAt != nil }
        guard let clock = running.min(by: { $0.dueAt! < $1.dueAt! }), let due = clock.dueAt else { return nil }
        let left = timeLeft(until: due, basis: clock.basis, now: now)
        return [
            "clock": clock.clock.label.text(in: language), "due": dateTime(due), "left": left.text,
            "overdue": left.overdue, "soon": left.soon,
        ]
    }
}
