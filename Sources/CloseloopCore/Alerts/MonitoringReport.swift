import Foundation

/// SPEC §6's watch over the whole system for one day: the day's figures, the rolling window's rates against their
/// targets, and every anomaly with the complaints behind it. Pure arithmetic over complaints and their clocks.
public struct MonitoringReport: Hashable, Sendable {
    /// One threshold crossed, naming its cause and the complaints involved.
    public struct Anomaly: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable, CaseIterable {
            case firstResponseOverdue = "first_response_overdue"
            case closureRate = "closure_rate"
            case satisfaction
            case negativeRate = "negative_rate"
        }

        public var kind: Kind
        public var message: LocalizedText
        /// The first complaints behind it by number (`MonitoringFigures.listed` at most), of `total`.
        public var complaints: [String]
        public var total: Int

        /// The message with the complaints behind it (at most 20 listed), for an alert or a report line.
        public func text(in language: Language) -> String {
            let shown = message.text(in: language)
            guard kind != .firstResponseOverdue, !complaints.isEmpty else { return shown }
            let numbers = complaints.prefix(20).joined(separator: ", ") + (total > 20 ? " …" : "")
            return shown + LocalizedText(zh: "（投诉 \(numbers)）", en: " (complaints \(numbers))").text(in: language)
        }
    }

    public var day: LocalDate
    public var receivedOnDay: Int
    public var closedOnDay: Int
    /// Of the complaints closed in the day, those resolved by their deadline (or closed without one to meet).
    public var closedOnDayInTime: Int
    /// The closure rate's base (SPEC §6, closed ÷ due): the complaints whose resolution deadline fell in the window
    /// or that were closed in it, so every complaint closed in the day is counted; and how many of them were
    /// resolved in time. A deadline still ahead of a complaint not yet closed counts neither way.
    public var closureBase: Int
    public var closureInTime: Int
    /// How many satisfaction scores of each value (1–5) were given in the window.
    public var ratings: [Int]
    /// Complaints whose first response is still owed past its deadline at the end of the day (or `asOf`).
    public var firstResponseOverdue: MonitoringFigures.Listed
    /// Complaints whose first contact with the customer is still owed past its deadline.
    public var firstContactOverdue: Int
    /// Complaints with any clock running past its deadline: what the queues list as overdue at the same instant.
    public var overdue: Int
    public var anomalies: [Anomaly]
    /// The system's own health that day, from the server instances' checks; nil where nobody read them (`make`
    /// reads complaints only).
    public var health: HealthSummary?

    /// Every score given in the window, lowest first.
    public var scores: [Int] { ratings.enumerated().flatMap { Array(repeating: $0.offset + 1, count: $0.element) } }
    public var ratingCount: Int { ratings.reduce(0, +) }
    public var closureRate: Double? { closureBase == 0 ? nil : Double(closureInTime) / Double(closureBase) }
    /// Mean score on a 0–100 scale (5 = 100).
    public var satisfaction: Double? {
        guard ratingCount > 0 else { return nil }
        let sum = ratings.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
        return Double(sum) / Double(ratingCount) * 20
    }
    public var negativeRate: Double? {
        ratingCount == 0 ? nil : Double(ratings[0] + ratings[1]) / Double(ratingCount)
    }

    /// What the report reads of one complaint: a handful of instants, so a store can keep them as columns and hand
    /// over only the complaints that matter for a day instead of whole documents.
    public struct Entry: Hashable, Sendable {
        public var number: String
        public var receivedAt: Date
        public var closedAt: Date?
        /// The deadline of the first resolution cycle, and whether that cycle stopped by then (false while it runs).
        public var resolutionDueAt: Date?
        public var resolvedInTime: Bool
        /// When the first verification cycle stopped: the customer's verdict, with the score given then.
        public var verifiedAt: Date?
        public var satisfaction: Int?
        /// The deadline of a first response still owed.
        public var firstResponseDueAt: Date?
        /// The deadline of a first contact still owed.
        public var firstContactDueAt: Date?
        /// The nearest deadline of any running clock, as the queues order and filter by it.
        public var nextDueAt: Date?

        public init(
            number: String, receivedAt: Date, closedAt: Date?, resolutionDueAt: Date?, resolvedInTime: Bool,
            verifiedAt: Date?, satisfaction: Int?, firstResponseDueAt: Date?, firstContactDueAt: Date? = nil,
            nextDueAt: Date? = nil
        ) {
            self.number = number
            self.receivedAt = receivedAt
            self.closedAt = closedAt
            self.resolutionDueAt = resolutionDueAt
            self.resolvedInTime = resolvedInTime
            self.verifiedAt = verifiedAt
            self.satisfaction = satisfaction
            self.firstResponseDueAt = firstResponseDueAt
            self.firstContactDueAt = firstContactDueAt
            self.nextDueAt = nextDueAt
        }

        /// Resolved by the resolution deadline, or closed without one (withdrawn, invalid, merged).
        public var metResolution: Bool { resolvedInTime || (resolutionDueAt == nil && closedAt != nil) }

        public init(_ complaint: Complaint, clocks: [ClockStatus]) {
            let resolution = clocks.first { $0.clock == .resolution }
            var inTime = false
            if let due = resolution?.dueAt, let stopped = resolution?.stoppedAt { inTime = stopped <= due }
            self.init(
                number: complaint.number, receivedAt: complaint.receivedAt, closedAt: complaint.closedAt,
                resolutionDueAt: resolution?.dueAt, resolvedInTime: inTime,
                verifiedAt: clocks.first { $0.clock == .verification }?.stoppedAt,
                satisfaction: complaint.satisfaction,
                firstResponseDueAt: clocks.first { $0.clock == .firstResponse && $0.isRunning }?.dueAt,
                firstContactDueAt: clocks.first { $0.clock == .firstContact && $0.isRunning }?.dueAt,
                nextDueAt: ClockSchedule.nextDue(clocks))
        }
    }

    /// The day's start, end and window: which entries a store must hand over for `day` (`make` ignores the rest):
    /// received in `day`, closed, resolution due or verified in `window`, or any clock due before `dayEnd`.
    public struct Span: Hashable, Sendable {
        public var dayStart: Date
        public var dayEnd: Date
        public var windowStart: Date

        /// `asOf` (a check during the day) ends the day early, so deadlines later today are not counted as missed.
        public init(day: LocalDate, windowDays: Int, calendar: BusinessCalendar, asOf: Date? = nil) {
            dayStart = calendar.startOfDay(day)
            dayEnd = min(calendar.startOfDay(day.adding(days: 1)), asOf ?? .distantFuture)
            windowStart = calendar.startOfDay(day.adding(days: 1 - windowDays))
        }
    }

    /// The report for `day` as it stands at `asOf` (by default the day's end in the calendar's zone), over the
    /// entries of `Span`; passing more is harmless.
    public static func make(
        day: LocalDate, entries: [Entry], targets: MonitoringTargets, calendar: BusinessCalendar, asOf: Date? = nil
    ) -> MonitoringReport {
        let span = Span(day: day, windowDays: targets.windowDays, calendar: calendar, asOf: asOf)
        return make(day: day, figures: .tally(entries, span: span), targets: targets)
    }

    /// The report for `day` from its figures, with an anomaly for each target missed.
    public static func make(day: LocalDate, figures: MonitoringFigures, targets: MonitoringTargets)
        -> MonitoringReport
    {
        var report = MonitoringReport(
            day: day, receivedOnDay: figures.receivedOnDay, closedOnDay: figures.closedOnDay,
            closedOnDayInTime: figures.closedOnDayInTime, closureBase: figures.closureBase,
            closureInTime: figures.closureInTime, ratings: figures.ratings,
            firstResponseOverdue: figures.firstResponseOverdue, firstContactOverdue: figures.firstContactOverdue,
            overdue: figures.overdue, anomalies: [])
        let overdue = figures.firstResponseOverdue
        if !overdue.isEmpty {
            // An alert names at most 20; the report's count and the complaint list carry the rest.
            let numbers = overdue.numbers.prefix(20).joined(separator: ", ")
            let more = overdue.count > 20
            report.anomalies.append(
                Anomaly(
                    kind: .firstResponseOverdue,
                    message: LocalizedText(
                        zh: "首次响应超时：投诉 \(numbers)" + (more ? " 等 \(overdue.count) 件" : ""),
                        en: "First response overdue: complaint \(numbers)"
                            + (more ? " and others, \(overdue.count) in all" : "")),
                    complaints: overdue.numbers, total: overdue.count))
        }
        if let rate = report.closureRate, rate < targets.closureRate {
            report.anomalies.append(
                Anomaly(
                    kind: .closureRate,
                    message: LocalizedText(
                        zh: "结案率 \(percent(rate)) 低于目标 \(percent(targets.closureRate))",
                        en: "Closure rate \(percent(rate)) is below the target of \(percent(targets.closureRate))"),
                    complaints: figures.missed.numbers, total: figures.missed.count))
        }
        if let score = report.satisfaction, score < targets.satisfaction {
            report.anomalies.append(
                Anomaly(
                    kind: .satisfaction,
                    message: LocalizedText(
                        zh: "满意度 \(String(format: "%.1f", score)) 低于目标 \(String(format: "%.0f", targets.satisfaction))",
                        en:
                            "Satisfaction \(String(format: "%.1f", score)) is below the target of \(String(format: "%.0f", targets.satisfaction))"
                    ),
                    complaints: figures.unhappy.numbers, total: figures.unhappy.count))
        }
        if let rate = report.negativeRate, rate > targets.negativeRate {
            report.anomalies.append(
                Anomaly(
                    kind: .negativeRate,
                    message: LocalizedText(
                        zh: "差评率 \(percent(rate)) 高于上限 \(percent(targets.negativeRate))",
                        en: "Negative rate \(percent(rate)) is above the limit of \(percent(targets.negativeRate))"),
                    complaints: figures.unhappy.numbers, total: figures.unhappy.count))
        }
        return report
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// The report as text, for email and the command line.
    public func text(in language: Language, windowDays: Int) -> String {
        func line(_ zh: String, _ en: String) -> String { LocalizedText(zh: zh, en: en).text(in: language) }
        let none = line("无数据", "no data")
        var lines = [
            line("系统监控日报 \(day)", "Daily monitoring report \(day)"), "",
            line("当日受理：\(receivedOnDay)", "Received: \(receivedOnDay)"),
            line(
                "当日结案：\(closedOnDay)（按时 \(closedOnDayInTime)）",
                "Closed: \(closedOnDay) (\(closedOnDayInTime) on time)"),
            line(
                "近 \(windowDays) 天结案率：\(closureRate.map(Self.percent) ?? none)（到期或结案 \(closureBase) 件中按时解决 \(closureInTime) 件）",
                "Closure rate, last \(windowDays) days: \(closureRate.map(Self.percent) ?? none) (\(closureInTime) of \(closureBase) due or closed were resolved on time)"
            ),
            line(
                "近 \(windowDays) 天满意度：\(satisfaction.map { String(format: "%.1f", $0) } ?? none)（\(ratingCount) 份评价）",
                "Satisfaction, last \(windowDays) days: \(satisfaction.map { String(format: "%.1f", $0) } ?? none) (\(ratingCount) ratings)"
            ),
            line(
                "近 \(windowDays) 天差评率：\(negativeRate.map(Self.percent) ?? none)",
                "Negative rate, last \(windowDays) days: \(negativeRate.map(Self.percent) ?? none)"),
            line(
                "首次响应超时（仍未响应）：\(firstResponseOverdue.count)",
                "First response overdue (still owed): \(firstResponseOverdue.count)"),
            line(
                "首次联系超时（仍未联系）：\(firstContactOverdue)",
                "First contact overdue (still owed): \(firstContactOverdue)"),
            line("超时投诉（任一时限）：\(overdue)", "Overdue complaints (any deadline): \(overdue)"), "",
        ]
        if anomalies.isEmpty {
            lines.append(line("无异常。", "No anomalies."))
        } else {
            lines.append(line("异常：", "Anomalies:"))
            lines += anomalies.map { "- " + $0.text(in: language) }
        }
        if let health {
            lines += ["", line("系统健康：", "System health:")] + health.lines(in: language)
        }
        return lines.joined(separator: "\n")
    }
}
