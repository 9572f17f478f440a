import Foundation
import Testing

@testable import CloseloopCore

@Suite("Merging the same customer's duplicate (并单)")
struct MergeTests {
    typealias F = LoopFixtures

    /// The same customer's second complaint about the same sofa, received an hour later.
    static func duplicate() throws -> ComplaintStory {
        var story = try ComplaintStory(F.intake(), receivedAt: "2026-04-13T10:00:00+08:00")
        story.complaint.id = ComplaintID("c-2")
        story.complaint.number = "260413002"
        story.complaint.intake.attachments = [
            AttachmentReference(id: "a-1", fileName: "划痕.jpg", contentType: "image/jpeg", size: 1_200, sha256: "ab")
        ]
        return story
    }

    @Test("The duplicate closes as merged, counts as a repeat, and the survivor takes its attachments")
    func mergeBothWays() throws {
        let survivor = try ComplaintStory.reaching(.investigating)
        let duplicate = try Self.duplicate()
        let now = F.instant("2026-04-13T11:00:00+08:00")
        let (closing, taken) = try survivor.workflow.merge(
            duplicate.complaint, into: survivor.complaint, reason: "同一订单同一破损", by: .staff(F.agent), at: now)

        var merged = duplicate.complaint
        for event in closing { merged.apply(event) }
        #expect(merged.state == .closed)
        #expect(merged.resolution == .merged)
        #expect(merged.mergedInto == survivor.complaint.number)
        #expect(merged.repeatOf == survivor.complaint.number)
        #expect(merged.closedAt == now)
        // It lives on in the survivor: reopening is the survivor's business.
        let reopen = F.error { () throws(DomainError) in
            try survivor.workflow.apply(.reopen(reason: "再次出现"), to: merged, by: .customer, at: now)
        }
        #expect(reopen == .wrongState(action: .reopen, state: .closed))
        #expect(!survivor.workflow.availableActions(on: merged, for: .staff(F.everything)).contains(.reopen))

        var kept = survivor.complaint
        for event in taken { kept.apply(event) }
        #expect(taken.first?.sequence == survivor.complaint.version + 1)
        #expect(kept.mergedDuplicates == ["260413002"])
        #expect(kept.intake.attachments.map(\.fileName) == ["划痕.jpg"])
        #expect(kept.severity == .major)
        #expect(kept.state == .investigating)
    }

    @Test("The duplicate's clocks stop when it is merged")
    func clocksStop() throws {
        let survivor = try ComplaintStory.reaching(.investigating)
        var duplicate = try Self.duplicate()
        let now = F.instant("2026-04-13T11:00:00+08:00")
        let (closing, _) = try survivor.workflow.merge(
            duplicate.complaint, into: survivor.complaint, reason: "同一问题", by: .staff(F.agent), at: now)
        duplicate.history += closing
        let clocks = ClockSchedule(policy: .standard, calendar: .chinaMainland).clocks(for: duplicate.history)
        #expect(!clocks.isEmpty)
        #expect(clocks.allSatisfy { !$0.isRunning })
    }

    @Test("Only into the same customer's open complaint, never into itself")
    func refusals() throws {
        let survivor = try ComplaintStory.reaching(.investigating)
        let duplicate = try Self.duplicate()
        let now = F.instant("2026-04-13T11:00:00+08:00")
        func issue(_ duplicate: Complaint, into survivor: Complaint, reason: String = "同一问题") -> String? {
            let error = F.error { () throws(DomainError) in
                try Workflow(policy: .standard).merge(
                    duplicate, into: survivor, reason: reason, by: .staff(F.agent), at: now)
            }
            guard case .validation(let issues)? = error else { return error.map { "\($0)" } }
            return issues.map { "\($0.field):\($0.code)" }.joined(separator: ",")
        }
        #expect(issue(duplicate.complaint, into: duplicate.complaint) == "into:invalid")
        var stranger = survivor.complaint
        stranger.intake.customer = CustomerDetails(name: "李雷", phone: "139 0000 0000", email: nil)
        #expect(issue(duplicate.complaint, into: stranger) == "into:invalid")
        var closed = survivor.complaint
        closed.state = .closed
        #expect(issue(duplicate.complaint, into: closed) == "into:invalid")
        #expect(issue(duplicate.complaint, into: survivor.complaint, reason: " ") == "reason:required")
        // The same customer writes their phone differently: still the same customer.
        var samePerson = survivor.complaint
        samePerson.intake.customer.phone = "+86 138-1234-5678"
        samePerson.intake.customer.email = nil
        #expect(issue(duplicate.complaint, into: samePerson) == nil)
    }

    @Test("A handler may not merge, nor may someone recused from the surviving complaint")
    func rights() throws {
        let survivor = try ComplaintStory.reaching(.investigating)
        let duplicate = try Self.duplicate()
        let now = F.instant("2026-04-13T11:00:00+08:00")
        let byHandler = F.error { () throws(DomainError) in
            try survivor.workflow.merge(
                duplicate.complaint, into: survivor.complaint, reason: "同一问题", by: .staff(F.handler), at: now)
        }
        #expect(byHandler == .notAllowed(action: .merge))
        var recusedSurvivor = survivor.complaint
        recusedSurvivor.intake.complainedAboutUser = F.agent.id
        let byRecused = F.error { () throws(DomainError) in
            try survivor.workflow.merge(
                duplicate.complaint, into: recusedSurvivor, reason: "同一问题", by: .staff(F.agent), at: now)
        }
        #expect(byRecused == .recused)
    }

    @Test("The customer reads that the complaint is handled under the other number")
    func customerTimeline() throws {
        let survivor = try ComplaintStory.reaching(.investigating)
        let duplicate = try Self.duplicate()
        let (closing, _) = try survivor.workflow.merge(
            duplicate.complaint, into: survivor.complaint, reason: "同一问题", by: .staff(F.agent),
            at: F.instant("2026-04-13T11:00:00+08:00"))
        let steps = CustomerTimeline.steps(of: duplicate.history + closing, in: .zhHans)
        #expect(steps.last?.text.contains("260413001") == true)
    }
}
