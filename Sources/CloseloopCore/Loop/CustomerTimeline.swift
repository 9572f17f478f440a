import Foundation

/// What a customer sees when tracking a complaint: the steps that concern them, in plain words, never internal
/// notes, names of staff or approval details.
public enum CustomerTimeline {
    /// One step the customer can read.
    public struct Step: Hashable, Sendable {
        public var at: Date
        public var text: String
    }

    public static func steps(of history: [ComplaintEvent], in language: Language) -> [Step] {
        history.compactMap { event in
            text(for: event.change).map { Step(at: event.at, text: $0.text(in: language)) }
        }
    }

    /// The state a customer is shown: internal steps (waiting for an approver, for the countersignature) appear as
    /// the customer-facing step around them.
    public static func visibleState(_ state: ComplaintState) -> ComplaintState {
        switch state {
        case .awaitingApproval: .investigating
        case .validated: .received
        case .awaitingCountersign: .returnVisit
        default: state
        }
    }

    /// The complaint's state in plain words for the customer.
    public static func stateText(_ state: ComplaintState, in language: Language) -> String {
        let text: LocalizedText
        switch state {
        case .received, .validated:
            text = LocalizedText(zh: "我们已收到您的投诉，正在核实", en: "We have your complaint and are checking it")
        case .awaitingInformation: text = LocalizedText(zh: "需要您补充资料", en: "We need more information from you")
        case .investigating, .awaitingApproval:
            text = LocalizedText(zh: "正在调查处理", en: "We are looking into it")
        case .proposed: text = LocalizedText(zh: "处理方案等待您的确认", en: "A solution is waiting for your answer")
        case .executing: text = LocalizedText(zh: "正在按方案处理", en: "We are carrying out the solution")
        case .verifying: text = LocalizedText(zh: "处理已完成，请确认结果", en: "Done on our side; please confirm the result")
        case .returnVisit, .awaitingCountersign:
            text = LocalizedText(zh: "已确认解决，即将回访", en: "Confirmed solved; we will follow up with you")
        case .closed, .archived: text = LocalizedText(zh: "已结案", en: "Closed")
        }
        return text.text(in: language)
    }

    private static let proposalReady = LocalizedText(
        zh: "我们提出了处理方案，请确认", en: "We proposed a solution; please tell us if you agree")

    private static func text(for change: EventChange) -> LocalizedText? {
        switch change {
        case .received(let received):
            return LocalizedText(
                zh: "已受理您的投诉，单号 \(received.number)", en: "Your complaint was received as number \(received.number)")
        case .completenessChecked(let check):
            guard !check.complete else { return nil }
            let missing = check.missing.joined(separator: "、")
            return LocalizedText(
                zh: "请补充以下资料：\(missing)", en: "Please send us: \(check.missing.joined(separator: ", "))")
        case .informationProvided:
            return LocalizedText(zh: "已收到补充资料", en: "We received the information you sent")
        case .updatePreferenceSet(let preference):
            return preference.optedOut
                ? LocalizedText(zh: "已按您的要求停止发送进度通知", en: "Progress updates stopped, as you asked")
                : LocalizedText(zh: "已恢复发送进度通知", en: "Progress updates resumed")
        case .messageReceived:
            return LocalizedText(zh: "已收到您的来信", en: "We received your message")
        case .validityDecided(let decision):
            return decision.valid
                ? LocalizedText(zh: "投诉已确认受理", en: "Your complaint was accepted for handling")
                : LocalizedText(
                    zh: "经核实不属于有效投诉：\(decision.reason)",
                    en: "After checking, we could not accept it: \(decision.reason)")
        case .requestAnswered(let note):
            return LocalizedText(zh: "答复：\(note.text)", en: "Our answer: \(note.text)")
        case .assigned:
            return LocalizedText(zh: "已安排专人负责处理", en: "A named person now follows your complaint")
        case .customerContacted(let contact) where contact.outcome == .reached:
            return LocalizedText(zh: "客服已与您联系", en: "We spoke with you")
        case .approvalDecided(let decision) where decision.approved:
            return proposalReady
        case .solutionProposed(let proposal) where proposal.requiredApprover == nil:
            return proposalReady
        case .customerResponded(let decision):
            return decision.approved
                ? LocalizedText(zh: "您已同意处理方案", en: "You accepted the solution")
                : LocalizedText(
                    zh: "您未同意处理方案，我们将重新研究", en: "You did not accept the solution; we are working on another")
        case .resultReturned:
            return LocalizedText(zh: "处理已完成，请确认结果", en: "The work is done; please confirm the result")
        case .verified(let verification):
            return verification.solved && verification.satisfied
                ? LocalizedText(zh: "已确认问题解决", en: "Confirmed solved")
                : LocalizedText(zh: "问题尚未解决，我们将继续处理", en: "Not solved yet; we continue")
        case .closed:
            return LocalizedText(zh: "已结案，感谢您的反馈", en: "Closed. Thank you for telling us")
        case .reopened:
            return LocalizedText(zh: "投诉已重新处理", en: "Your complaint was reopened")
        case .merged(let merge):
            return LocalizedText(
                zh: "此投诉与您的投诉 \(merge.into) 为同一问题，已合并到该投诉一并处理",
                en: "This is the same issue as your complaint \(merge.into); it is handled there from now on")
        case .duplicateMerged(let duplicate):
            return LocalizedText(
                zh: "您就同一问题的投诉 \(duplicate.number) 已合并到此处一并处理",
                en: "Your complaint \(duplicate.number) about the same issue is now handled here")
        default:
            return nil
        }
    }
}
