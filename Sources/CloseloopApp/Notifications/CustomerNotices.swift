import CloseloopCore
import CloseloopStore
import Foundation

/// Which messages the customer receives on their own channel. Stored in `settings` under `customer_notices`; every
/// kind is on until an administrator turns it off.
public struct CustomerNoticeSettings: Hashable, Codable, Sendable {
    /// The number (and the link) when a complaint is received.
    public var acknowledgement: Bool
    /// What is missing, when the complaint waits for the customer's information.
    public var informationRequest: Bool
    /// The settled proposal, when it waits for the customer's answer.
    public var proposal: Bool
    /// The result, with the request to confirm it and rate the service.
    public var result: Bool
    /// Where things stand, on the update cadence of SPEC §3 (sent at the customer-update clock's warning; once
    /// delivered it meets the clock).
    public var progress: Bool

    public init(acknowledgement: Bool, informationRequest: Bool, proposal: Bool, result: Bool, progress: Bool = true) {
        self.acknowledgement = acknowledgement
        self.informationRequest = informationRequest
        self.proposal = proposal
        self.result = result
        self.progress = progress
    }

    public static let standard = CustomerNoticeSettings(
        acknowledgement: true, informationRequest: true, proposal: true, result: true, progress: true)

    private enum CodingKeys: String, CodingKey { case acknowledgement, informationRequest, proposal, result, progress }

    // Settings saved before progress updates existed have them on.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        acknowledgement = try container.decode(Bool.self, forKey: .acknowledgement)
        informationRequest = try container.decode(Bool.self, forKey: .informationRequest)
        proposal = try container.decode(Bool.self, forKey: .proposal)
        result = try container.decode(Bool.self, forKey: .result)
        progress = try container.decodeIfPresent(Bool.self, forKey: .progress) ?? true
    }
}

/// The messages the customer receives on their own channel, from the editable templates, written with the events
/// that call for them (in the same transaction, so none is lost or sent twice): never a staff name, always the
/// number, and the link to their complaint when the portal's address is known.
struct CustomerNotices {
    var templates: MessageTemplates
    var delivery: DeliverySettings
    var settings: CustomerNoticeSettings
    /// The accounts a WeChat follower is answered through.
    var weChat: WeChatSettings = .none
    /// The staff whose names are taken out of what staff wrote for the customer (a proposal, a result).
    var staff: [StaffMentions.Member] = []
    /// The portal link of the complaint, or nil when no portal address is set.
    var link: String?

    /// The messages `events` call for on `complaint` (as it is after them).
    func messages(for events: [ComplaintEvent], on complaint: Complaint, at now: Date) -> [OutboxMessage] {
        guard let (channel, recipient) = Self.address(of: complaint.intake, delivery: delivery, weChat: weChat) else {
            return []
        }
        let language = Self.language(of: complaint.intake.subject + complaint.intake.description)
        return events.compactMap { event in
            guard let (purpose, progress) = notice(for: event.change, on: complaint, in: language) else { return nil }
            return OutboxMessage(
                createdAt: now, complaintID: complaint.id, topic: "customer.\(purpose.rawValue)", channel: channel,
                recipient: recipient, subject: Self.subject(of: complaint),
                body: Self.render(purpose, of: complaint, progress: progress, in: language, templates, link: link))
        }
    }

    /// Which template an event calls for, and what fills its `{progress}`.
    private func notice(for change: EventChange, on complaint: Complaint, in language: Language)
        -> (MessageTemplates.Purpose, String)?
    {
        switch change {
        case .received where settings.acknowledgement:
            return (.acknowledgement, "")
        case .completenessChecked(let check) where !check.complete && settings.informationRequest:
            let items = check.missing.map { Self.missingLabel($0).text(in: language) }
            return (.informationRequest, items.joined(separator: language == .zhHans ? "、" : ", "))
        // The proposal reaches the customer once it is settled: at once within the proposer's authority, else when
        // approved.
        case .solutionProposed(let proposal) where proposal.requiredApprover == nil && settings.proposal:
            return (.proposal, withoutStaffNames(Self.proposalText(proposal), in: language))
        case .approvalDecided(let decision) where decision.approved && settings.proposal:
            guard let proposal = complaint.proposal else { return nil }
            return (.proposal, withoutStaffNames(Self.proposalText(proposal), in: language))
        case .resultReturned(let note) where settings.result:
            return (.resultConfirmation, withoutStaffNames(note.text, in: language))
        default:
            return nil
        }
    }

    /// Whether the notice an event calls for quotes what staff wrote (a proposal, a result).
    static func quotesStaffText(_ change: EventChange) -> Bool {
        switch change {
        case .solutionProposed, .approvalDecided, .resultReturned: true
        default: false
        }
    }

    private func withoutStaffNames(_ text: String, in language: Language) -> String {
        StaffMentions.redact(
            text, among: staff, with: LocalizedText(zh: "工作人员", en: "our staff").text(in: language))
    }

    /// The progress update the cadence calls for now: where things stand, what comes next, by when it should be
    /// resolved. Nil when progress updates are off or the customer cannot be reached.
    func progressUpdate(
        of complaint: Complaint, resolutionDue: Date?, calendar: BusinessCalendar, at now: Date
    ) -> OutboxMessage? {
        guard settings.progress, complaint.state.isOpen, !complaint.progressUpdatesOptedOut,
            let (channel, recipient) = Self.address(of: complaint.intake, delivery: delivery, weChat: weChat)
        else { return nil }
        let language = Self.language(of: complaint.intake.subject + complaint.intake.description)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let body = Self.render(
            .progressUpdate, of: complaint, progress: CustomerTimeline.stateText(complaint.state, in: language),
            extra: [
                "next_step": Self.nextStep(complaint.state).text(in: language),
                "expected_time": resolutionDue.map(formatter.string)
                    ?? LocalizedText(zh: "待定", en: "to be confirmed").text(in: language),
            ], in: language, templates, link: link)
        return OutboxMessage(
            createdAt: now, complaintID: complaint.id, topic: "customer.progress_update", channel: channel,
            recipient: recipient, subject: Self.subject(of: complaint), body: body)
    }

