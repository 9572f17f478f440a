import Foundation
import Testing

/// The server-side counterpart of the core's `ComplaintStory.reaching`: a complaint recorded through the API and driven
/// along the standard path by the people whose step it is, until it is in `state`.
extension TestServer {
    /// The standard path: each step's action, who takes it and what they enter.
    static let standardPath: [(action: String, user: String, fields: [String: any Sendable])] = [
        ("check-completeness", Staff.agent, ["complete": true]),
        ("decide-validity", Staff.agent, ["valid": true]),
        (
            "assign", Staff.supervisor,
            [
                "category": "after_sales", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                "owner": Staff.agent, "handler": Staff.handler,
            ]
        ),
        ("submit-analysis", Staff.handler, ["problemType": "产品质量", "rootCause": "hardware_fault", "findings": "电容老化"]),
        ("propose-solution", Staff.handler, ["types": ["repair"], "description": "免费上门更换电容"]),
        ("respond-to-proposal", Staff.agent, ["accepted": true]),
        ("record-progress", Staff.handler, ["note": "已更换电容", "workFinished": true]),
        ("return-result", Staff.handler, ["summary": "维修完成"]),
    ]

    /// A new complaint (the standard fields with `overrides`) taken along the standard path until it is in `state`.
    func reaching(
        _ state: String, _ overrides: [String: any Sendable] = [:], assignment: [String: (any Sendable)?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        let complaint = try await createComplaint(overrides, sourceLocation: sourceLocation)
        return try await advancing(complaint, to: state, assignment: assignment, sourceLocation: sourceLocation)
    }

    /// `complaint` (recorded on any channel) taken along the standard path until it is in `state`. The supervisor
    /// classifies it at the priority and severity it was recorded with; `assignment` changes any field of that step (a
    /// `nil` value leaves the field out, e.g. `["handler": nil]` assigns no handler).
    func advancing(
        _ complaint: ComplaintBody, to state: String, assignment: [String: (any Sendable)?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        var complaint = complaint
        for step in Self.standardPath where complaint.state != state {
            var fields = step.fields
            if step.action == "assign" {
                fields["priority"] = complaint.priority
                fields["severity"] = complaint.severity
                for (name, value) in assignment { fields[name] = value }
            }
            complaint = try await perform(
                step.action, on: complaint, as: step.user, fields, sourceLocation: sourceLocation)
        }
        #expect(complaint.state == state, "the standard path does not reach \(state)", sourceLocation: sourceLocation)
        return complaint
    }
}
