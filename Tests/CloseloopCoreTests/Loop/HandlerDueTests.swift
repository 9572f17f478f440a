import Foundation
import Testing

@testable import CloseloopCore

/// The assigner's target for the handler (要求完成时间): ahead of now and within the resolution deadline that the
/// assignment itself sets, one rule for the page and the API.
@Suite("The handler's due date at assignment")
struct HandlerDueTests {
    typealias F = LoopFixtures

    static let schedule = ClockSchedule(policy: .standard, calendar: .chinaMainland)

    /// The story just before assignment, and what assigning `assignment` would record at the next instant.
    static func assigning(_ assignment: ComplaintAction.Assignment) throws -> (ComplaintStory, [ComplaintEvent]) {
        let story = try ComplaintStory.reaching(.validated)
        let events = try story.workflow.apply(
            .assign(assignment), to: story.complaint, by: .staff(F.supervisor), at: story.nextInstant)
        return (story, events)
    }

    static func resolutionDue(_ history: [ComplaintEvent]) throws -> Date {
        try #require(schedule.clocks(for: history).first { $0.clock == .resolution }?.dueAt)
    }

    @Test("Any instant ahead of now up to the resolution deadline is accepted, and recorded")
    func withinDeadline() throws {
        var assignment = F.assignment()
        let (story, probe) = try Self.assigning(assignment)
        let deadline = try Self.resolutionDue(story.history + probe)
        for due in [story.nextInstant.addingTimeInterval(60), deadline] {
            assignment.handlerDue = due
            let (_, events) = try Self.assigning(assignment)
            #expect(
                Self.schedule.handlerDueProblems(due, after: story.history + events, now: story.nextInstant).isEmpty)
            var complaint = story.complaint
            for event in events { complaint.apply(event) }
            #expect(complaint.handlerDue == due)
        }
    }

    @Test("Later than the resolution deadline is refused on the field, naming the deadline")
    func afterDeadline() throws {
        let (story, events) = try Self.assigning(F.assignment())
        let deadline = try Self.resolutionDue(story.history + events)
        let issues = Self.schedule.handlerDueProblems(
            deadline.addingTimeInterval(60), after: story.history + events, now: story.nextInstant)
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.field == "handlerDue")
        #expect(issue.code == "after_resolution_deadline")
        // P2 resolves in 5 working days from Monday 09:00: Friday 18:00 Beijing time.
        #expect(issue.message.text(in: .zhHans).contains("2026-04-17 18:00"))
    }

    @Test("The deadline is the one the assignment sets: a more urgent priority brings it forward")
    func priorityOfTheAssignment() throws {
        let (story, normal) = try Self.assigning(F.assignment(priority: .p2))
        let (_, urgent) = try Self.assigning(F.assignment(priority: .p0, severity: .crisis))
        let p2Deadline = try Self.resolutionDue(story.history + normal)
        let p0Deadline = try Self.resolutionDue(story.history + urgent)
        #expect(p0Deadline < p2Deadline)
        let due = p0Deadline.addingTimeInterval(3600)
        #expect(Self.schedule.handlerDueProblems(due, after: story.history + normal, now: story.nextInstant).isEmpty)
        #expect(
            Self.schedule.handlerDueProblems(due, after: story.history + urgent, now: story.nextInstant).map(\.code)
                == ["after_resolution_deadline"])
    }

    @Test("Now or earlier is refused")
    func notInThePast() throws {
        let (story, events) = try Self.assigning(F.assignment())
        for due in [story.nextInstant, story.nextInstant.addingTimeInterval(-86_400)] {
            #expect(
                Self.schedule.handlerDueProblems(due, after: story.history + events, now: story.nextInstant).map(\.code)
                    == ["in_past"])
        }
    }

    @Test("An assignment stored before targets existed reads back without one; a reopen clears the target")
    func codingAndReopen() throws {
        let old =
            #"{"type":"assigned","data":{"category":"delivery","kind":"complaint","priority":"P2","#
            + #""severity":"dissatisfied","department":"after-sales","owner":"li.na"}}"#
        let change = try JSONDecoder().decode(EventChange.self, from: Data(old.utf8))
        guard case .assigned(let assigned) = change else { Issue.record("not an assignment"); return }
        #expect(assigned.handlerDue == nil)

        var assignment = F.assignment()
        assignment.handlerDue = F.instant("2026-04-15T18:00:00+08:00")
        var story = try ComplaintStory.reaching(.validated)
        try story.perform(.assign(assignment), by: .staff(F.supervisor))
        let encoded = try JSONEncoder().encode(story.history.last!.change)
        #expect(try JSONDecoder().decode(EventChange.self, from: encoded) == story.history.last!.change)
        #expect(story.complaint.handlerDue == assignment.handlerDue)
        try story.advance(to: .closed)
        try story.perform(.reopen(reason: "扶手再次开裂"), by: .staff(F.agent))
        #expect(story.complaint.handlerDue == nil)
    }
}
