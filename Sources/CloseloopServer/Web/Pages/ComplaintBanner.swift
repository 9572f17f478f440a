import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// The banner at the top of the complaint page: the state in words, what just changed, who acts next and by when,
/// and which of the viewer's actions is the one the loop expects (`Complaint.nextStep`).
struct ComplaintBanner {
    let app: WebApp
    let directory: Directory
    let formatting: WebFormatting
    let describer: EventDescription

    /// How long a customer's or approver's words may run in the banner before the timeline has the rest.
    static let quoteLength = 120

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { app.t(key, values) }

    /// A line that starts with a lowercase label ("first response due …") reads as a sentence in English.
    private func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// The viewer's action the loop expects next, among those they may take now; nil when the next move is not theirs.
    static func primaryAction(of complaint: Complaint, available: [ActionName], viewer: UserID) -> ActionName? {
        if let expected = complaint.nextStep?.actions.first(where: available.contains) { return expected }
        // A delay request waits on its approver whatever else is going on.
        if complaint.pendingDelay != nil, available.contains(.decideDelay) { return .decideDelay }
        // While others work, the owner's part is keeping the customer informed (first contact, the update cadence).
        if complaint.owner == viewer, available.contains(.recordContact) { return .recordContact }
        return nil
    }

    func context(
        _ record: ComplaintRecord, history: [ComplaintEvent], primary: ActionName?, now: Date
    ) -> [String: Any] {
        let complaint = record.complaint
        var banner: [String: Any] = [
            "state": sentence(app.text(complaint.state.label)), "stateCode": complaint.state.rawValue,
        ]
        if let (text, at) = latestChange(complaint, history: history) {
            banner["change"] = sentence(text)
            banner["changeAt"] = formatting.dateTime(at)
        }
        guard let step = complaint.nextStep else { return banner }
        let action = primary.flatMap { step.actions.contains($0) ? $0 : nil } ?? step.actions[0]
        let yours = primary == action
        banner["next"] = t(
            "next_step", ["action": app.text(action.label), "who": yours ? t("party_you") : party(step, complaint)])
        banner["yours"] = yours
        banner["primary"] = primary?.rawValue as Any
        banner["primaryLabel"] = primary.map { app.text($0.label) } as Any
        if let kind = step.clock,
            let clock = record.clocks.first(where: { $0.clock == kind && $0.isRunning }), let due = clock.dueAt
        {
            let left = formatting.timeLeft(until: due, basis: clock.basis, now: now)
            banner["due"] = sentence(
                t(
                    "next_due",
                    [
                        "clock": app.text(kind.label), "due": formatting.dateTime(due), "left": left.text,
                        "basis": formatting.basisName(clock.basis),
                    ]))
            banner["overdue"] = left.overdue
            banner["soon"] = left.soon
        } else if complaint.state == .awaitingInformation {
            banner["due"] = t("next_paused")
        }
        // The assigner's own target for the handler, when it is the handler's turn.
        if case .handler = step.party, let target = complaint.handlerDue {
            let left = formatting.timeLeft(until: target, basis: .calendar, now: now)
            banner["targetDue"] = t("next_target_due", ["due": formatting.dateTime(target), "left": left.text])
            banner["targetOverdue"] = left.overdue
        }
        return banner
    }

    /// Whose turn it is, in words: "处理人 王芳（售后部）", "客服主管", "客户（由 张伟 记录答复）".
    private func party(_ step: NextStep, _ complaint: Complaint) -> String {
        switch step.party {
        case .customer:
            guard step.actions.first == .respondToProposal, let owner = complaint.owner else {
                return t("party_customer")
            }
            return t("party_customer_recorded", ["name": directory.userName(owner)])
        case .owner(let owner?):
            return t("party_owner", ["name": directory.userName(owner)])
        case .owner(nil):
            return app.text(Role.agent.label)
        case .handler(let handler?, let department):
            return t(
                "party_handler",
                ["name": directory.userName(handler), "department": directory.departmentName(department)])
        case .handler(nil, let department?):
            return t("party_department", ["department": directory.departmentName(department)])
        case .handler(nil, nil):
            return app.text(Role.handler.label)
        case .role(let role):
            return app.text(role.label)
        }
    }

    /// The latest event that moved the loop, said as what it means for the next step ("客户拒绝了方案：'…'，请重新
    /// 提出方案"); notes, alerts and delivery receipts are the timeline's.
    func latestChange(_ complaint: Complaint, history: [ComplaintEvent]) -> (String, Date)? {
        guard let event = history.last(where: { Self.isSignificant($0.change) }) else { return nil }
        let actor = event.actor.kind == .staff ? event.actor.name : t("actor_\(event.actor.kind.rawValue)")
        func quote(_ words: String) -> String {
            let trimmed = words.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return "" }
            let short = trimmed.count > Self.quoteLength ? trimmed.prefix(Self.quoteLength) + "…" : trimmed
            return t("change_quote", ["words": String(short)])
        }
        let text: String
        switch event.change {
        case .customerResponded(let decision):
            text =
                decision.approved
                ? t("change_customer_accepted") : t("change_customer_rejected", ["quote": quote(decision.comment)])
        case .approvalDecided(let decision):
            text =
                decision.approved
                ? t("change_approval_approved", ["actor": actor])
                : t("change_approval_rejected", ["actor": actor, "quote": quote(decision.comment)])
        case .solutionProposed(let proposal):
            text =
                proposal.requiredApprover.map {
                    t("change_proposed_needs_approval", ["actor": actor, "approver": app.text($0.label)])
                } ?? t("change_proposed", ["actor": actor])
        case .verified(let verification) where !(verification.solved && verification.satisfied):
            text = t("change_not_satisfied", ["quote": quote(verification.note)])
        case .reopened(let note):
            text = t("change_reopened", ["actor": actor, "quote": quote(note.text)])
        case .completenessChecked(let check) where !check.complete:
            text = t(
                "change_incomplete",
                ["missing": check.missing.map { t("missing_\($0)") }.joined(separator: t("list_separator"))])
        case .delayRequested(let request):
            text = t(
                "change_delay_requested",
                ["actor": actor, "until": formatting.dateTime(request.until), "quote": quote(request.reason)])
        case .messageReceived(let message):
            text = t("change_message", ["quote": quote(message.text)])
        default:
            text = t("change_latest", ["title": describer.describe(event.change).title, "actor": actor])
        }
        return (text, event.at)
    }

    /// Events that change where the complaint stands or what is asked of someone.
    static func isSignificant(_ change: EventChange) -> Bool {
        switch change {
        case .noteAdded, .clockAlerted, .customerUpdated, .updatePreferenceSet: false
        default: true
        }
    }

    /// Why the proposal on record is no longer on the table, when it is not: the page shows it as the previous one.
    static func proposalSetAside(_ complaint: Complaint, history: [ComplaintEvent]) -> String? {
        guard complaint.proposal != nil, complaint.state == .investigating else { return nil }
        for event in history.reversed() {
            switch event.change {
            case .customerResponded(let decision) where !decision.approved: return "proposal_rejected_customer"
            case .approvalDecided(let decision) where !decision.approved: return "proposal_rejected_approver"
            case .verified: return "proposal_not_satisfied"
            case .reopened: return "proposal_reopened"
            case .solutionProposed: return nil
            default: continue
            }
        }
        return nil
    }
}
