import CloseloopCore
import CloseloopStore
import Foundation

/// SPEC §6: the daily monitoring report, computed from the complaints, shown on a page, printed by
/// `closeloop report daily`, and sent every morning to the supervisors and administrators through the outbox.
public struct MonitoringService: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    /// What this instance saw of its own work since its last check.
    var health: HealthRecorder

    /// How long the instances' health checks are kept: a year and a month, so last year's day can be read.
    static let healthChecksKept: TimeInterval = 400 * 86_400

    init(store: SQLStore, settings: LoopSettings, time: any TimeSource, health: HealthRecorder? = nil) {
        self.store = store
        self.settings = settings
        self.time = time
        self.health = health ?? HealthRecorder(time: time)
    }

    /// The day's report, with the health section from every instance's checks in the day.
    public func report(for day: LocalDate, asOf: Date? = nil) async throws -> MonitoringReport {
        var report = try await complaintsReport(for: day, asOf: asOf)
        let (_, calendar) = await settings.current()
        // The whole day's checks, whatever `asOf`: none is later than now, and the one just made counts.
        let checks = try await store.healthChecks(
            from: calendar.startOfDay(day), to: calendar.startOfDay(day.adding(days: 1)))
        report.health = HealthSummary.make(
            checks: checks, targets: await settings.alertPolicy().health, timeZone: calendar.timeZone)
        return report
    }

    /// The day's figures and anomalies from the complaints alone: what the check every five minutes needs, without
    /// reading the day's health checks it does not use.
    private func complaintsReport(for day: LocalDate, asOf: Date?) async throws -> MonitoringReport {
        let (_, calendar) = await settings.current()
        let targets = await settings.alertPolicy().monitoring
        let span = MonitoringReport.Span(day: day, windowDays: targets.windowDays, calendar: calendar, asOf: asOf)
        return MonitoringReport.make(day: day, figures: try await store.monitoringFigures(for: span), targets: targets)
    }

    /// Takes this instance's health check (what it saw since the last one, and the outbox as the database holds
    /// it), keeps it for the daily report, and raises an alert for each threshold it crossed to the supervisors and
    /// administrators, once per kind per instance per hour. Returns the check and how many messages were queued.
    @discardableResult
    public func checkHealth() async throws -> (check: HealthCheck, queued: Int) {
        let backlog = try await store.outboxBacklog()
        let check = health.take(outboxPending: backlog.pending, outboxFailed: backlog.failed)
        try await store.recordHealthCheck(check, forgetBefore: check.at.addingTimeInterval(-Self.healthChecksKept))
        let anomalies = check.anomalies(against: await settings.alertPolicy().health)
        guard !anomalies.isEmpty else { return (check, 0) }
        let (_, calendar) = await settings.current()
        let hour = Int(check.at.timeIntervalSince1970 / 3600)
        let today = calendar.localDate(of: check.at)
        let messages = try await alerts(
            prefix: LocalizedText(zh: "【系统健康预警】", en: "[System health alert] "),
            anomalies.map { anomaly in
                (
                    id: "health:\(today):\(hour):\(anomaly.kind.rawValue):\(check.instance)",
                    topic: "health.\(anomaly.kind.rawValue)", text: anomaly.message.text(in:)
                )
            })
        return (check, try await store.enqueueOnce(messages))
    }

    /// The day before today in the business calendar's zone.
    public func yesterday() async -> LocalDate {
        let (_, calendar) = await settings.current()
        return calendar.localDate(of: time.now()).adding(days: -1)
    }

    /// Queues yesterday's report once the morning's report time (`AlertPolicy.dailyReportAt`) has passed, unless
    /// `lastSent` says it was already sent. Returns the day last sent and, when sent now, how many messages went out.
    public func sendYesterdaysReportIfDue(after lastSent: LocalDate?) async throws -> (
        day: LocalDate?, queued: Int?
    ) {
        let (_, calendar) = await settings.current()
        let reportAt = await settings.alertPolicy().dailyReportAt
        let now = time.now()
        let today = calendar.localDate(of: now)
        let day = today.adding(days: -1)
        guard day != lastSent else { return (lastSent, nil) }
        let dueAt = calendar.startOfDay(today).addingTimeInterval(Double(reportAt.hour * 3600 + reportAt.minute * 60))
        guard now >= dueAt else { return (lastSent, nil) }
        return (day, try await send(try await report(for: day)))
    }

    /// Checks today so far against the monitoring targets and raises an alert for each anomaly (naming its cause and
    /// complaints) to the supervisors and administrators, once per anomaly kind per day, however many instances
    /// check. Returns how many messages were queued.
    @discardableResult
    public func raiseAlerts() async throws -> Int {
        let (_, calendar) = await settings.current()
        let today = calendar.localDate(of: time.now())
        let report = try await complaintsReport(for: today, asOf: time.now())
        guard !report.anomalies.isEmpty else { return 0 }
        return try await store.enqueueOnce(
            try await alerts(
                prefix: LocalizedText(zh: "【监控预警】", en: "[Monitoring alert] "),
                report.anomalies.map { anomaly in
                    (
                        id: "monitoring:\(today):\(anomaly.kind.rawValue)",
                        topic: "monitoring.\(anomaly.kind.rawValue)", text: anomaly.text(in:)
                    )
                }))
    }

    /// One message per alert and operations channel, in the channel owner's language, its id the alert's and the
    /// address's: queued once however many times or instances raise it.
    private func alerts(
        prefix: LocalizedText, _ raised: [(id: String, topic: String, text: (Language) -> String)]
    ) async throws -> [OutboxMessage] {
        let (users, targets) = try await operations()
        let now = time.instant()
        return raised.flatMap { alert in
            targets.map { target in
                let language = Self.language(of: target, among: users)
                let subject = prefix.text(in: language) + alert.text(language)
                return OutboxMessage(
                    id: "\(alert.id):\(target.channel):\(target.address)", createdAt: now, complaintID: nil,
                    topic: alert.topic, channel: target.channel, recipient: target.address, subject: subject,
                    body: subject)
            }
        }
    }

    /// Operations: the supervisors' and administrators' channels.
    private func operations() async throws -> ([UserAccount], [NotificationTarget]) {
        let users = try await store.users().filter { user in
            user.active && user.grants.contains { $0.role == .supervisor || $0.role == .administrator }
        }
        return (users, try await store.notificationTargets(of: users.map { .user($0.id) }))
    }

    private static func language(of target: NotificationTarget, among users: [UserAccount]) -> Language {
        if case .user(let id) = target.owner { return users.first { $0.id == id }?.language ?? .zhHans }
        return .zhHans
    }

    /// Queues the report for every supervisor's and administrator's channels; a day's report is queued once, even
    /// when several instances try.
    @discardableResult
    public func send(_ report: MonitoringReport) async throws -> Int {
        let windowDays = await settings.alertPolicy().monitoring.windowDays
        let (users, targets) = try await operations()
        let now = time.instant()
        let messages: [OutboxMessage] = targets.map { target in
            let language = Self.language(of: target, among: users)
            let subject = LocalizedText(
                zh: "系统监控日报 \(report.day)" + (report.anomalies.isEmpty ? "" : "（\(report.anomalies.count) 项异常）"),
                en: "Daily monitoring report \(report.day)"
                    + (report.anomalies.isEmpty ? "" : " (\(report.anomalies.count) anomalies)")
            ).text(in: language)
            return OutboxMessage(
                id: "report.daily:\(report.day):\(target.channel):\(target.address)", createdAt: now, complaintID: nil,
                topic: "report.daily", channel: target.channel, recipient: target.address, subject: subject,
                body: report.text(in: language, windowDays: windowDays))
        }
        return try await store.enqueueOnce(messages)
    }
}
