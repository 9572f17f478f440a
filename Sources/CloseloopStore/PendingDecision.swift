import CloseloopCore

/// Whose decision a complaint waits on, mirrored into a column so the approvals queue is one indexed read.
public enum PendingDecision: String, Sendable, CaseIterable {
    /// A proposal beyond its proposer's authority.
    case approval
    /// A delay request.
    case delay

    static func of(_ complaint: Complaint) -> PendingDecision? {
        if complaint.state == .awaitingApproval { return .approval }
        if complaint.pendingDelay != nil { return .delay }
        return nil
    }
}
