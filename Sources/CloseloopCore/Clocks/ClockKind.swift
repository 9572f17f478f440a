/// The clocks of SPEC §5 that run on a complaint.
public enum ClockKind: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    /// 信息完整性校验: identity, contact, order reference and description confirmed.
    case completeness
    /// Processing starts (classified and assigned), per priority.
    case firstResponse = "first_response"
    /// The customer is first reached, per severity.
    case firstContact = "first_contact"
    /// The next progress update to the customer, per priority's cadence; restarts at every contact.
    case customerUpdate = "customer_update"
    /// An approver decides a proposal beyond the proposer's authority (same day).
    case approval
    /// The department returns its result to the owner once the work is finished.
    case departmentResult = "department_result"
    /// The customer's problem is solved, per priority.
    case resolution
    /// The owner verifies the result with the customer.
    case verification
    /// The owner's return visit after a satisfied verification.
    case returnVisit = "return_visit"
    /// An inquiry, help request, suggestion or venting is answered.
    case requestAnswer = "request_answer"

    public var label: LocalizedText {
        switch self {
        case .completeness: LocalizedText(zh: "完整性校验", en: "completeness check")
        case .firstResponse: LocalizedText(zh: "首次响应", en: "first response")
        case .firstContact: LocalizedText(zh: "首次联系客户", en: "first contact")
        case .customerUpdate: LocalizedText(zh: "进度通报", en: "customer update")
        case .approval: LocalizedText(zh: "方案审批", en: "approval")
        case .departmentResult: LocalizedText(zh: "部门反馈结果", en: "department result")
        case .resolution: LocalizedText(zh: "解决时限", en: "resolution")
        case .verification: LocalizedText(zh: "结果验证", en: "verification")
        case .returnVisit: LocalizedText(zh: "回访", en: "return visit")
        case .requestAnswer: LocalizedText(zh: "需求答复", en: "request answer")
        }
    }
}
