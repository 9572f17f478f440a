import Foundation
import Testing

@testable import CloseloopCore

@Suite("Incidents: one cause, handled once through each complaint's loop")
struct IncidentTests {
    typealias F = LoopFixtures

    static func incident() -> Incident {
        var incident = Incident(
            id: "i-1", number: Incident.number(year: 2026, sequence: 7), title: "4 月批次沙发扶手开裂",
            cause: "供应商扶手胶合工艺变更", category: "delivery", subcategory: "damage", severity: .dissatisfied,
            department: F.afterSales, owner: F.agent.id, handler: F.handler.id,
            openedAt: F.instant(F.mondayMorning), openedBy: F.supervisor.id)
        incident.analysis = F.analysis
        incident.solution = Incident.Solution(
            types: [.apology, .repair], message: "{customer}您好，您的投诉 {number} 我们将上门更换扶手。", compensation: nil)
        incident.result = "{客户}您好，单号 {单号} 的扶手已更换。"
        return incident
    }

    /// Performs the step's actions on `story` as `actor`, the way the service does: in order, each on the last.
    static func run(_ step: IncidentStep, of incident: Incident, on story: inout ComplaintStory, by actor: Actor)
        throws(DomainError) -> [ActionName]
    {
        let actions = incident.actions(for: step, on: story.complaint)
        for action in actions { try story.perform(action, by: actor) }
        return actions.map(\.name)
    }

    @Test("Numbers read INC-YYYY-NNNN and an incident is never below major")
    func numberAndSeverity() {
        #expect(Incident.number(year: 2026, sequence: 7) == "INC-2026-0007")
        #expect(Self.incident().severity == .major)
        let details = Incident.Details(title: "x", cause: "", severity: .dissatisfied)
        #expect(details.problems().map(\.field) == ["severity"])
        #expect(Incident.Details(title: " ", cause: "").problems().map(\.code) == ["required"])
    }

    @Test("Joining an incident makes a complaint at least major")
    func linkingRaisesSeverity() throws {
        var story = try ComplaintStory.reaching(.investigating)
        #expect(story.complaint.severity == .dissatisfied)
        try story.perform(.linkIncident(incident: "INC-2026-0007"), by: .staff(F.agent))
        #expect(story.complaint.severity == .major)
        #expect(story.complaint.incident == "INC-2026-0007")
    }

    @Test("Accepting takes a new complaint through completeness, validity and assignment")
    func accept() throws {
        var story = try ComplaintStory()
        let done = try Self.run(.accept, of: Self.incident(), on: &story, by: .staff(F.supervisor))
        #expect(done == [.checkCompleteness, .decideValidity, .assign])
        #expect(story.complaint.state == .investigating)
        #expect(story.complaint.department == F.afterSales)
        #expect(story.complaint.handler == F.handler.id)
        #expect(story.complaint.severity == .major)
        // Once assigned there is nothing left to accept.
        #expect(Self.incident().actions(for: .accept, on: story.complaint).isEmpty)
    }

    @Test("The one solution reaches each customer in their own words, with their own approval when needed")
    func propose() throws {
        var story = try ComplaintStory.reaching(.investigating)
        let done = try Self.run(.propose, of: Self.incident(), on: &story, by: .staff(F.handler))
        #expect(done == [.submitAnalysis, .proposeSolution])
        #expect(story.complaint.state == .proposed)
        #expect(story.complaint.proposal?.description == "张伟您好，您的投诉 260413001 我们将上门更换扶手。")

        var costly = Self.incident()
        costly.solution = Incident.Solution(
            types: [.compensation], message: "补偿 {customer}", compensation: Money(minorUnits: 500_000))
        var other = try ComplaintStory.reaching(.investigating)
        _ = try Self.run(.propose, of: costly, on: &other, by: .staff(F.handler))
        #expect(other.complaint.state == .awaitingApproval)
    }

    @Test("The result is returned only after the customer agreed, and the work is recorded finished first")
    func result() throws {
        let incident = Self.incident()
        var waiting = try ComplaintStory.reaching(.proposed)
        #expect(incident.actions(for: .result, on: waiting.complaint).isEmpty)
        try waiting.perform(.respondToProposal(accepted: true, comment: ""), by: .customer)
        let done = try Self.run(.result, of: incident, on: &waiting, by: .staff(F.handler))
        #expect(done == [.recordProgress, .returnResult])
        #expect(waiting.complaint.state == .verifying)
        guard case .resultReturned(let note) = waiting.history.last?.change else {
            Issue.record("no result returned")
            return
        }
        #expect(note.text == "张伟您好，单号 260413001 的扶手已更换。")
    }

    @Test("Each step says what it lacks before it runs")
    func prerequisites() {
        var bare = Incident(
            id: "i-2", number: "INC-2026-0008", title: "t", cause: "", openedAt: F.instant(F.mondayMorning),
            openedBy: F.supervisor.id)
        #expect(bare.problems(for: .accept).map(\.field) == ["category", "department", "owner"])
        #expect(bare.problems(for: .propose).map(\.field) == ["findings", "message"])
        #expect(bare.problems(for: .result).map(\.field) == ["result"])
        bare.result = "done"
        #expect(bare.problems(for: .result).isEmpty)
    }

    @Test("The one solution is checked by the proposal's own rules")
    func handlingRules() {
        let issues = Incident.handlingProblems(
            analysis: F.analysis, solution: .init(types: [.compensation], message: " ", compensation: nil))
        #expect(Set(issues.map(\.field)) == ["message", "compensation"])
    }

    @Test("Placeholders in both languages become the customer's name and number")
    func placeholders() throws {
        let story = try ComplaintStory()
        #expect(
            CustomerMessage.render("{customer}/{客户}/{number}/{单号}", for: story.complaint)
                == "张伟/张伟/260413001/260413001")
    }

    @Test("Incidents are managed by supervisors, quality and management, not by agents or handlers")
    func managers() {
        #expect(Incident.mayManage(F.supervisor))
        #expect(Incident.mayManage(F.quality))
        #expect(Incident.mayManage(F.generalManager))
        #expect(!Incident.mayManage(F.agent))
        #expect(!Incident.mayManage(F.handler))
    }
}