    /// What happens next, in the customer's words.
    private static func nextStep(_ state: ComplaintState) -> LocalizedText {
        switch state {
        case .received, .validated, .awaitingInformation:
            LocalizedText(zh: "安排专人负责", en: "a named person takes it on")
        case .investigating, .awaitingApproval:
            LocalizedText(zh: "查明原因并提出处理方案", en: "we find the cause and propose a solution")
        case .proposed: LocalizedText(zh: "请您答复处理方案", en: "your answer to our proposal")
        case .executing: LocalizedText(zh: "完成处理并请您确认", en: "we finish the work and ask you to confirm")
        case .verifying: LocalizedText(zh: "请您确认处理结果", en: "your confirmation of the result")
        case .returnVisit, .awaitingCountersign, .closed, .archived:
            LocalizedText(zh: "回访并结案", en: "a follow-up call, then we close it")
        }
    }

    // MARK: - Pieces

    /// The customer's own channel: WeChat for a follower who wrote to an account that can send; mail for a
    /// complaint that came by mail or has no phone; otherwise a text message when an SMS gateway is set up, else mail
    /// when there is an address. Nil when there is no way to reach them.
    static func address(of intake: Intake, delivery: DeliverySettings, weChat: WeChatSettings = .none)
        -> (channel: String, recipient: String)?
    {
        let email = intake.customer.email?.trimmingCharacters(in: .whitespaces).nilIfBlank
        let phone = intake.customer.phone?.trimmingCharacters(in: .whitespaces).nilIfBlank
        let sms = delivery.smsGatewayURL?.isEmpty == false
        if intake.channel == .im, let source = intake.source.flatMap(IntakeSource.init), source.kind == .wechat,
            let account = weChat.account(named: source.name),
            account.sends, let openID = intake.customer.customerID?.nilIfBlank
        {
            return (WeChatIntake.channel, WeChatChannel.recipient(account: account.name, openID: openID))
        }
        if intake.channel == .email, let email { return ("email", email) }
        if let phone, sms { return ("sms", phone) }
        if let email { return ("email", email) }
        return nil
    }

    /// What a notice is, by its outbox topic, for a WeChat template's field.
    static func title(ofTopic topic: String) -> LocalizedText {
        switch MessageTemplates.Purpose(rawValue: String(topic.dropFirst("customer.".count))) {
        case .acknowledgement: LocalizedText(zh: "投诉已受理", en: "Complaint received")
        case .informationRequest: LocalizedText(zh: "请补充信息", en: "Information needed")
        case .proposal: LocalizedText(zh: "处理方案待您确认", en: "Proposal awaits your answer")
        case .resultConfirmation: LocalizedText(zh: "处理结果待您确认", en: "Please confirm the result")
        case .progressUpdate: LocalizedText(zh: "处理进度更新", en: "Progress update")
        default: LocalizedText(zh: "投诉处理通知", en: "About your complaint")
        }
    }

    /// `[#250912099] subject`: the number in the subject lets a reply find the complaint from any mail client.
    static func subject(of complaint: Complaint) -> String {
        String("[#\(complaint.number)] \(complaint.intake.subject)".prefix(200))
    }

    /// A template filled for this complaint; the link is added on a line of its own when the template has no
    /// `{link}` of its own.
    static func render(
        _ purpose: MessageTemplates.Purpose, of complaint: Complaint, progress: String = "",
        extra: [String: String] = [:], in language: Language, _ templates: MessageTemplates, link: String?
    ) -> String {
        var values = [
            "number": complaint.number, "customer": complaint.intake.customer.name,
            "summary": complaint.intake.subject, "progress": progress, "link": link ?? "",
        ]
        values.merge(extra) { _, new in new }
        var text = templates.render(purpose, in: language, values: values)
        let usesLink =
            (templates.templates[purpose] ?? MessageTemplates.standard.templates[purpose])?.text(in: language)
            .contains("{link}") ?? false
        if let link, !usesLink {
            text +=
                "\n\n" + LocalizedText(zh: "查看和答复：\(link)", en: "See and answer it here: \(link)").text(in: language)
        }
        return text
    }

    /// Chinese unless the customer wrote without a single Chinese character.
    static func language(of text: String) -> Language {
        let chinese = text.unicodeScalars.contains(where: TextTerms.isHan)
        return chinese || text.isEmpty ? .zhHans : .en
    }

    private static func proposalText(_ proposal: EventChange.SolutionProposed) -> String {
        var text = proposal.description
        if let amount = proposal.compensation, amount > .zero { text += "（¥\(amount)）" }
        return text
    }

    /// The items the completeness form names by code, in the customer's words; anything else as written.
    private static func missingLabel(_ code: String) -> LocalizedText {
        switch code {
        case "identity": LocalizedText(zh: "身份信息", en: "proof of identity")
        case "contact": LocalizedText(zh: "联系方式", en: "contact details")
        case "reference": LocalizedText(zh: "订单号", en: "order reference")
        case "description": LocalizedText(zh: "问题描述", en: "a description of the problem")
        case "attachments": LocalizedText(zh: "照片或附件", en: "photos or attachments")
        default: LocalizedText(zh: code, en: code)
        }
    }
}

extension String {
    fileprivate var nilIfBlank: String? { isEmpty ? nil : self }
}
