import Foundation
import Testing

@testable import CloseloopCore

@Suite("Recusal (回避): the employee complained about stays out of the complaint")
struct RecusalTests {
    typealias F = LoopFixtures

    /// The standard complaint naming 马涛, who holds every role, as the person complained about.
    static func story(reaching state: ComplaintState) throws -> ComplaintStory {
        try ComplaintStory.reaching(state, intake: F.intake(complainedAbout: F.accused.id))
    }

    @Test("Every action by the person complained about fails with complaint.recused", arguments: ActionName.allCases)
    func everyActionRecused(action: ActionName) throws {
        let firstState = try #require(ComplaintState.allCases.first { action.states.contains($0) })
        let story = try Self.story(reaching: firstState)
        let error = story.error(of: F.sample(action, now: story.nextInstant), by: .staff(F.accused))
        #expect(error == .recused)
        #expect(error?.code == "complaint.recused")
    }

    @Test("Recusal is checked before the state: even an action that does not apply now says recused")
    func recusedBeforeState() throws {
        let story = try Self.story(reaching: .investigating)
        #expect(story.error(of: F.sample(.archive, now: story.nextInstant), by: .staff(F.accused)) == .recused)
    }

    @Test(
        "Nothing is offered to the person complained about",
        arguments: [
            ComplaintState.received, .validated, .investigating, .executing, .closed,
        ]
    )
    func nothingOffered(state: ComplaintState) throws {
        let story = try Self.story(reaching: state)
        #expect(story.workflow.availableActions(on: story.complaint, for: .staff(F.accused)).isEmpty)
        #expect(!story.workflow.availableActions(on: story.complaint, for: .staff(F.everything)).isEmpty)
    }

    /// Ways a supervisor might try to hand the complaint to the person complained about.
    static let handOvers: [(String, ComplaintAction, ComplaintState)] = [
        ("assigning as owner", .assign(F.assignment(owner: F.accused.id)), .validated),
        ("assigning as handler", .assign(F.assignment(handler: F.accused.id)), .validated),
        (
            "reassigning as owner", .reassign(department: nil, owner: F.accused.id, handler: nil, reason: "调整"),
            .investigating
        ),
        (
            "reassigning as handler", .reassign(department: nil, owner: nil, handler: F.accused.id, reason: "调整"),
            .investigating
        ),
    ]

    @Test("The person complained about cannot be made owner or handler", arguments: handOvers)
    func cannotBeAssigned(how: String, action: ComplaintAction, state: ComplaintState) throws {
        let story = try Self.story(reaching: state)
        let error = story.error(of: action, by: .staff(F.supervisor))
        #expect(error == .assigneeRecused(F.accused.id), "\(how)")
        #expect(error?.code == "assignment.recused")
    }

    @Test("The person complained about neither reads internal notes nor sees the customer's personal data")
    func noReading() throws {
        let complaint = try Self.story(reaching: .investigating).complaint
        #expect(complaint.isRecused(F.accused.id))
        #expect(!complaint.isRecused(F.agent.id))
        #expect(!ActionPermission.mayReadInternalNotes(F.accused, complaint))
        #expect(!ActionPermission.needsPersonalData(F.accused, complaint))
        #expect(ActionPermission.mayReadInternalNotes(F.agent, complaint))
        #expect(ActionPermission.needsPersonalData(F.agent, complaint))
        for action in ActionName.allCases {
            #expect(!ActionPermission.allows(action, F.accused, complaint), "\(action.rawValue)")
        }
    }

    @Test("A complaint that names nobody recuses nobody")
    func nobodyNamed() throws {
        let complaint = try ComplaintStory.reaching(.investigating).complaint
        #expect(!complaint.isRecused(F.accused.id))
        #expect(ActionPermission.mayReadInternalNotes(F.accused, complaint))
    }
}
