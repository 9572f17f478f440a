import Foundation
import Testing

/// The server-side counterpart of the core's `ComplaintStory.reaching`: a complaint recorded through the API and driven
/// along the standard path by the people whose step it is, until it is in `state`.
extension TestServer {
    /// The states of the standard path, in order.
    static let standardPath = ["received", "validated", "investigating", "proposed", "executing", "verifying"]

    func reaching(
        _ state: String, _ overrides: [String: any Sendable] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        guard let target = Self.standardPath.firstIndex(of: state) else {
            Issue.record("no standard path reaches \(state)", sourceLocation: sourceLocation)
            throw StoryError.unreachable(state)
        }
        var complaint = try await createComplaint(overrides, sourceLocation: sourceLocation)
        let steps: [(String, String, [String: any Sendable])] = [
            ("check-completeness", Staff.agent, ["complete": true]),
            ("decide-validity", Staff.agent, ["valid": true]),
            (
                "assign", Staff.supervisor,
                [
                    "category": "after_sales", "priority": "P2", "severity": "dissatisfied",
                    "department": "after_sales", "owner": Staff.agent, "handler": Staff.handler,
                ]
            ),
            (
                "submit-analysis", Staff.handler,
                ["problemType": "产品质量", "rootCause": "hardware_fault", "findings": "电容老化"]
            ),
            ("propose-solution", Staff.handler, ["types": ["repair"], "description": "免费上门更换电容"]),
            ("respond-to-proposal", Staff.agent, ["accepted": true]),
            ("record-progress", Staff.handler, ["note": "已更换电容", "workFinished": true]),
            ("return-result", Staff.handler, ["summary": "维修完成"]),
        ]
        // Steps to take from "received": two to validated, one to investigating, two to proposed, one to executing,
        // two to verifying.
        let stepsTo = [
            "received": 0, "validated": 2, "investigating": 3, "proposed": 5, "executing": 6, "verifying": 8,
        ]
        for (action, user, fields) in steps.prefix(stepsTo[Self.standardPath[target]]!) {
            complaint = try await perform(action, on: complaint, as: user, fields, sourceLocation: sourceLocation)
        }
        #expect(complaint.state == state, sourceLocation: sourceLocation)
        return complaint
    }

    enum StoryError: Error { case unreachable(String) }
}
