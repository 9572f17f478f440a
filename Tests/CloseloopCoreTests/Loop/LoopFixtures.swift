import Foundation

@testable import CloseloopCore

/// The people, intake and instants shared by the loop suites, so every case reads as the SPEC's own words.
enum LoopFixtures {
    // MARK: Departments and staff (SPEC §1)

    static let callCentre = DepartmentID("call-centre")
    static let afterSales = DepartmentID("after-sales")
    static let logistics = DepartmentID("logistics")

    /// 接待员: intake agent, and the owner of the standard assignment.
    static let agent = StaffMember(
        id: UserID("li.na"),
        displayName: "李娜",
        department: callCentre,
        grants: [RoleGrant(.agent)]
    )
    /// A second agent, for reassignment.
    static let otherAgent = StaffMember(
        id: UserID("zhou.min"),
        displayName: "周敏",
        department: callCentre,
        grants: [RoleGrant(.agent)]
    )
    /// 客服主管.
    static let supervisor = StaffMember(
        id: UserID("wang.qiang"),
        displayName: "王强",
        department: callCentre,
        grants: [RoleGrant(.supervisor)]
    )
    /// 责任部门专员 of after-sales, the handler of the standard assignment.
    static let handler = StaffMember(
        id: UserID("zhao.lei"),
        displayName: "赵磊",
        department: afterSales,
        grants: [RoleGrant(.handler, in: afterSales)]
    )
    /// A handler of another department.
    static let logisticsHandler = StaffMember(
        id: UserID("sun.hao"),
        displayName: "孙浩",
        department: logistics,
        grants: [RoleGrant(.handler, in: logistics)]
    )
    /// 部门经理 of after-sales.
    static let departmentManager = StaffMember(
        id: UserID("qian.jun"),
        displayName: "钱军",
        department: afterSales,
        grants: [RoleGrant(.departmentManager, in: afterSales)]
    )
    /// 部门经理 of another department.
    static let logisticsManager = StaffMember(
        id: UserID("wu.fang"),
        displayName: "吴芳",
        department: logistics,
        grants: [RoleGrant(.departmentManager, in: logistics)]
    )
    /// 营销副总.
    static let vicePresident = StaffMember(
        id: UserID("zheng.hua"),
        displayName: "郑华",
        grants: [RoleGrant(.vicePresident)]
    )
    /// 总经理.
    static let generalManager = StaffMember(
        id: UserID("chen.gang"),
        displayName: "陈刚",
        grants: [RoleGrant(.generalManager)]
    )
    /// 客服总监办公室.
    static let quality = StaffMember(id: UserID("he.li"), displayName: "何丽", grants: [RoleGrant(.quality)])
    /// 管理员.
    static let administrator = StaffMember(
        id: UserID("admin"),
        displayName: "管理员",
        grants: [RoleGrant(.administrator)]
    )
    /// Someone holding every role across the company: allowed everything a role can allow.
    static let everything = StaffMember(
        id: UserID("root"),
        displayName: "全权",
        grants: Role.allCases.map { RoleGrant($0) }
    )
    /// The employee the customer complains about, who also holds every role: recusal must still stop them.
    static let accused = StaffMember(
        id: UserID("ma.tao"),
        displayName: "马涛",
        department: afterSales,
        grants: Role.allCases.map { RoleGrant($0) }
    )

    // MARK: Instants

