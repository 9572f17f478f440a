/// One problem with one input field; validation reports all of them at once.
public struct FieldIssue: Hashable, Codable, Sendable {
    public var field: String
    public var code: String
    public var message: LocalizedText

    public init(field: String, code: String, message: LocalizedText) {
        self.field = field
        self.code = code
        self.message = message
    }

    public static func required(_ field: String) -> FieldIssue {
        FieldIssue(field: field, code: "required", message: LocalizedText(zh: "必填项", en: "is required"))
    }

    public static func tooLong(_ field: String, max: Int) -> FieldIssue {
        FieldIssue(
            field: field, code: "too_long",
            message: LocalizedText(zh: "不能超过 \(max) 个字符", en: "must be at most \(max) characters"))
    }

    public static func invalid(_ field: String, zh: String, en: String) -> FieldIssue {
        FieldIssue(field: field, code: "invalid", message: LocalizedText(zh: zh, en: en))
    }
}

/// Everything the loop refuses, each with a stable machine-readable code and a message in both languages.
public enum DomainError: Error, Hashable, Sendable {
    /// Input fields failed validation; every failing field is listed.
    case validation([FieldIssue])
    /// The actor's roles do not allow this action on this complaint.
    case notAllowed(action: ActionName)
    /// The action does not apply in the complaint's current state.
    case wrongState(action: ActionName, state: ComplaintState)
    /// The actor is the employee complained about (回避).
    case recused
    /// The named person is recused from this complaint and cannot be given it.
    case assigneeRecused(UserID)
    /// The customer's words name this staff member and no supervisor has confirmed whether they are the person
    /// complained about.
    case assigneeMentionUnconfirmed(UserID)
    /// Something that must happen first has not (e.g. an analysis before a proposal).
    case missingPrerequisite(action: ActionName, prerequisite: String)
    /// The approver's authority does not reach the level the proposal needs.
    case insufficientAuthority(required: Role)
    /// The complaint was closed too long ago to reopen; raise a new one.
    case reopenWindowPassed
    /// There is no pending delay request to decide.
    case noPendingDelay

    /// The stable code clients can branch on.
    public var code: String {
        switch self {
        case .validation: "validation.failed"
        case .notAllowed: "action.not_allowed"
        case .wrongState: "action.wrong_state"
        case .recused: "complaint.recused"
        case .assigneeRecused: "assignment.recused"
        case .assigneeMentionUnconfirmed: "assignment.mention_unconfirmed"
        case .missingPrerequisite: "action.missing_prerequisite"
        case .insufficientAuthority: "approval.insufficient_authority"
        case .reopenWindowPassed: "reopen.window_passed"
        case .noPendingDelay: "delay.none_pending"
        }
    }

    /// A sentence a person can read.
    public func message(in language: Language) -> String {
        let text: LocalizedText
        switch self {
        case .validation(let issues):
            let fields = issues.map(\.field).joined(separator: ", ")
            text = LocalizedText(zh: "输入有误：\(fields)", en: "Some fields are not valid: \(fields)")
        case .notAllowed(let action):
            text = LocalizedText(
                zh: "您的角色无权执行「\(action.label.zhHans)」", en: "Your roles do not allow \"\(action.label.en)\"")
        case .wrongState(let action, let state):
            text = LocalizedText(
                zh: "投诉当前状态为「\(state.label.zhHans)」，不能执行「\(action.label.zhHans)」",
                en: "\"\(action.label.en)\" is not possible while the complaint is \(state.label.en)")
        case .recused:
            text = LocalizedText(
                zh: "您是被投诉人，按回避规定不能处理或查看此投诉的内部信息",
                en: "You are the person complained about, so you must recuse yourself from this complaint")
        case .assigneeRecused(let user):
            text = LocalizedText(
                zh: "\(user) 是被投诉人，不能承办此投诉", en: "\(user) is the person complained about and cannot be assigned")
        case .assigneeMentionUnconfirmed(let user):
            text = LocalizedText(
                zh: "客户的描述提到了 \(user)，请主管先确认其是否为被投诉人，再分派",
                en:
                    "The customer's words mention \(user); a supervisor confirms whether they are the person complained "
                    + "about before they can be assigned")
        case .missingPrerequisite(let action, let prerequisite):
            text = LocalizedText(
                zh: "执行「\(action.label.zhHans)」前需要先完成：\(prerequisite)",
                en: "\"\(action.label.en)\" needs this first: \(prerequisite)")
        case .insufficientAuthority(let role):
            text = LocalizedText(
                zh: "该方案金额超出您的核决权限，需要 \(role.label.zhHans) 审批",
                en: "The amount is beyond your authority; it needs approval by a \(role.label.en)")
        case .reopenWindowPassed:
            text = LocalizedText(
                zh: "已超过可重开期限，请新建投诉", en: "The reopen window has passed; raise a new complaint")
        case .noPendingDelay:
            text = LocalizedText(zh: "没有待审批的延期申请", en: "There is no pending delay request")
        }
        return text.text(in: language)
    }
}
