import Foundation

/// Everything a person can do to a complaint after intake, with what they supply.
public enum ComplaintAction: Hashable, Sendable {
    case checkCompleteness(complete: Bool, missing: [String], note: String)
    case provideInformation(note: String, attachments: [AttachmentReference])
    case decideValidity(valid: Bool, reason: String)
    case answerRequest(answer: String)
    case assign(Assignment)
    case reassign(department: DepartmentID?, owner: UserID?, handler: UserID?, reason: String)
    case reclassify(category: String?, subcategory: String?, priority: Priority?, severity: Severity?, reason: String)
    case recordContact(outcome: ContactOutcome, note: String)
    case submitAnalysis(EventChange.AnalysisSubmitted)
    case proposeSolution(types: [SolutionType], description: String, compensation: Money?)
    case decideApproval(approved: Bool, comment: String)
    case respondToProposal(accepted: Bool, comment: String)
    case recordProgress(note: String, workFinished: Bool, evidence: [AttachmentReference])
    case returnResult(summary: String, attachments: [AttachmentReference])
    case verify(solved: Bool, satisfied: Bool, score: Int?, note: String)
    case recordReturnVisit(notes: String)
    case close(note: String)
    case reopen(reason: String)
    case requestDelay(reason: String, until: Date)
    case decideDelay(approved: Bool, comment: String)
    case addNote(text: String, isInternal: Bool)
    case linkIncident(incident: String)
    /// Closes this complaint as the same customer's duplicate of complaint `into` (并单); `ComplaintService` writes
    /// both complaints at once (`Workflow.merge`).
    case merge(into: String, reason: String)
    case confirmMention(user: UserID, concerned: Bool, note: String)
    case writeCase(EventChange.CaseWritten)
    case archive(note: String)
    /// A message the customer sent on their own channel (a reply to our mail, a chat message), kept in the history.
    case receiveMessage(EventChange.MessageReceived)
    /// A message to the customer was delivered on their channel (the outbox says so), which keeps them updated.
    case recordCustomerUpdate(EventChange.CustomerUpdated)
    /// The customer no longer wants progress updates (or wants them again); what needs their answer still reaches them.
    case setUpdatePreference(optOut: Bool)

    /// What the supervisor decides at classification.
    public struct Assignment: Hashable, Sendable {
        public var category: String
        public var subcategory: String?
        public var kind: ComplaintKind?
        public var priority: Priority
        public var severity: Severity
        public var department: DepartmentID
        public var owner: UserID
        public var handler: UserID?
        /// When the assigner wants the handler done: in the future and no later than the resolution deadline
        /// (`ClockSchedule.handlerDueProblems`).
        public var handlerDue: Date?

        public init(
            category: String, subcategory: String? = nil, kind: ComplaintKind? = nil, priority: Priority,
            severity: Severity, department: DepartmentID, owner: UserID, handler: UserID? = nil, handlerDue: Date? = nil
        ) {
            self.category = category
            self.subcategory = subcategory
            self.kind = kind
            self.priority = priority
            self.severity = severity
            self.department = department
            self.owner = owner
            self.handler = handler
            self.handlerDue = handlerDue
        }
    }

    /// The action's stable name, used for permissions, API paths and labels.
    public var name: ActionName {
        switch self {
        case .checkCompleteness: .checkCompleteness
        case .provideInformation: .provideInformation
        case .decideValidity: .decideValidity
        case .answerRequest: .answerRequest
        case .assign: .assign
        case .reassign: .reassign
        case .reclassify: .reclassify
        case .recordContact: .recordContact
        case .submitAnalysis: .submitAnalysis
        case .proposeSolution: .proposeSolution
        case .decideApproval: .decideApproval
        case .respondToProposal: .respondToProposal
        case .recordProgress: .recordProgress
        case .returnResult: .returnResult
        case .verify: .verify
        case .recordReturnVisit: .recordReturnVisit
        case .close: .close
        case .reopen: .reopen
        case .requestDelay: .requestDelay
        case .decideDelay: .decideDelay
        case .addNote: .addNote
        case .linkIncident: .linkIncident
        case .merge: .merge
        case .confirmMention: .confirmMention
        case .writeCase: .writeCase
        case .archive: .archive
        case .receiveMessage: .receiveMessage
        case .recordCustomerUpdate: .recordCustomerUpdate
        case .setUpdatePreference: .setUpdatePreference
        }
    }
}