    /// An instant from an ISO 8601 string with its offset, e.g. "2026-04-13T09:00:00+08:00".
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("Bad instant in a test: \(text)") }
        return date
    }

    /// Monday 2026-04-13 09:00 in Beijing, an ordinary working morning.
    static let mondayMorning = "2026-04-13T09:00:00+08:00"

    // MARK: Intake (SPEC §2)

    /// A phone complaint about a late, damaged sofa delivery, with contact details that pass validation.
    static func intake(
        kind: ComplaintKind = .complaint,
        priority: Priority = .p2,
        severity: Severity = .dissatisfied,
        complainedAbout: UserID? = nil
    ) -> Intake {
        Intake(
            channel: .phone,
            kind: kind,
            customer: CustomerDetails(name: "张伟", phone: "138 1234 5678", email: "zhang.wei@example.cn"),
            reference: "SO-2026-04-0088",
            product: "三人座布艺沙发",
            subject: "沙发送货延误且有破损",
            description: "约定 4 月 1 日送货，实际 4 月 3 日才送到，扶手有明显划痕。",
            complainedAboutUser: complainedAbout,
            remedies: [.repair, .compensation],
            priority: priority,
            severity: severity
        )
    }

    /// What the supervisor decides for the standard complaint: after-sales, owner 李娜, handler 赵磊.
    static func assignment(
        priority: Priority = .p2,
        severity: Severity = .dissatisfied,
        department: DepartmentID = afterSales,
        owner: UserID = agent.id,
        handler: UserID? = handler.id
    ) -> ComplaintAction.Assignment {
        ComplaintAction.Assignment(
            category: "delivery",
            subcategory: "damage",
            priority: priority,
            severity: severity,
            department: department,
            owner: owner,
            handler: handler
        )
    }

    static let analysis = EventChange.AnalysisSubmitted(
        problemType: "运输破损",
        rootCause: .logistics,
        technical: false,
        findings: "承运商装卸不当，扶手刮伤。",
        suggestedSolution: "上门修复扶手并补偿"
    )

    static let caseWriteUp = EventChange.CaseWritten(
        cause: "承运商装卸不当",
        handling: "上门修复并补偿 ¥150",
        lesson: "大件家具须加护角",
        prevention: "与承运商签订破损赔付条款"
    )

    // MARK: Actions

    /// A well-formed example of each action, as a form would submit it at some instant before `now + 2 days`.
    static func sample(_ name: ActionName, now: Date) -> ComplaintAction {
        switch name {
        case .checkCompleteness: .checkCompleteness(complete: true, missing: [], note: "身份、联系方式、订单号已核实")
        case .provideInformation: .provideInformation(note: "补充订单号 SO-2026-04-0088", attachments: [])
        case .decideValidity: .decideValidity(valid: true, reason: "送货延误属实")
        case .answerRequest: .answerRequest(answer: "门店营业时间为 9:00–18:00")
        case .assign: .assign(assignment())
        case .reassign: .reassign(department: nil, owner: otherAgent.id, handler: nil, reason: "原负责人休假")
        case .reclassify:
            .reclassify(category: nil, subcategory: nil, priority: .p1, severity: nil, reason: "客户再次来电")
        case .recordContact: .recordContact(outcome: .reached, note: "已电话联系客户")
        case .submitAnalysis: .submitAnalysis(analysis)
        case .proposeSolution: .proposeSolution(types: [.apology, .repair], description: "上门修复并致歉", compensation: nil)
        case .decideApproval: .decideApproval(approved: true, comment: "同意")
        case .respondToProposal: .respondToProposal(accepted: true, comment: "")
        case .recordProgress: .recordProgress(note: "扶手已修复", workFinished: true, evidence: [])
        case .returnResult: .returnResult(summary: "修复完成，客户现场确认", attachments: [])
        case .verify: .verify(solved: true, satisfied: true, score: 5, note: "客户满意")
        case .recordReturnVisit: .recordReturnVisit(notes: "回访：沙发使用正常")
        case .close: .close(note: "同意结案")
        case .reopen: .reopen(reason: "扶手再次开裂")
        case .requestDelay: .requestDelay(reason: "客户出差，无法联系", until: now.addingTimeInterval(2 * 86_400))
        case .decideDelay: .decideDelay(approved: true, comment: "同意延期")
        case .addNote: .addNote(text: "客户情绪激动，注意沟通方式", isInternal: true)
        case .linkIncident: .linkIncident(incident: "INC-2026-04-01")
        case .merge: .merge(into: "260413002", reason: "客户就同一破损再次来电")
        case .confirmMention: .confirmMention(user: handler.id, concerned: false, note: "客户说的是另一位王师傅")
        case .writeCase: .writeCase(caseWriteUp)
        case .archive: .archive(note: "归档")
        case .setUpdatePreference: .setUpdatePreference(optOut: true)
        case .recordCustomerUpdate:
            .recordCustomerUpdate(.init(topic: "customer.progress_update", channel: "sms", messageID: "m-1"))
        case .receiveMessage:
            .receiveMessage(
                .init(channel: .email, subject: "Re: 沙发扶手", text: "补充照片见附件", externalID: "<m1@example.com>"))
        }
    }

    /// The domain error `body` throws, or nil when it succeeds.
    static func error<T>(_ body: () throws(DomainError) -> T) -> DomainError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }
}

/// A complaint and its history, driven through `Workflow(policy:)` one action at a time and folded with
/// `Complaint.apply`, as the server would.
struct ComplaintStory {
    typealias F = LoopFixtures

    var workflow: Workflow
    var complaint: Complaint
    var history: [ComplaintEvent]

