import CloseloopCore
import CloseloopStore
import Foundation

/// Who hears of a complaint's warnings and breaches, on which channels, in which words (SPEC §5): the owner before a
/// deadline (with the progress-update template filled in for the customer-update cadence), the owner and the
/// supervisor at a breach, one level up the escalation for each further span, the director at once for major and
/// crisis complaints, and the responsible department's group robots at every breach.
struct AlertNotifier {
    let store: SQLStore

    struct Context {
        var complaint: Complaint
        var policy: AlertPolicy
        var templates: MessageTemplates
        var calendar: BusinessCalendar
        var clocks: [ClockStatus]
        var now: Date
    }

    func messages(for alerts: [ClockAlert], _ context: Context) async throws -> [OutboxMessage] {
        let users = try await store.users().filter(\.active)
        var messages: [OutboxMessage] = []
        for alert in alerts {
            let recipients = recipients(of: alert, context, among: users)
            var owners = recipients.map { NotificationTarget.Owner.user($0.id) }
            if alert.kind == .breach, let department = context.complaint.department {
                owners.append(.department(department))
            }
            let targets = try await store.notificationTargets(of: owners)
            for target in targets {
                var language = Language.zhHans
                if case .user(let id) = target.owner { language = users.first { $0.id == id }?.language ?? .zhHans }
                let (subject, body) = text(of: alert, context, in: language)
                messages.append(
                    OutboxMessage(
                        createdAt: context.now, complaintID: context.complaint.id,
                        topic: "alert.\(alert.kind.rawValue)", channel: target.channel, recipient: target.address,
                        subject: subject, body: body))
            }
        }
        return messages
    }

    /// SPEC §3: a complaint that becomes major or a crisis is reported to management (the holders of the chain's
    /// top roles, vice-president and general manager by default) at once, well within the policy's limit.
    func managementReport(_ complaint: Complaint, policy: ServicePolicy, at now: Date) async throws -> [OutboxMessage] {
        Self.managementReport(complaint, policy: policy, to: try await managementTargets(), at: now)
    }

    /// Where management is told, with each recipient's language; read before a write transaction begins.
    func managementTargets() async throws -> [(target: NotificationTarget, user: UserAccount)] {
        try await targets(holding: [.vicePresident, .generalManager])
    }

    /// Where the active holders of any of `roles` (in any department) are told, with each one's language.
    func targets(holding roles: Set<Role>) async throws -> [(target: NotificationTarget, user: UserAccount)] {
        let users = try await store.users().filter { user in
            user.active && user.grants.contains { roles.contains($0.role) }
        }
        return try await store.notificationTargets(of: users.map { .user($0.id) }).compactMap { target in
            guard case .user(let id) = target.owner, let user = users.first(where: { $0.id == id }) else { return nil }
            return (target, user)
        }
    }

    static func managementReport(
        _ complaint: Complaint, policy: ServicePolicy, to targets: [(target: NotificationTarget, user: UserAccount)],
        at now: Date
    ) -> [OutboxMessage] {
        guard policy.severities[complaint.severity]?.reportToManagement != nil else { return [] }
        return targets.filter { !complaint.isRecused($0.user.id) }.map { target, user in
            let language = user.language
            let severity = LocalizedText(
                zh: complaint.severity == .crisis ? "危机事件" : "重大投诉",
                en: complaint.severity == .crisis ? "crisis" : "major complaint"
            ).text(in: language)
            let subject = LocalizedText(
                zh: "【上报】\(severity) \(complaint.number)：\(complaint.intake.subject)",
                en: "[Report] \(severity) \(complaint.number): \(complaint.intake.subject)"
            ).text(in: language)
            let body = subject + "\n\n" + complaint.intake.description
            return OutboxMessage(
                createdAt: now, complaintID: complaint.id, topic: "report.management", channel: target.channel,
                recipient: target.address, subject: subject, body: body)
        }
    }

    /// The staff an alert goes to.
    func recipients(of alert: ClockAlert, _ context: Context, among users: [UserAccount]) -> [UserAccount] {
        let complaint = context.complaint
        var chosen: [UserAccount] = []
        func add(_ user: UserAccount) {
            if !complaint.isRecused(user.id), !chosen.contains(where: { $0.id == user.id }) { chosen.append(user) }
        }
        func holders(of roles: [Role]) -> [UserAccount] {
            users.filter { user in roles.contains { user.staffMember.holds($0, for: complaint.department) } }
        }
        let owner = complaint.owner.flatMap { id in users.first { $0.id == id } }
        switch alert.kind {
        case .warning:
            if let owner { add(owner) } else { holders(of: [.supervisor]).forEach(add) }
        case .breach:
            let levels = context.policy.escalation.prefix(alert.level)
            for level in levels {
                if level.notifyOwner, let owner { add(owner) }
                holders(of: level.roles).forEach(add)
            }
            if owner == nil { holders(of: [.supervisor]).forEach(add) }
            if context.policy.directorSeverities.contains(complaint.severity), context.policy.escalation.count >= 3 {
                holders(of: context.policy.escalation[2].roles).forEach(add)
            }
        }
        return chosen
    }

    /// The subject and body in one language; the customer-update reminder carries the progress-update template
    /// filled in, ready for the owner to send.
    func text(of alert: ClockAlert, _ context: Context, in language: Language) -> (String, String) {
        let complaint = context.complaint
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = context.calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let values = [
            "number": complaint.number, "summary": complaint.intake.subject,
            "customer": complaint.intake.customer.name, "clock": alert.clock.label.text(in: language),
            "due": formatter.string(from: alert.dueAt), "level": "\(alert.level)",
            "progress": complaint.state.label.text(in: language),
            "next_step": LocalizedText(zh: "（请填写下一步）", en: "(fill in the next step)").text(in: language),
            "expected_time": context.clocks.first { $0.clock == .resolution }?.dueAt.map(formatter.string) ?? "",
        ]
        let purpose: MessageTemplates.Purpose = alert.kind == .warning ? .deadlineWarning : .deadlineBreach
        let subject = context.templates.render(purpose, in: language, values: values)
        var body = subject
        if alert.kind == .warning && context.policy.reminderClocks.contains(alert.clock) {
            let draft = context.templates.render(.progressUpdate, in: language, values: values)
            body +=
                "\n\n"
                + LocalizedText(zh: "客户进度通报（可直接使用）：", en: "Progress update for the customer (ready to send):")
                .text(in: language) + "\n" + draft
        }
        return (subject, body)
    }
}
