import Foundation
import Testing

@testable import CloseloopCore

@Suite("Money, the standard policy and the stored JSON")
struct PolicyAndCodingTests {
    typealias F = LoopFixtures

    // MARK: Money

    static let decimals: [(String, Int64?)] = [
        ("1200", 120_000), ("1200.5", 120_050), ("1200.50", 120_050), ("0.01", 1), ("0", 0), (" 7 ", nil),
        (" 100", nil),
        ("-3.25", -325), ("200.1", 20_010), ("", nil), ("abc", nil), ("1.234", nil), ("1.", nil), (".5", nil),
        ("1,200", nil), ("1.2.3", nil), ("¥200", nil), ("1e3", nil), ("12 00", nil), ("1.-5", nil), ("-", nil),
        ("+-5", nil), ("99999999999999999999", nil), ("9999999999999", nil),
        ("999999999999.99", 99_999_999_999_999),
    ]

    @Test("Money(decimal:) reads at most two fraction digits", arguments: decimals)
    func parse(text: String, minorUnits: Int64?) {
        #expect(Money(decimal: text)?.minorUnits == minorUnits)
    }

    @Test("A doubled or mixed sign is not an amount", arguments: ["--5", "--1.50", "-+5"])
    func doubledSign(text: String) {
        #expect(Money(decimal: text) == nil)
    }

    static let descriptions: [(Int64, String)] = [
        (120_050, "1200.50"), (120_000, "1200.00"), (5, "0.05"), (10, "0.10"), (0, "0.00"), (-325, "-3.25"),
        (-5, "-0.05"), (Int64.min, "-92233720368547758.08"),
    ]

    @Test("Money is written with two decimals", arguments: descriptions)
    func describe(minorUnits: Int64, text: String) {
        #expect(Money(minorUnits: minorUnits).description == text)
    }

    @Test("Written money reads back", arguments: [Int64(0), 1, 99, 120_050, -325, 100_000_000])
    func roundTrip(minorUnits: Int64) {
        #expect(Money(decimal: Money(minorUnits: minorUnits).description)?.minorUnits == minorUnits)
    }

    @Test("Money compares by amount")
    func ordering() {
        #expect(Money.yuan(200) == Money(minorUnits: 20_000))
        #expect(Money(decimal: "200.01")! > .yuan(200))
        #expect(Money(minorUnits: -1) < .zero)
    }

    // MARK: Policy

    @Test("The standard policy has no problems")
    func standardPolicy() {
        #expect(ServicePolicy.standard.problems().isEmpty)
    }

    @Test("The standard policy carries SPEC §3's figures")
    func standardFigures() {
        let policy = ServicePolicy.standard
        #expect(policy.limit(for: .firstResponse, priority: .p0, severity: .dissatisfied) == .hours(1))
        #expect(policy.limit(for: .resolution, priority: .p1, severity: .dissatisfied) == .days(3))
        #expect(policy.limit(for: .resolution, priority: .p2, severity: .dissatisfied) == .days(5))
        #expect(policy.limit(for: .firstContact, priority: .p2, severity: .veryDissatisfied) == .minutes(20))
        #expect(policy.limit(for: .firstContact, priority: .p2, severity: .crisis) == .minutes(10))
        #expect(policy.severities[.major]?.penalty == .yuan(50))
        #expect(policy.severities[.crisis]?.maxContacts == nil)
        #expect(policy.basis(priority: .p0, severity: .dissatisfied) == .calendar)
        #expect(policy.basis(priority: .p2, severity: .crisis) == .calendar)
        #expect(policy.basis(priority: .p1, severity: .major) == .working)
        #expect(policy.reopenWindowDays == 30)
    }

