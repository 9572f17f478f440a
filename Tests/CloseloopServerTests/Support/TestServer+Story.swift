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
        _ state: String, _ overrides: [String: any Sendable] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        var complaint = try await createComplaint(overrides, sourceLocation: sourceLocation)
        for step in Self.standardPath where complaint.state != state {
            complaint = try await perform(
                step.action, on: complaint, as: step.user, step.fields, sourceLocation: sourceLocation)
        }
        #expect(complaint.state == state, "the standard path does not reach \(state)", sourceLocation: sourceLocation)
        return complaint
    }
}
