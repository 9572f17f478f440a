import Foundation
import Testing

@testable import CloseloopCore

@Suite("Which actions apply in which state")
struct ActionStateTableTests {
    typealias F = LoopFixtures

    /// An assigned inquiry (so `answer_request` fits its kind) with an analysis, a proposal awaiting approval and,
    /// unless a delay is to be requested, a pending delay, forced into `state`: every prerequisite of `action` is
    /// met, so only the state can refuse it.
    static func complaint(in state: ComplaintState, for action: ActionName) throws -> (ComplaintStory, Complaint) {
        var story = try ComplaintStory.reaching(.awaitingApproval, intake: F.intake(kind: .inquiry))
        var complaint = story.complaint
        complaint.state = state
        if action != .requestDelay {
            complaint.pendingDelay = EventChange.DelayRequested(
                reason: "客户出差",
                until: F.instant("2026-05-01T09:00:00+08:00")
            )
        }
        // Returning a result needs the work recorded as finished first.
        if action == .returnResult { complaint.workFinishedAt = story.complaint.updatedAt }
        // Confirming a mention needs a staff member the customer's words named.
        if action == .confirmMention { complaint.staffMentions = [StaffMention(user: F.handler.id, concerned: nil)] }
        story.complaint = complaint
        return (story, complaint)
    }

    /// Someone allowed the action: staff allowed everything, or the customer for the message only they send.
    static func actor(for action: ActionName) -> Actor {
        switch action {
        case .receiveMessage, .setUpdatePreference: .customer
        case .recordCustomerUpdate: .system
        default: .staff(F.everything)
        }
    }

    @Test(
        "An action is refused with action.wrong_state exactly when the state is not one of its states",
        arguments: ActionName.allCases,
        ComplaintState.allCases
    )
    func wrongStateExactlyOutsideItsStates(action: ActionName, state: ComplaintState) throws {
        let (story, complaint) = try Self.complaint(in: state, for: action)
        let now = story.nextInstant
        let error = F.error { () throws(DomainError) in
            try story.workflow.apply(F.sample(action, now: now), to: complaint, by: Self.actor(for: action), at: now)
        }
        if action.states.contains(state) {
            #expect(error?.code != "action.wrong_state", "\(String(describing: error))")
        } else {
            #expect(error == .wrongState(action: action, state: state))
        }
    }

    @Test(
        "Where it applies and its prerequisites are met, every action succeeds for someone allowed everything",
        arguments: ActionName.allCases
    )
    func succeedsInItsStates(action: ActionName) throws {
        for state in ComplaintState.allCases where action.states.contains(state) {
            let (story, complaint) = try Self.complaint(in: state, for: action)
            let now = story.nextInstant
            let error = F.error { () throws(DomainError) in
                try story.workflow.apply(
                    F.sample(action, now: now), to: complaint, by: Self.actor(for: action), at: now)
            }
            #expect(error == nil, "\(action.rawValue) in \(state.rawValue): \(String(describing: error))")
        }
    }

    @Test(
        "The state table matches SPEC §4",
        arguments: [
            (ActionName.checkCompleteness, [ComplaintState.received]),
            (.provideInformation, [.awaitingInformation]),
            (.decideValidity, [.received]),
            (.answerRequest, [.received, .validated, .investigating]),
            (.assign, [.validated]),
            (.submitAnalysis, [.investigating]),
            (.proposeSolution, [.investigating]),
            (.decideApproval, [.awaitingApproval]),
            (.respondToProposal, [.proposed]),
            (.recordProgress, [.executing]),
            (.returnResult, [.executing]),
            (.verify, [.verifying]),
            (.recordReturnVisit, [.returnVisit]),
            (.close, [.awaitingCountersign]),
            (.reopen, [.closed]),
            (.writeCase, [.closed]),
            (.archive, [.closed]),
        ]
    )
    func stateTable(action: ActionName, states: [ComplaintState]) {
        #expect(action.states == Set(states))
    }

    @Test(
        "Contact, incidents, delays and notes follow the complaint while it is open",
        arguments: ComplaintState.allCases
    )
    func openStateActions(state: ComplaintState) {
        #expect(ActionName.recordContact.isAvailable(in: state) == state.isOpen)
        #expect(ActionName.linkIncident.isAvailable(in: state) == state.isOpen)
        #expect(ActionName.merge.isAvailable(in: state) == state.isOpen)
        #expect(ActionName.confirmMention.isAvailable(in: state) == state.isOpen)
        #expect(ActionName.requestDelay.isAvailable(in: state) == (state.isOpen && state != .awaitingInformation))
        #expect(ActionName.decideDelay.isAvailable(in: state) == (state.isOpen && state != .awaitingInformation))
        #expect(ActionName.addNote.isAvailable(in: state) == (state != .archived))
        let reassignable: Set<ComplaintState> = [
            .investigating, .awaitingApproval, .proposed, .executing, .verifying, .returnVisit, .awaitingCountersign,
        ]
        #expect(ActionName.reassign.isAvailable(in: state) == reassignable.contains(state))
        #expect(ActionName.reclassify.isAvailable(in: state) == reassignable.contains(state))
    }

    @Test("Only closed and archived complaints are not open", arguments: ComplaintState.allCases)
    func openness(state: ComplaintState) {
        #expect(state.isOpen == ![.closed, .archived].contains(state))
    }
}
