extension ActionName {
    /// The states in which the action applies; everything else is `DomainError.wrongState`.
    public var states: Set<ComplaintState> {
        switch self {
        case .checkCompleteness, .decideValidity: [.received]
        case .provideInformation: [.awaitingInformation]
        case .answerRequest: [.received, .validated, .investigating]
        case .assign: [.validated]
        case .reassign, .reclassify:
            [.investigating, .awaitingApproval, .proposed, .executing, .verifying, .returnVisit, .awaitingCountersign]
        case .recordContact, .linkIncident, .merge, .confirmMention, .recordCustomerUpdate, .setUpdatePreference:
            Set(ComplaintState.allCases.filter(\.isOpen))
        case .submitAnalysis, .proposeSolution: [.investigating]
        case .decideApproval: [.awaitingApproval]
        case .respondToProposal: [.proposed]
        case .recordProgress, .returnResult: [.executing]
        case .verify: [.verifying]
        case .recordReturnVisit: [.returnVisit]
        case .close: [.awaitingCountersign]
        case .reopen, .writeCase, .archive: [.closed]
        case .requestDelay, .decideDelay:
            Set(ComplaintState.allCases.filter { $0.isOpen && $0 != .awaitingInformation })
        case .addNote, .receiveMessage: Set(ComplaintState.allCases.filter { $0 != .archived })
        }
    }

    /// Whether the action applies to a complaint in `state`.
    public func isAvailable(in state: ComplaintState) -> Bool { states.contains(state) }
}
