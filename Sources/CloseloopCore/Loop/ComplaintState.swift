/// Where a complaint stands in the loop of SPEC §4.
public enum ComplaintState: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    /// Just recorded; completeness and validity not yet judged.
    case received
    /// Missing items were requested from the customer; clocks pause until they arrive.
    case awaitingInformation = "awaiting_information"
    /// Judged valid; waiting for the supervisor to classify and assign.
    case validated
    /// Assigned; the department investigates and writes its analysis.
    case investigating
    /// A proposal beyond the proposer's authority waits for an approver.
    case awaitingApproval = "awaiting_approval"
    /// The settled proposal has been told to the customer, who accepts or rejects it.
    case proposed
    /// The customer agreed; the department carries out the solution.
    case executing
    /// The department returned its result; the owner checks with the customer.
    case verifying
    /// The customer is satisfied; the owner's return visit is due.
    case returnVisit = "return_visit"
    /// The return visit is recorded; the customer-service manager countersigns the close.
    case awaitingCountersign = "awaiting_countersign"
    /// Closed: resolved, invalid or answered.
    case closed
    /// Archived after close; read-only for good.
    case archived

    /// Whether the complaint still needs work (its clocks may run).
    public var isOpen: Bool { self != .closed && self != .archived }

    public var label: LocalizedText {
        switch self {
        case .received: LocalizedText(zh: "已受理", en: "received")
        case .awaitingInformation: LocalizedText(zh: "待补充资料", en: "awaiting information")
        case .validated: LocalizedText(zh: "待分派", en: "awaiting assignment")
        case .investigating: LocalizedText(zh: "调查处理中", en: "investigating")
        case .awaitingApproval: LocalizedText(zh: "待审批", en: "awaiting approval")
        case .proposed: LocalizedText(zh: "方案待客户确认", en: "proposal with the customer")
        case .executing: LocalizedText(zh: "方案执行中", en: "executing")
        case .verifying: LocalizedText(zh: "待验证", en: "verifying")
        case .returnVisit: LocalizedText(zh: "待回访", en: "awaiting return visit")
        case .awaitingCountersign: LocalizedText(zh: "待会签结案", en: "awaiting countersignature")
        case .closed: LocalizedText(zh: "已结案", en: "closed")
        case .archived: LocalizedText(zh: "已归档", en: "archived")
        }
    }
}
