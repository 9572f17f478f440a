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

    /// Time left until `due` (or past it), counted on the clock's basis and read as people say it: "剩余 12 分钟",
    /// "剩余 3 小时 20 分", "超时 1 天 4 小时". The basis is for the column or row to name, once.
    func timeLeft(until due: Date, basis: TimeBasis, now: Date) -> (text: String, overdue: Bool, soon: Bool) {
        let left = calendar.timeLeft(until: due, basis: basis, now: now)
        if left.overdue {
            // A working clock missed at the end of the day has no working time past due until the next morning.
            if left.isZero { return (text("time_overdue_now"), true, false) }
            return (text("time_overdue", ["amount": amount(left)]), true, false)
        }
        return (text("time_left", ["amount": amount(left)]), false, left.seconds < 2 * 3600)
    }

    /// "12 分钟", "3 小时 20 分", "2 个工作日 4 小时", "1 天 4 小时": the largest units that matter.
    func amount(_ left: TimeLeft) -> String {
        if left.days > 0 {
            let dayKey =
                left.basis == .working
                ? (left.days == 1 ? "duration_working_day" : "duration_working_days") : "duration_days"
            let days = text(dayKey, ["n": "\(left.days)"])
            return left.hours > 0 ? days + " " + text("duration_hours", ["n": "\(left.hours)"]) : days
        }
        if left.hours > 0 {
            return left.minutes > 0
                ? text("duration_hours_minutes", ["h": "\(left.hours)", "m": "\(left.minutes)"])
                : text("duration_hours", ["n": "\(left.hours)"])
        }
        return text("duration_minutes", ["n": "\(left.minutes)"])
    }

    /// A clock's allowance in words: "30 分钟", "5 个工作日", "当天下班前", "工作日 17:00 前".
    func limit(_ limit: TimeLimit, basis: TimeBasis) -> String {
        switch limit {
        case .minutes(let count): text("duration_minutes", ["n": "\(count)"])
        case .hours(let count): text("duration_hours", ["n": "\(count)"])
        case .days(let count):
            basis == .working
                ? text(count == 1 ? "duration_working_day" : "duration_working_days", ["n": "\(count)"])
                : text("duration_days", ["n": "\(count)"])
        case .endOfDay: text(basis == .working ? "limit_end_of_working_day" : "limit_end_of_day")
        case .dailyAt(let time):
            text(basis == .working ? "limit_daily_at_working" : "limit_daily_at", ["time": "\(time)"])
        }
    }

    /// The basis in words: "工作时间" or "自然时间".
    func basisName(_ basis: TimeBasis) -> String {
        text("basis_\(basis.rawValue)")
    }

    private func text(_ key: String, _ values: [String: String] = [:]) -> String {
        strings.text(key, language, values)
    }

    /// The running clock due first, with its time left on the basis its complaint's clocks count in.
    func nextDeadline(_ deadline: ComplaintSummary.Deadline?, basis: TimeBasis, now: Date) -> [String: Any]? {
        guard let deadline else { return nil }
        let left = timeLeft(until: deadline.dueAt, basis: basis, now: now)
        // Queues mix complaints on both bases, so each row names its own.
        let name = deadline.clock.label.text(in: language)
        return [
            "clock": name + " · " + basisName(basis), "clockName": name, "basis": basisName(basis),
            "due": dateTime(deadline.dueAt), "left": left.text, "overdue": left.overdue, "soon": left.soon,
        ]
    }
}
