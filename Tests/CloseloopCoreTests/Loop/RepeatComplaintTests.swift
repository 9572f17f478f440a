import Foundation
import Testing

@testable import CloseloopCore

/// 重复投诉 (SPEC §2–§3): a repeat complaint is a major complaint, with a major complaint's first-contact target.
@Suite("Repeat complaints")
struct RepeatComplaintTests {
    typealias F = LoopFixtures

    @Test("A repeat is received as at least major, whatever the agent first judged", arguments: Severity.allCases)
    func repeatIsMajor(judged: Severity) throws {
        let (complaint, event) = try Workflow(policy: .standard).receive(
            F.intake(severity: judged), id: ComplaintID("c2"), number: "260413002", repeatOf: "260401007",
            at: F.instant(F.mondayMorning), by: .staff(F.agent))
        #expect(complaint.repeatOf == "260401007")
        #expect(complaint.severity == max(judged, .major))
        // Replaying the history gives the same complaint.
        #expect(Complaint(id: ComplaintID("c2"), history: [event]) == complaint)
    }

    @Test("A repeat's first contact is due within a major complaint's ten minutes")
    func repeatClock() throws {
        let (_, event) = try Workflow(policy: .standard).receive(
            F.intake(), id: ComplaintID("c2"), number: "260413002", repeatOf: "260401007",
            at: F.instant(F.mondayMorning), by: .staff(F.agent))
        let clocks = ClockSchedule(policy: .standard, calendar: .chinaMainland).clocks(for: [event])
        let firstContact = try #require(clocks.first { $0.clock == .firstContact })
        #expect(firstContact.dueAt == F.instant("2026-04-13T09:10:00+08:00"))
    }

    @Test("A complaint that repeats nothing keeps the agent's severity")
    func noRepeat() throws {
        let (complaint, _) = try Workflow(policy: .standard).receive(
            F.intake(severity: .veryDissatisfied), id: ComplaintID("c1"), number: "260413001",
            at: F.instant(F.mondayMorning), by: .staff(F.agent))
        #expect(complaint.repeatOf == nil)
        #expect(complaint.severity == .veryDissatisfied)
    }
}