    /// Receives `intake` at the ISO instant `received`, entered by the standard agent.
    init(
        _ intake: Intake = LoopFixtures.intake(),
        receivedAt received: String = LoopFixtures.mondayMorning,
        mentionedStaff: [UserID] = [],
        policy: ServicePolicy = .standard
    ) throws(DomainError) {
        workflow = Workflow(policy: policy)
        let (complaint, event) = try workflow.receive(
            intake,
            id: ComplaintID("c-1"),
            number: "260413001",
            mentionedStaff: mentionedStaff,
            at: F.instant(received),
            by: .staff(F.agent)
        )
        self.complaint = complaint
        history = [event]
    }

    /// When the next action happens by default: one minute after the last event.
    var nextInstant: Date { complaint.updatedAt.addingTimeInterval(60) }

    /// Performs `action` at the ISO instant `at` (default: a minute after the last event), folds its events in and
    /// returns them.
    @discardableResult
    mutating func perform(
        _ action: ComplaintAction,
        by actor: Actor,
        at instant: String? = nil
    ) throws(DomainError) -> [ComplaintEvent] {
        let events = try workflow.apply(
            action,
            to: complaint,
            by: actor,
            at: instant.map(F.instant) ?? nextInstant
        )
        for event in events { complaint.apply(event) }
        history += events
        return events
    }

    /// The error `action` would fail with now, or nil when it would succeed; the story is unchanged.
    func error(of action: ComplaintAction, by actor: Actor, at instant: String? = nil) -> DomainError? {
        F.error { () throws(DomainError) in
            try workflow.apply(action, to: complaint, by: actor, at: instant.map(F.instant) ?? nextInstant)
        }
    }

    // MARK: The standard path of SPEC §4

    /// A story driven along the standard path until the complaint reaches `state`, with `intake`.
    static func reaching(
        _ state: ComplaintState,
        intake: Intake = LoopFixtures.intake(),
        mentionedStaff: [UserID] = [],
        policy: ServicePolicy = .standard
    ) throws(DomainError) -> ComplaintStory {
        var story = try ComplaintStory(intake, mentionedStaff: mentionedStaff, policy: policy)
        try story.advance(to: state)
        return story
    }

    /// Drives the complaint along the standard path (proposals of ¥1,000 when approval is wanted) until `target`.
    mutating func advance(to target: ComplaintState) throws(DomainError) {
        while complaint.state != target {
            let before = history.count
            try step(toward: target)
            if history.count == before { preconditionFailure("cannot reach \(target) from \(complaint.state)") }
        }
    }

    private mutating func step(toward target: ComplaintState) throws(DomainError) {
        switch complaint.state {
        case .received:
            if target == .awaitingInformation {
                try perform(
                    .checkCompleteness(complete: false, missing: ["订单号"], note: "缺订单号"),
                    by: .staff(F.agent)
                )
            } else if !complaint.completenessConfirmed {
                try perform(F.sample(.checkCompleteness, now: nextInstant), by: .staff(F.agent))
            } else {
                try perform(F.sample(.decideValidity, now: nextInstant), by: .staff(F.agent))
            }
        case .awaitingInformation:
            try perform(F.sample(.provideInformation, now: nextInstant), by: .customer)
        case .validated:
            try perform(.assign(F.assignment()), by: .staff(F.supervisor))
        case .investigating:
            if complaint.analysis == nil {
                try perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
            } else if target == .awaitingApproval {
                try perform(
                    .proposeSolution(
                        types: [.repair, .compensation],
                        description: "修复并补偿",
                        compensation: .yuan(1_000)
                    ),
                    by: .staff(F.handler)
                )
            } else {
                try perform(F.sample(.proposeSolution, now: nextInstant), by: .staff(F.handler))
            }
        case .awaitingApproval:
            try perform(.decideApproval(approved: true, comment: "同意"), by: .staff(F.departmentManager))
        case .proposed:
            try perform(.respondToProposal(accepted: true, comment: ""), by: .customer)
        case .executing:
            if complaint.workFinishedAt == nil {
                try perform(F.sample(.recordProgress, now: nextInstant), by: .staff(F.handler))
            } else {
                try perform(F.sample(.returnResult, now: nextInstant), by: .staff(F.handler))
            }
        case .verifying:
            try perform(F.sample(.verify, now: nextInstant), by: .staff(F.agent))
        case .returnVisit:
            try perform(F.sample(.recordReturnVisit, now: nextInstant), by: .staff(F.agent))
        case .awaitingCountersign:
            try perform(F.sample(.close, now: nextInstant), by: .staff(F.supervisor))
        case .closed:
            try perform(F.sample(.archive, now: nextInstant), by: .staff(F.quality))
        case .archived:
            break
        }
    }
}
