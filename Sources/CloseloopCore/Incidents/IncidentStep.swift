import Foundation

/// What an incident does once for all its complaints, each step through every complaint's own loop: accept them
/// (completeness, validity, classification and assignment), propose the one solution (analysis and proposal, with
/// approval where the amount needs it), and return the one result (the work finished, the result told).
public enum IncidentStep: String, CaseIterable, Codable, Sendable {
    case accept, propose, result

    public var label: LocalizedText {
        switch self {
        case .accept: LocalizedText(zh: "统一受理并分派", en: "accept and assign all")
        case .propose: LocalizedText(zh: "统一提出处理方案", en: "propose the solution to all")
        case .result: LocalizedText(zh: "统一反馈处理结果", en: "return the result to all")
        }
    }

    /// Whether the step has something to do on `complaint` in its present state.
    public func applies(to complaint: Complaint) -> Bool {
        switch self {
        case .accept: [.received, .validated].contains(complaint.state)
        case .propose: complaint.state == .investigating
        case .result: complaint.state == .executing
        }
    }
}

extension Incident {
    /// What the incident must say before `step` can run.
    public func problems(for step: IncidentStep) -> [FieldIssue] {
        var issues = FieldChecks()
        switch step {
        case .accept:
            if (category ?? "").isBlank { issues.require("", "category") }
            if department == nil { issues.require("", "department") }
            if owner == nil { issues.require("", "owner") }
        case .propose:
            if analysis == nil { issues.require("", "findings") }
            if solution == nil { issues.require("", "message") }
        case .result:
            if (result ?? "").isBlank { issues.require("", "result") }
        }
        return issues.issues
    }

    /// The actions `step` takes on `complaint` now, in order; empty when the complaint is not where the step applies
    /// (not yet there, already past it, or waiting for the customer).
    public func actions(for step: IncidentStep, on complaint: Complaint) -> [ComplaintAction] {
        let note = "群诉事件 \(number)：\(title)"
        switch step {
        case .accept:
            guard let category, let department, let owner else { return [] }
            let assign = ComplaintAction.assign(
                .init(
                    category: category, subcategory: subcategory, priority: complaint.priority,
                    severity: max(complaint.severity, severity), department: department, owner: owner,
                    handler: handler))
            switch complaint.state {
            case .received:
                var actions: [ComplaintAction] = []
                if !complaint.completenessConfirmed {
                    actions.append(.checkCompleteness(complete: true, missing: [], note: note))
                }
                return actions + [.decideValidity(valid: true, reason: note), assign]
            case .validated:
                return [assign]
            default:
                return []
            }
        case .propose:
            guard complaint.state == .investigating, let analysis, let solution else { return [] }
            let proposal = ComplaintAction.proposeSolution(
                types: solution.types, description: CustomerMessage.render(solution.message, for: complaint),
                compensation: solution.compensation)
            return complaint.analysis == nil ? [.submitAnalysis(analysis), proposal] : [proposal]
        case .result:
            guard complaint.state == .executing, let result else { return [] }
            let finish = ComplaintAction.recordProgress(note: note, workFinished: true, evidence: [])
            let told = ComplaintAction.returnResult(
                summary: CustomerMessage.render(result, for: complaint), attachments: [])
            return complaint.workFinishedAt == nil ? [finish, told] : [told]
        }
    }
}

/// A message written once for many customers, made each customer's own: `{customer}` (or `{客户}`) becomes their
/// name and `{number}` (or `{单号}`) their complaint's number.
public enum CustomerMessage {
    public static let placeholders = ["{customer}", "{客户}", "{number}", "{单号}"]

    public static func render(_ text: String, for complaint: Complaint) -> String {
        let name = complaint.intake.customer.name
        return
            text
            .replacingOccurrences(of: "{customer}", with: name)
            .replacingOccurrences(of: "{客户}", with: name)
            .replacingOccurrences(of: "{number}", with: complaint.number)
            .replacingOccurrences(of: "{单号}", with: complaint.number)
    }
}
