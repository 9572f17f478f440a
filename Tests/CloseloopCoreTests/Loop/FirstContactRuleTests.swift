import Foundation
import Testing

@testable import CloseloopCore

/// SPEC §3 and §5: first contact is met by the first two-way exchange with the customer, whichever side starts it, and
/// the customer-update cadence restarts at each update that reached the customer.
@Suite("First contact and customer updates are met by any two-way exchange with the customer")
struct FirstContactRuleTests {
    typealias F = LoopFixtures

    static func clocks(_ story: ComplaintStory) -> [ClockKind: ClockStatus] { ClockScheduleTests.clocks(story) }

    @Test("The customer's own answer on the portal meets first contact and restarts the update cadence")
    func portalAnswer() throws {
        // Received Monday 10:00, a P2 from a dissatisfied customer: first contact due 10:30.
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .proposed)
        #expect(Self.clocks(story)[.firstContact]?.isRunning == true)
        try story.perform(
            .respondToProposal(accepted: true, comment: ""), by: .customer, at: "2026-04-13T10:20:00+08:00")
        let clocks = Self.clocks(story)
        #expect(clocks[.firstContact]?.stoppedAt == F.instant("2026-04-13T10:20:00+08:00"))
        #expect(clocks[.firstContact]?.condition(at: F.instant("2026-04-13T11:00:00+08:00")) == .met)
        #expect(clocks[.customerUpdate]?.startedAt == F.instant("2026-04-13T10:20:00+08:00"))
        #expect(story.complaint.firstContactAt == F.instant("2026-04-13T10:20:00+08:00"))
    }

    @Test("Information the customer supplies themselves meets first contact; staff's note about them does not")
    func customerSuppliesInformation() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.perform(
            .checkCompleteness(complete: false, missing: ["订单号"], note: ""), by: .staff(F.agent),
            at: "2026-04-13T10:05:00+08:00")
        try story.perform(
            .addNote(text: "客户说稍后发订单号", isInternal: true), by: .staff(F.agent), at: "2026-04-13T10:08:00+08:00")
        #expect(Self.clocks(story)[.firstContact]?.isRunning == true)
        try story.perform(
            .provideInformation(note: "订单号 A123", attachments: []), by: .customer, at: "2026-04-13T10:15:00+08:00")
        #expect(Self.clocks(story)[.firstContact]?.stoppedAt == F.instant("2026-04-13T10:15:00+08:00"))
    }

    @Test("A call nobody answered meets nothing; the first answered one does")
    func unansweredCall() throws {
        var story = try ComplaintStory(receivedAt: "2026-04-13T10:00:00+08:00")
        try story.advance(to: .investigating)
        for (outcome, at) in [
            (ContactOutcome.noAnswer, "2026-04-13T10:10:00+08:00"), (.wrongNumber, "2026-04-13T10:20:00+08:00"),
        ] {
            try story.perform(.recordContact(outcome: outcome, note: ""), by: .staff(F.agent), at: at)
            #expect(Self.clocks(story)[.firstContact]?.isRunning == true)
            #expect(story.complaint.firstContactAt == nil)
        }
        try story.perform(
            .recordContact(outcome: .reached, note: ""), by: .staff(F.agent), at: "2026-04-13T10:25:00+08:00")
        #expect(Self.clocks(story)[.firstContact]?.stoppedAt == F.instant("2026-04-13T10:25:00+08:00"))
    }

    @Test("A verification call with the customer counts as an exchange: it restarts the update cadence")
    func verificationCall() throws {
        var story = try ComplaintStory.reaching(.verifying)
        let verifiedAt = story.nextInstant
        try story.perform(.verify(solved: false, satisfied: false, score: nil, note: "仍漏水"), by: .staff(F.agent))
        let clocks = Self.clocks(story)
        #expect(clocks[.customerUpdate]?.startedAt == verifiedAt)
        #expect(clocks[.firstContact]?.isRunning != true)
    }
}
