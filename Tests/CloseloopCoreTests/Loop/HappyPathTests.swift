import Foundation
import Testing

@testable import CloseloopCore

@Suite("The loop of SPEC §4 from receipt to archive")
struct HappyPathTests {
    typealias F = LoopFixtures

    /// One step of the happy path: who does what when, and where the complaint stands afterwards.
    struct Step: Sendable, CustomTestStringConvertible {
        var action: ComplaintAction
        var actor: Actor
        var at: String
        var state: ComplaintState
        var event: String
        var testDescription: String { "\(action.name.rawValue) → \(state.rawValue)" }
    }

    static let steps: [Step] = [
        Step(
            action: .checkCompleteness(complete: true, missing: [], note: "身份、订单号已核实"),
            actor: .staff(F.agent),
            at: "2026-04-13T09:10:00+08:00",
            state: .received,
            event: "completeness_checked"
        ),
        Step(
            action: .decideValidity(valid: true, reason: "送货延误属实"),
            actor: .staff(F.agent),
            at: "2026-04-13T09:15:00+08:00",
            state: .validated,
            event: "validity_decided"
        ),
        Step(
            action: .assign(F.assignment()),
            actor: .staff(F.supervisor),
            at: "2026-04-13T09:20:00+08:00",
            state: .investigating,
            event: "assigned"
        ),
        Step(
            action: .recordContact(outcome: .reached, note: "已致电客户致歉并说明流程"),
            actor: .staff(F.agent),
            at: "2026-04-13T09:25:00+08:00",
            state: .investigating,
            event: "customer_contacted"
        ),
        Step(
            action: .submitAnalysis(F.analysis),
            actor: .staff(F.handler),
            at: "2026-04-13T11:00:00+08:00",
            state: .investigating,
            event: "analysis_submitted"
        ),
        Step(
            action: .proposeSolution(
                types: [.repair, .compensation],
                description: "上门修复扶手并补偿 ¥150",
                compensation: .yuan(150)
            ),
            actor: .staff(F.handler),
            at: "2026-04-13T11:30:00+08:00",
            state: .proposed,
            event: "solution_proposed"
        ),
        Step(
            action: .respondToProposal(accepted: true, comment: "可以"),
            actor: .customer,
            at: "2026-04-13T14:00:00+08:00",
            state: .executing,
            event: "customer_responded"
        ),
        Step(
            action: .recordProgress(note: "扶手已修复", workFinished: true, evidence: []),
            actor: .staff(F.handler),
            at: "2026-04-14T10:00:00+08:00",
            state: .executing,
            event: "progress_recorded"
        ),
        Step(
            action: .returnResult(summary: "修复完成，补偿已到账", attachments: []),
            actor: .staff(F.handler),
            at: "2026-04-14T11:00:00+08:00",
            state: .verifying,
            event: "result_returned"
        ),
        Step(
            action: .verify(solved: true, satisfied: true, score: 5, note: "客户很满意"),
            actor: .staff(F.agent),
            at: "2026-04-14T15:00:00+08:00",
            state: .returnVisit,
            event: "verified"
        ),
        Step(
            action: .recordReturnVisit(notes: "回访：沙发使用正常"),
            actor: .staff(F.agent),
            at: "2026-04-15T10:00:00+08:00",
            state: .awaitingCountersign,
            event: "return_visit_recorded"
        ),
        Step(
            action: .close(note: "会签同意结案"),
            actor: .staff(F.supervisor),
            at: "2026-04-15T11:00:00+08:00",
            state: .closed,
            event: "closed"
        ),
        Step(
            action: .writeCase(F.caseWriteUp),
            actor: .staff(F.quality),
            at: "2026-04-16T10:00:00+08:00",
            state: .closed,
            event: "case_written"
        ),
        Step(
            action: .archive(note: "归档"),
            actor: .staff(F.quality),
            at: "2026-04-16T10:05:00+08:00",
            state: .archived,
            event: "archived"
        ),
    ]

    @Test("Each step of the happy path moves the complaint to the state the diagram shows, one event at a time")
    func everyStep() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T09:00:00+08:00")
        #expect(story.complaint.state == .received)
        #expect(story.history.map(\.change.type) == ["received"])
        for step in Self.steps {
            let events = try story.perform(step.action, by: step.actor, at: step.at)
            #expect(events.map(\.change.type) == [step.event], "\(step.testDescription)")
            #expect(events.allSatisfy { $0.at == F.instant(step.at) && $0.actor == step.actor.reference })
            #expect(story.complaint.state == step.state, "\(step.testDescription)")
        }
    }

    @Test("The history is numbered 1, 2, 3… without gaps and the complaint's version is its length")
    func consecutiveSequence() throws {
        let story = try Self.walk()
        #expect(story.history.map(\.sequence) == Array(1...(Self.steps.count + 1)))
        #expect(story.complaint.version == story.history.count)
        #expect(story.complaint.updatedAt == F.instant("2026-04-16T10:05:00+08:00"))
    }

    @Test("The archived complaint records what happened along the way")
    func archivedFacts() throws {
        let complaint = try Self.walk().complaint
        #expect(complaint.resolution == .resolved)
        #expect(complaint.closedAt == F.instant("2026-04-15T11:00:00+08:00"))
        #expect(complaint.department == F.afterSales)
        #expect(complaint.owner == F.agent.id)
        #expect(complaint.handler == F.handler.id)
        #expect(complaint.category == "delivery")
        #expect(complaint.completenessConfirmed)
        #expect(complaint.analysis == F.analysis)
        #expect(complaint.proposal?.compensation == .yuan(150))
        #expect(complaint.proposal?.requiredApprover == nil)
        #expect(complaint.satisfaction == 5)
        #expect(complaint.contactAttempts == 1)
        #expect(complaint.firstContactAt == F.instant("2026-04-13T09:25:00+08:00"))
        #expect(complaint.workFinishedAt == F.instant("2026-04-14T10:00:00+08:00"))
        #expect(complaint.hasCaseWriteUp)
        #expect(complaint.reopenCount == 0)
    }

    @Test("Replaying the whole history rebuilds the same complaint")
    func replay() throws {
        let story = try Self.walk()
        #expect(Complaint(id: story.complaint.id, history: story.history) == story.complaint)
        #expect(Complaint(id: story.complaint.id, history: Array(story.history.dropFirst())) == nil)
    }

    @Test("An archived complaint is read-only: nothing more can be done to it")
    func archivedIsFinal() throws {
        let story = try Self.walk()
        #expect(story.workflow.availableActions(on: story.complaint, for: .staff(F.everything)).isEmpty)
    }

    @Test("Receiving trims the customer's name, subject and contact details")
    func receiveTrims() throws {
        var intake = F.intake()
        intake.customer.name = "  张伟 "
        intake.subject = " 沙发破损\n"
        intake.customer.phone = " 13812345678 "
        intake.customer.email = "   "
        let story = try ComplaintStory(intake)
        #expect(story.complaint.intake.customer.name == "张伟")
        #expect(story.complaint.intake.subject == "沙发破损")
        #expect(story.complaint.intake.customer.phone == "13812345678")
        #expect(story.complaint.intake.customer.email == nil)
        guard case .received(let received) = story.history[0].change else {
            Issue.record("the first event is not the receipt")
            return
        }
        #expect(received.intake == story.complaint.intake)
        #expect(received.number == "260413001")
    }

    static func walk() throws -> ComplaintStory {
        var story = try ComplaintStory(receivedAt: "2026-04-13T09:00:00+08:00")
        for step in steps { try story.perform(step.action, by: step.actor, at: step.at) }
        return story
    }
}
