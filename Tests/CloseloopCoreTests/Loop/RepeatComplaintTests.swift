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

/// Which earlier complaint a new one may name as the one it repeats (`RepeatRule`).
@Suite("Naming the complaint a repeat repeats")
struct RepeatRuleTests {
    typealias F = LoopFixtures

    /// The fixture customer's complaint, received on Monday morning.
    static func earlier() throws -> Complaint { try ComplaintStory(F.intake()).complaint }

    static func intake(phone: String?, email: String?) -> Intake {
        var intake = F.intake()
        intake.customer = CustomerDetails(name: "张先生", phone: phone, email: email)
        return intake
    }

    @Test(
        "The same customer is the same phone however typed, or the same email in any case",
        arguments: [
            ("+86 138-1234-5678", nil, true), ("0086 13812345678", nil, true), (nil, "ZHANG.WEI@example.cn", true),
            ("13912345678", nil, false), (nil, "other@example.cn", false), ("", "", false),
        ] as [(String?, String?, Bool)])
    func sameCustomer(phone: String?, email: String?, same: Bool) throws {
        let problem = RepeatRule.problem(
            repeating: "260413001", earlier: try Self.earlier(), intake: Self.intake(phone: phone, email: email),
            receivedAt: F.instant("2026-04-20T09:00:00+08:00"), policy: .standard)
        #expect((problem == nil) == same)
        if !same { #expect(problem?.code == "other_customer") }
    }

    @Test("An unknown or later complaint, or one older than the policy's window, cannot be named")
    func windowAndExistence() throws {
        let intake = F.intake()
        func problem(_ earlier: Complaint?, at instant: String, window: Int = 30) -> String? {
            var policy = ServicePolicy.standard
            policy.repeatWindowDays = window
            return RepeatRule.problem(
                repeating: "260413001", earlier: earlier, intake: intake, receivedAt: F.instant(instant), policy: policy
            )?.code
        }
        let earlier = try Self.earlier()
        #expect(problem(nil, at: "2026-04-20T09:00:00+08:00") == "unknown_complaint")
        #expect(problem(earlier, at: "2026-04-13T08:59:00+08:00") == "unknown_complaint")
        #expect(problem(earlier, at: "2026-05-13T09:00:00+08:00") == nil, "exactly 30 days later")
        #expect(problem(earlier, at: "2026-05-13T09:01:00+08:00") == "outside_window")
        #expect(problem(earlier, at: "2026-04-20T09:00:00+08:00", window: 5) == "outside_window")
    }

    @Test(
        "Phone numbers are one key however the customer types them",
        arguments: [
            ("+86 138-0013-8000", "13800138000"), ("(+86) 13800138000", "13800138000"),
            ("0086 138 0013 8000", "13800138000"), ("8613800138000", "13800138000"),
            ("+86 10 6552 9988", "01065529988"), ("010-6552 9988", "01065529988"), ("+44 20 7946 0958", "442079460958"),
        ])
    func phoneKey(typed: String, key: String) {
        #expect(PhoneKey.normalized(typed) == key)
    }
}
