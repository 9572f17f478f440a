import Foundation

/// What the loop of SPEC §4 expects next of a complaint: which action, whose turn it is, and the clock that says by
/// when. The complaint page leads with it, so nobody has to read the history to know what to do.
public struct NextStep: Hashable, Sendable {
    /// Whose turn it is.
    public enum Party: Hashable, Sendable {
        /// The customer answers (their own step, or one staff record for them).
        case customer
        /// The named owner (第一责任人), who talks to the customer.
        case owner(UserID?)
        /// The handler, or while none is named, the responsible department.
        case handler(UserID?, department: DepartmentID?)
        /// Anyone holding the role, e.g. an agent before anyone is assigned, or the approver the amount needs.
        case role(Role)
    }

    /// The actions that move the loop on, the expected one first.
    public var actions: [ActionName]
    public var party: Party
    /// The clock whose deadline governs this step, when one runs for it.
    public var clock: ClockKind?

    public init(actions: [ActionName], party: Party, clock: ClockKind?) {
        self.actions = actions
        self.party = party
        self.clock = clock
    }
}

extension Complaint {
    /// The step the loop waits for, or nil once the complaint is closed or archived.
    public var nextStep: NextStep? {
        let handling = NextStep.Party.handler(handler, department: department)
        switch state {
        case .received:
            if kind.isRequest {
                return NextStep(actions: [.answerRequest], party: .role(.agent), clock: .requestAnswer)
            }
            return completenessConfirmed
                ? NextStep(actions: [.decideValidity], party: .role(.agent), clock: .firstResponse)
                : NextStep(actions: [.checkCompleteness], party: .role(.agent), clock: .completeness)
        case .awaitingInformation:
            // The clocks wait with the customer.
            return NextStep(actions: [.provideInformation], party: .customer, clock: nil)
        case .validated:
            if kind.isRequest {
                return NextStep(actions: [.answerRequest], party: .role(.agent), clock: .requestAnswer)
            }
            // Nobody named in the customer's words may be assigned until a supervisor has said who they are.
            let actions: [ActionName] = unconfirmedMentions.isEmpty ? [.assign] : [.confirmMention, .assign]
            return NextStep(actions: actions, party: .role(.supervisor), clock: .firstResponse)
        case .investigating:
            // A rejected proposal keeps its analysis: the next move is another proposal.
            let actions: [ActionName] =
                analysis == nil ? [.submitAnalysis, .proposeSolution] : [.proposeSolution, .submitAnalysis]
            return NextStep(actions: actions, party: handling, clock: .resolution)
        case .awaitingApproval:
            return NextStep(
                actions: [.decideApproval], party: .role(proposal?.requiredApprover ?? .departmentManager),
                clock: .approval)
        case .proposed:
            return NextStep(actions: [.respondToProposal], party: .customer, clock: .resolution)
        case .executing:
            return workFinishedAt == nil
                ? NextStep(actions: [.recordProgress], party: handling, clock: .resolution)
                : NextStep(actions: [.returnResult], party: handling, clock: .departmentResult)
        case .verifying:
            return NextStep(actions: [.verify], party: .owner(owner), clock: .verification)
        case .returnVisit:
            return NextStep(actions: [.recordReturnVisit], party: .owner(owner), clock: .returnVisit)
        case .awaitingCountersign:
            return NextStep(actions: [.close], party: .role(.supervisor), clock: nil)
        case .closed, .archived:
            return nil
        }
    }
}
