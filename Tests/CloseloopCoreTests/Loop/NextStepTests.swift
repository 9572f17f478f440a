import Foundation
import Testing

@testable import CloseloopCore

/// What the loop expects next in each state of SPEC §4, whose turn it is and the clock that governs it.
@Suite("The next step of the loop")
struct NextStepTests {
    typealias F = LoopFixtures

    static let expected: [(ComplaintState, ActionName, String, ClockKind?)] = [
        (.awaitingInformation, .provideInformation, "customer", nil),
        (.validated, .assign, "supervisor", .firstResponse),
        (.investigating, .submitAnalysis, "handler", .resolution),
        (.awaitingApproval, .decideApproval, "department_manager", .approval),
        (.proposed, .respondToProposal, "customer", .resolution),
        (.executing, .recordProgress, "handler", .resolution),
        (.verifying, .verify, "owner", .verification),
        (.returnVisit, .recordReturnVisit, "owner", .returnVisit),
        (.awaitingCountersign, .close, "supervisor", nil),
    ]

    static func party(_ party: NextStep.Party) -> String {
        switch party {
        case .customer: "customer"
        case .owner: "owner"
        case .handler: "handler"
        case .role(let role): role.rawValue
        }
    }

    @Test("Each open state names the expected action, whose turn it is and its clock", arguments: expected)
    func step(state: ComplaintState, action: ActionName, party: String, clock: ClockKind?) throws {
        let story = try ComplaintStory.reaching(state)
        let step = try #require(story.complaint.nextStep)
        #expect(step.actions.first == action)
        #expect(Self.party(step.party) == party)
        #expect(step.clock == clock)
        // The loop only ever expects what the workflow would offer someone in that state.
        #expect(action.isAvailable(in: state))
    }

    @Test("A fresh complaint waits for the completeness check, then the validity decision")
    func received() throws {
        var story = try ComplaintStory()
        #expect(story.complaint.nextStep?.actions == [.checkCompleteness])
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        #expect(story.complaint.nextStep?.actions == [.decideValidity])
        #expect(story.complaint.nextStep?.party == .role(.agent))
    }

    @Test("After the customer rejects a proposal the next move is another proposal, by the named handler")
    func afterRejection() throws {
        var story = try ComplaintStory.reaching(.proposed)
        try story.perform(.respondToProposal(accepted: false, comment: "补偿太少"), by: .customer)
        let step = try #require(story.complaint.nextStep)
        #expect(story.complaint.state == .investigating)
        #expect(step.actions.first == .proposeSolution)
        #expect(step.party == .handler(F.handler.id, department: F.afterSales))
    }

    @Test("Closed and archived complaints expect nothing")
    func closed() throws {
        #expect(try ComplaintStory.reaching(.closed).complaint.nextStep == nil)
    }
}