/// The name of each action of the loop.
public enum ActionName: String, CaseIterable, Codable, Sendable {
    case checkCompleteness = "check_completeness"
    case provideInformation = "provide_information"
    case decideValidity = "decide_validity"
    case answerRequest = "answer_request"
    case assign, reassign, reclassify
    case recordContact = "record_contact"
    case submitAnalysis = "submit_analysis"
    case proposeSolution = "propose_solution"
    case decideApproval = "decide_approval"
    case respondToProposal = "respond_to_proposal"
    case recordProgress = "record_progress"
    case returnResult = "return_result"
    case verify
    case recordReturnVisit = "record_return_visit"
    case close, reopen
    case requestDelay = "request_delay"
    case decideDelay = "decide_delay"
    case addNote = "add_note"
    case linkIncident = "link_incident"
    case merge
    case confirmMention = "confirm_mention"
    case writeCase = "write_case"
    case archive
    case receiveMessage = "receive_message"
    case recordCustomerUpdate = "record_customer_update"
    case setUpdatePreference = "set_update_preference"

    /// The action's name, as a button, a heading or a quoted name shows it (capitalised in English).
    public var label: LocalizedText {
        switch self {
        case .checkCompleteness: LocalizedText(zh: "完整性校验", en: "Check completeness")
        case .provideInformation: LocalizedText(zh: "补充资料", en: "Provide information")
        case .decideValidity: LocalizedText(zh: "有效性判定", en: "Decide validity")
        case .answerRequest: LocalizedText(zh: "答复需求", en: "Answer request")
        case .assign: LocalizedText(zh: "分类分派", en: "Classify and assign")
        case .reassign: LocalizedText(zh: "改派", en: "Reassign")
        case .reclassify: LocalizedText(zh: "重新分类", en: "Reclassify")
        case .recordContact: LocalizedText(zh: "记录联系客户", en: "Record customer contact")
        case .submitAnalysis: LocalizedText(zh: "提交分析报告", en: "Submit analysis")
        case .proposeSolution: LocalizedText(zh: "提出处理方案", en: "Propose solution")
        case .decideApproval: LocalizedText(zh: "审批方案", en: "Decide approval")
        case .respondToProposal: LocalizedText(zh: "客户答复方案", en: "Record customer's answer")
        case .recordProgress: LocalizedText(zh: "记录执行进度", en: "Record progress")
        case .returnResult: LocalizedText(zh: "反馈处理结果", en: "Return result")
        case .verify: LocalizedText(zh: "结果验证", en: "Verify")
        case .recordReturnVisit: LocalizedText(zh: "记录回访", en: "Record return visit")
        case .close: LocalizedText(zh: "会签结案", en: "Close")
        case .reopen: LocalizedText(zh: "重开", en: "Reopen")
        case .requestDelay: LocalizedText(zh: "延期申请", en: "Request delay")
        case .decideDelay: LocalizedText(zh: "审批延期", en: "Decide delay")
        case .addNote: LocalizedText(zh: "添加备注", en: "Add note")
        case .linkIncident: LocalizedText(zh: "关联群诉事件", en: "Link incident")
        case .merge: LocalizedText(zh: "并单", en: "Merge into another complaint")
        case .confirmMention: LocalizedText(zh: "确认被提及员工", en: "Confirm mentioned staff")
        case .writeCase: LocalizedText(zh: "编写案例", en: "Write case")
        case .archive: LocalizedText(zh: "归档", en: "Archive")
        case .receiveMessage: LocalizedText(zh: "客户来信", en: "Customer message")
        case .recordCustomerUpdate: LocalizedText(zh: "已通知客户", en: "Customer updated")
        case .setUpdatePreference: LocalizedText(zh: "进度通知偏好", en: "Progress update preference")
        }
    }
}
