import CloseloopCore
import CloseloopStore
import Foundation

/// The reports mailed weekly and monthly (SPEC §7, `ReportSchedule`): an administrator chooses the scope and the
/// readers; once a period is over, on the morning after at the daily report's time, each reader's email channels get
/// the dashboard in words with the workbook (figures, breakdowns, trend, clocks and the departments' league)
/// attached, through the outbox. Each message's id names the subscription, the period and the address, so however
/// many instances try, and however often, a period's report is queued once per address.
public struct ScheduledReports: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let reports: ReportService
    let time: any TimeSource

    /// The schedule, for the administrators.
    public func schedule(by actor: Operator) async throws -> ReportSchedule {
        try actor.require(anyOf: [.administrator])
        return await settings.reportSchedule()
    }

    /// Adds a subscription; throws every reason it cannot be kept (a reader who may not read its figures).
    @discardableResult
    public func add(
        _ frequency: ReportSchedule.Frequency, department: DepartmentID?, recipients: [UserID], by actor: Operator
    ) async throws -> ReportSchedule.Subscription {
        try actor.require(anyOf: [.administrator])
        var schedule = await settings.reportSchedule()
        let subscription = ReportSchedule.Subscription(
            id: TimeOrderedID.make(at: time.instant()), frequency: frequency, department: department,
            recipients: Array(Set(recipients)).sorted { $0.rawValue < $1.rawValue })
        schedule.subscriptions.append(subscription)
        // The new subscription's readers are checked; earlier ones stay as they are (the sending skips a reader who
        // lost the right since).
        var problems = ReportSchedule(subscriptions: [subscription]).problems(staff: try await staff())
        if schedule.subscriptions.count > ReportSchedule.maxSubscriptions {
            problems.append("at most \(ReportSchedule.maxSubscriptions) scheduled reports")
        }
        try await settings.save(
            schedule, problems: problems, by: actor,
            detail: "\(frequency.rawValue) \(department?.rawValue ?? "company") → "
                + subscription.recipients.map(\.rawValue).joined(separator: ", "))
        return subscription
    }

    /// Removes a subscription; false when there is none with `id`.
    public func remove(_ id: String, by actor: Operator) async throws -> Bool {
        try actor.require(anyOf: [.administrator])
        var schedule = await settings.reportSchedule()
        guard let index = schedule.subscriptions.firstIndex(where: { $0.id == id }) else { return false }
        let removed = schedule.subscriptions.remove(at: index)
        try await settings.save(
            schedule, problems: [], by: actor,
            detail: "removed \(removed.frequency.rawValue) \(removed.department?.rawValue ?? "company")")
        return true
    }

    /// Who may be chosen: the active staff.
    private func staff() async throws -> [StaffMember] {
        try await store.users().filter(\.active).map(\.staffMember)
    }

    /// Queues every report whose period is over and whose time has come, once per reader's address; returns how many
    /// messages were queued.
    @discardableResult
    public func sendDue() async throws -> Int {
        let schedule = await settings.reportSchedule()
        guard !schedule.subscriptions.isEmpty else { return 0 }
        let (_, calendar) = await settings.current()
        let reportAt = await settings.alertPolicy().dailyReportAt
        let now = time.now()
        let today = calendar.localDate(of: now)
        let sendFrom = calendar.startOfDay(today).addingTimeInterval(
            Double(reportAt.hour * 3600 + reportAt.minute * 60))
        let users = try await store.users().filter(\.active)
        var queued = 0
        for subscription in schedule.subscriptions {
            let period = subscription.lastPeriod(asOf: today)
            // Before the report time on the period's first morning after, wait; later that day or after, send.
            if period.end == today && now < sendFrom { continue }
            // A reader whose roles changed since being chosen is no longer sent the figures.
            let readers = users.filter { user in
                subscription.recipients.contains(user.id)
                    && ReportAccess.mayRead(subscription.department, by: user.staffMember)
            }
            let targets = try await store.notificationTargets(of: readers.map { .user($0.id) })
                .filter { $0.channel == "email" }
            let addressed = targets.map { target in
                (target, Self.messageID(subscription, period, target.address))
            }
            let held = try await store.outboxHolds(addressed.map(\.1))
            let waiting = addressed.filter { !held.contains($0.1) }
            guard !waiting.isEmpty else { continue }
            let scope = StatisticsScope(department: subscription.department)
            let dashboard = try await reports.dashboard(period, scope: scope, now: now)
            let league =
                subscription.department == nil
                ? try await reports.league(period, by: .department, scope: scope, ranking: .onTime) : nil
            var messages: [OutboxMessage] = []
            for language in Language.allCases {
                let names = ReportWorkbooks.Names(
                    language: language, departments: try await store.departments(), users: users,
                    taxonomy: await settings.categories(), calendar: calendar)
                let mail = Self.mail(subscription, dashboard, league: league, names: names)
                let attachment = OutboxAttachment(
                    fileName: mail.fileName, contentType: XLSXWorkbook.contentType, data: try mail.workbook.data())
                for (target, id) in waiting {
                    guard case .user(let owner) = target.owner,
                        (readers.first { $0.id == owner }?.language ?? .zhHans) == language
                    else { continue }
                    var message = OutboxMessage(
                        id: id, createdAt: time.instant(), complaintID: nil,
                        topic: "report.\(subscription.frequency.rawValue)", channel: "email",
                        recipient: target.address, subject: mail.subject, body: mail.body)
                    message.attachments = [attachment]
                    messages.append(message)
                }
            }
            queued += try await store.enqueueOnce(messages)
        }
        return queued
    }

    /// "report:<subscription>:<period>:<address>", the same on every instance and every round.
    static func messageID(_ subscription: ReportSchedule.Subscription, _ period: ReportPeriod, _ address: String)
        -> String
    {
        "report:\(subscription.id):\(period.code):\(address.lowercased())"
    }

    /// The subject, the figures in words, and the workbook of one subscription's period in one language.
    static func mail(
        _ subscription: ReportSchedule.Subscription, _ dashboard: Dashboard, league: League?,
        names: ReportWorkbooks.Names
    ) -> (subject: String, body: String, workbook: XLSXWorkbook, fileName: String) {
        let n = names
        let scopeName =
            subscription.department.map { n.department($0.rawValue) } ?? n.text("全公司", "Company")
        let periodTitle = ReportService.title(of: dashboard.period)
        let subject =
            subscription.frequency == .weekly
            ? n.text("【投诉周报】\(scopeName) \(periodTitle)", "[Weekly complaints report] \(scopeName) \(periodTitle)")
            : n.text("【投诉月报】\(scopeName) \(periodTitle)", "[Monthly complaints report] \(scopeName) \(periodTitle)")
        let report = StatisticsReport(statistics: dashboard.current, title: periodTitle, departments: n.departments)
        var workbook = ReportWorkbooks.dashboard(dashboard, names: n)
        if let league { workbook.sheets += ReportWorkbooks.league(league, names: n).sheets }
        let fileName =
            ["closeloop", subscription.frequency == .weekly ? "weekly" : "monthly", dashboard.period.code]
            .joined(separator: "-") + (subscription.department.map { "-\($0.rawValue)" } ?? "") + ".xlsx"
        let body =
            report.text(in: n.language) + "\n\n"
            + n.text(
                "附件 \(fileName)：指标（与上一期、去年同期对比）、分布、趋势、时限\(league == nil ? "" : "、部门排名")。",
                "Attached, \(fileName): the figures beside the previous period and last year's, the breakdowns, the trend, the clocks\(league == nil ? "" : " and the departments' league table")."
            )
        return (subject, body, workbook, fileName)
    }
}