    @Test("A policy missing targets or with negative windows lists every problem")
    func brokenPolicy() {
        var policy = ServicePolicy.standard
        policy.priorities[.p1] = nil
        policy.severities[.major] = nil
        policy.reopenWindowDays = -1
        policy.numbering = ComplaintNumbering(pattern: "{YY}")
        #expect(
            policy.problems() == [
                "no targets for priority P1", "no targets for severity major", "the reopen window cannot be negative",
                "the number pattern must contain {SEQ} or {SEQ:n}",
            ]
        )
    }

    @Test("The standard policy survives a JSON round trip")
    func policyRoundTrip() throws {
        let data = try JSONEncoder().encode(ServicePolicy.standard)
        #expect(try JSONDecoder().decode(ServicePolicy.self, from: data) == .standard)
    }

    // MARK: Events

    static let attachment = AttachmentReference(
        id: "a-1",
        fileName: "扶手.jpg",
        contentType: "image/jpeg",
        size: 204_800,
        sha256: "ab12cd"
    )

    /// One example of every kind of event, with the `type` it is stored under.
    static let changes: [(EventChange, String)] = [
        (.received(.init(number: "260413001", intake: F.intake(complainedAbout: F.accused.id))), "received"),
        (.completenessChecked(.init(complete: false, missing: ["订单号"], note: "缺")), "completeness_checked"),
        (.informationProvided(.init(text: "补充", attachments: [attachment])), "information_provided"),
        (.validityDecided(.init(valid: false, reason: "过保")), "validity_decided"),
        (.requestAnswered(.init(text: "已答复")), "request_answered"),
        (
            .assigned(
                .init(
                    category: "delivery",
                    subcategory: "damage",
                    kind: .complaint,
                    priority: .p1,
                    severity: .major,
                    department: F.afterSales,
                    owner: F.agent.id,
                    handler: F.handler.id
                )
            ), "assigned"
        ),
        (.reassigned(.init(department: F.logistics, owner: nil, handler: nil, reason: "转物流")), "reassigned"),
        (
            .reclassified(.init(category: nil, subcategory: nil, priority: .p0, severity: nil, reason: "升级")),
            "reclassified"
        ),
        (.customerContacted(.init(outcome: .noAnswer, note: "无人接听")), "customer_contacted"),
        (.analysisSubmitted(F.analysis), "analysis_submitted"),
        (
            .solutionProposed(
                .init(
                    types: [.repair, .compensation],
                    description: "修复并补偿",
                    compensation: Money(minorUnits: 100_050),
                    requiredApprover: .departmentManager
                )
            ), "solution_proposed"
        ),
        (.approvalDecided(.init(approved: true, comment: "同意")), "approval_decided"),
        (.customerResponded(.init(approved: false, comment: "不接受")), "customer_responded"),
        (.progressRecorded(.init(note: "已修复", workFinished: true, evidence: [attachment])), "progress_recorded"),
        (.resultReturned(.init(text: "完成")), "result_returned"),
        (.verified(.init(solved: true, satisfied: true, score: 5, note: "满意")), "verified"),
        (.returnVisitRecorded(.init(text: "回访正常")), "return_visit_recorded"),
        (.closed(.init(text: "结案")), "closed"),
        (.reopened(.init(text: "再次开裂")), "reopened"),
        (.delayRequested(.init(reason: "出差", until: F.instant("2026-04-20T09:00:00+08:00"))), "delay_requested"),
        (.delayDecided(.init(approved: false, comment: "不同意")), "delay_decided"),
        (.noteAdded(.init(text: "注意沟通", isInternal: true)), "note_added"),
        (.incidentLinked(.init(incident: "INC-1")), "incident_linked"),
        (.caseWritten(F.caseWriteUp), "case_written"),
        (.archived(.init(text: "归档")), "archived"),
    ]

    @Test("Every kind of event is stored as {type, data} and reads back the same", arguments: changes)
    func eventRoundTrip(change: EventChange, type: String) throws {
        let event = ComplaintEvent(
            sequence: 7,
            at: F.instant("2026-04-13T09:30:00+08:00"),
            actor: Actor.staff(F.agent).reference,
            change: change
        )
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(ComplaintEvent.self, from: data) == event)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stored = try #require(object["change"] as? [String: Any])
        #expect(stored["type"] as? String == type)
        #expect(stored["data"] is [String: Any])
        #expect(change.type == type)
    }

    @Test("The table above covers every kind of event once")
    func everyKind() {
        let types = Self.changes.map(\.1)
        #expect(Set(types).count == types.count)
        #expect(types.count == 25)
    }

    @Test("An unknown event type is a decoding error, not a crash")
    func unknownType() {
        let json = Data(#"{"type": "teleported", "data": {}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EventChange.self, from: json) }
    }
}
