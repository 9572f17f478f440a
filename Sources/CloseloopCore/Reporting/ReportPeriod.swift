import Foundation

/// The days a report covers (SPEC §7): a week, a month, a quarter, a year or any run of days, in the business
/// calendar's dates, `start` included and `end` not. Each period knows the one before it and the same one a year
/// earlier, which the dashboards compare it with.
public struct ReportPeriod: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case week, month, quarter, year, custom
    }

    public var kind: Kind
    public var start: LocalDate
    public var end: LocalDate

    /// The longest custom period: longer ones are years, and a report over decades is an export's job.
    public static let longestCustomDays = 3 * 366

    init(kind: Kind, start: LocalDate, end: LocalDate) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// The seven days starting on `start` (any weekday: companies start their weeks differently).
    public static func week(starting start: LocalDate) -> ReportPeriod {
        ReportPeriod(kind: .week, start: start, end: start.adding(days: 7))
    }

    public static func month(_ month: Int, of year: Int) -> ReportPeriod {
        let start = LocalDate(year: year, month: month, day: 1)
        let end =
            month == 12 ? LocalDate(year: year + 1, month: 1, day: 1) : LocalDate(year: year, month: month + 1, day: 1)
        return ReportPeriod(kind: .month, start: start, end: end)
    }

    /// Quarter 1–4 of `year`.
    public static func quarter(_ quarter: Int, of year: Int) -> ReportPeriod {
        let first = (quarter - 1) * 3 + 1
        let start = LocalDate(year: year, month: first, day: 1)
        let end =
            quarter == 4 ? LocalDate(year: year + 1, month: 1, day: 1) : LocalDate(year: year, month: first + 3, day: 1)
        return ReportPeriod(kind: .quarter, start: start, end: end)
    }

    public static func year(_ year: Int) -> ReportPeriod {
        ReportPeriod(
            kind: .year, start: LocalDate(year: year, month: 1, day: 1),
            end: LocalDate(year: year + 1, month: 1, day: 1))
    }

    /// The days from `first` to `last`, both included; nil unless `first` is not after `last` and the run is at most
    /// `longestCustomDays` long.
    public static func days(from first: LocalDate, through last: LocalDate) -> ReportPeriod? {
        guard first.isValid, last.isValid, first <= last,
            last.daysSinceEpoch - first.daysSinceEpoch < longestCustomDays
        else { return nil }
        return ReportPeriod(kind: .custom, start: first, end: last.adding(days: 1))
    }

    /// The period of `kind` that holds `day`: its week starting on `weekStart`, its month, quarter or year.
    public static func current(_ kind: Kind, containing day: LocalDate, weekStart: Weekday = .monday) -> ReportPeriod {
        switch kind {
        case .week:
            let back = (day.weekday.rawValue - weekStart.rawValue + 7) % 7
            return .week(starting: day.adding(days: -back))
        case .month: return .month(day.month, of: day.year)
        case .quarter: return .quarter((day.month - 1) / 3 + 1, of: day.year)
        case .year: return .year(day.year)
        case .custom: return .days(from: day, through: day)!
        }
    }

    /// Reads a period as the pages and the command-line tool write it: `week 2026-10-05`, `month 2026-10`,
    /// `quarter 2026-Q4`, `year 2026`; a custom period is `days(from:through:)`.
    public static func parse(_ kind: Kind, _ text: String) -> ReportPeriod? {
        let value = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .week:
            guard let start = LocalDate(value), start.isValid else { return nil }
            return .week(starting: start)
        case .month:
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
                let month = Int(parts[1]), (1...9999).contains(year), (1...12).contains(month)
            else { return nil }
            return .month(month, of: year)
        case .quarter:
            let parts = value.uppercased().split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...9999).contains(year),
                parts[1].count == 2, parts[1].first == "Q", let quarter = Int(parts[1].dropFirst()),
                (1...4).contains(quarter)
            else { return nil }
            return .quarter(quarter, of: year)
        case .year:
            guard value.count == 4, let year = Int(value), (1...9999).contains(year) else { return nil }
            return .year(year)
        case .custom:
            return nil
        }
    }

    /// The period a page or an API request asks for: `kind` (default month) with its `value` (default the one holding
    /// `today`), or a custom run from `from` to `to`, both included. Every problem is a field issue, so pages and the
    /// API refuse alike.
    public static func requested(
        kind: String?, value: String?, from: String?, to: String?, today: LocalDate
    ) throws(DomainError) -> ReportPeriod {
        let kindText = kind?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let kind = kindText.isEmpty ? Kind.month : Kind(rawValue: kindText) else {
            throw .validation([
                .invalid(
                    "period", zh: "应为 week、month、quarter、year 或 custom",
                    en: "must be week, month, quarter, year or custom")
            ])
        }
        if kind == .custom {
            var issues: [FieldIssue] = []
            let first = from.flatMap(LocalDate.init).flatMap { $0.isValid ? $0 : nil }
            let last = to.flatMap(LocalDate.init).flatMap { $0.isValid ? $0 : nil }
            if first == nil {
                issues.append(.invalid("from", zh: "应为日期，如 2026-11-01", en: "must be a date such as 2026-11-01"))
            }
            if last == nil {
                issues.append(.invalid("to", zh: "应为日期，如 2026-11-30", en: "must be a date such as 2026-11-30"))
            }
            if let first, let last, days(from: first, through: last) == nil {
                issues.append(
                    .invalid(
                        "to", zh: "应不早于开始日期，且相距不超过 \(longestCustomDays) 天",
                        en: "must not be before from, and at most \(longestCustomDays) days after it"))
            }
            guard issues.isEmpty, let first, let last, let period = days(from: first, through: last) else {
                throw .validation(issues)
            }
            return period
        }
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return current(kind, containing: today)
        }
        guard let period = parse(kind, value) else {
            let example =
                switch kind {
                case .week: "2026-11-30"
                case .month: "2026-11"
                case .quarter: "2026-Q4"
                case .year: "2026"
                case .custom: ""
                }
            throw .validation([.invalid("value", zh: "应写作 \(example)", en: "must be written as \(example)")])
        }
        return period
    }

    /// The value `parse` reads back (the first day, for a custom period).
    public var code: String {
        switch kind {
        case .week, .custom: start.description
        case .month: String(start.description.prefix(7))
        case .quarter: "\(String(start.description.prefix(4)))-Q\((start.month - 1) / 3 + 1)"
        case .year: String(start.description.prefix(4))
        }
    }

    /// The last day included.
    public var last: LocalDate { end.adding(days: -1) }

    public var dayCount: Int { end.daysSinceEpoch - start.daysSinceEpoch }

    /// The period just before, of the same kind: the previous week, month, quarter or year, or as many days.
    public var previous: ReportPeriod {
        switch kind {
        case .week: .week(starting: start.adding(days: -7))
        case .month: start.month == 1 ? .month(12, of: start.year - 1) : .month(start.month - 1, of: start.year)
        case .quarter:
            (start.month - 1) / 3 == 0
                ? .quarter(4, of: start.year - 1) : .quarter((start.month - 1) / 3, of: start.year)
        case .year: .year(start.year - 1)
        case .custom: ReportPeriod(kind: .custom, start: start.adding(days: -dayCount), end: start)
        }
    }

    /// The period just after, of the same kind.
    public var next: ReportPeriod {
        switch kind {
        case .week: .week(starting: end)
        case .month: .month(end.month, of: end.year)
        case .quarter: .quarter((end.month - 1) / 3 + 1, of: end.year)
        case .year: .year(end.year)
        case .custom: ReportPeriod(kind: .custom, start: end, end: end.adding(days: dayCount))
        }
    }

    /// The same period a year earlier: the same month, quarter or year; for a week or a run of days, the days 52 weeks
    /// (364 days) earlier, so weekdays line up.
    public var sameLastYear: ReportPeriod {
        switch kind {
        case .month: .month(start.month, of: start.year - 1)
        case .quarter: .quarter((start.month - 1) / 3 + 1, of: start.year - 1)
        case .year: .year(start.year - 1)
        case .week, .custom: ReportPeriod(kind: kind, start: start.adding(days: -364), end: end.adding(days: -364))
        }
    }

    /// The first `days` days of the period (all of it when `days` is not shorter), to compare a period still running
    /// with the same stretch of the periods it is compared with.
    public func prefix(days: Int) -> ReportPeriod {
        guard days < dayCount else { return self }
        return ReportPeriod(kind: .custom, start: start, end: start.adding(days: max(days, 1)))
    }

    /// How many of the period's days have begun by `today`: all of them once it is over, none before it starts.
    public func elapsedDays(asOf today: LocalDate) -> Int {
        min(max(today.daysSinceEpoch - start.daysSinceEpoch + 1, 0), dayCount)
    }

    /// How the trend chart steps through the period: by day up to about two months, then by week.
    public var trendStep: Int { dayCount <= 62 ? 1 : 7 }

    /// The first days of the trend's steps.
    public var trendDays: [LocalDate] {
        stride(from: 0, to: dayCount, by: trendStep).map { start.adding(days: $0) }
    }
}
