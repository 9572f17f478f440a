import Foundation
import Testing

@testable import CloseloopCore

/// A staff member named only in the customer's words (SPEC §1, 回避): found, put to the supervisor, and not
/// assignable until the supervisor has said whether they are the person complained about.
@Suite("Staff named in the customer's words")
struct StaffMentionTests {
    typealias F = LoopFixtures

    static let directory = [
        StaffMentions.Member(id: UserID("wangfang"), name: "王芳"),
        StaffMentions.Member(id: UserID("li"), name: "Li"),
        StaffMentions.Member(id: UserID("jsmith"), name: "John Smith"),
        StaffMentions.Member(id: UserID("zhao"), name: "赵"),
        StaffMentions.Member(id: UserID("ezola"), name: " Émile Zola\n"),
    ]

    @Test(
        "Names and logins are found the way customers write them",
        arguments: [
            ("安装师傅王芳态度很差", ["wangfang"]),
            ("是 wangfang 接的电话", ["wangfang"]),
            ("WangFang said it was my fault", ["wangfang"]),
            ("wangfang师傅没来", ["wangfang"]),
            ("the agent John Smith hung up", ["jsmith"]),
            ("johnsmith and JSMITH both", ["jsmith"]),
            ("王芳和 John Smith 都推卸责任", ["wangfang", "jsmith"]),
            // Case is folded beyond ASCII, and the directory's stray spaces are not part of the name.
            ("ÉMILE ZOLA 态度很差", ["ezola"]),
            ("(wangfang), JOHN SMITH.", ["wangfang", "jsmith"]),
        ])
    func found(text: String, expected: [String]) {
        #expect(StaffMentions.find(in: [text], among: Self.directory) == expected.map { UserID($0) })
    }

    @Test(
        "Parts of other words and too-short names are not mentions",
        arguments: [
            "the lights were off",
            "wangfangs and xwangfang",
            "赵先生说明天再来",
            "王 芳",
            "",
        ])
    func notFound(text: String) {
        #expect(StaffMentions.find(in: [text], among: Self.directory).isEmpty)
    }

    @Test("Every text of the intake is searched, missing ones skipped")
    func severalTexts() {
        let found = StaffMentions.find(in: [nil, "送货慢", "wangfang 说没有库存", nil], among: Self.directory)
        #expect(found == [UserID("wangfang")])
    }

    @Test("Intake keeps each mention once and never the person already chosen from the directory")
    func receivedMentions() throws {
        let story = try ComplaintStory(
            F.intake(complainedAbout: F.accused.id), mentionedStaff: [F.handler.id, F.accused.id, F.handler.id])
        #expect(story.complaint.staffMentions == [StaffMention(user: F.handler.id, concerned: nil)])
        #expect(story.complaint.unconfirmedMentions == [F.handler.id])
        guard case .received(let received) = story.history[0].change else {
            Issue.record("the history starts with its receipt")
            return
        }
        #expect(received.mentionedStaff == [F.handler.id])
    }

    /// Ways a supervisor might hand the complaint to an unconfirmed mention.
    static let handOvers: [(String, ComplaintAction, ComplaintState)] = [
        ("assigning as owner", .assign(F.assignment(owner: F.accused.id)), .validated),
        ("assigning as handler", .assign(F.assignment(handler: F.accused.id)), .validated),
        (
            "reassigning as handler", .reassign(department: nil, owner: nil, handler: F.accused.id, reason: "调整"),
            .investigating
        ),
    ]

    @Test("An unconfirmed mention cannot be made owner or handler", arguments: handOvers)
    func unconfirmedNotAssignable(how: String, action: ComplaintAction, state: ComplaintState) throws {
        var story = try ComplaintStory.reaching(.validated, mentionedStaff: [F.accused.id])
        if state == .investigating { try story.advance(to: .investigating) }
        let error = story.error(of: action, by: .staff(F.supervisor))
        #expect(error == .assigneeMentionUnconfirmed(F.accused.id), "\(how)")
        #expect(error?.code == "assignment.mention_unconfirmed")
    }

    @Test("Confirmed as the person complained about: recused from then on, as if chosen at intake")
    func confirmedConcerned() throws {
        var story = try ComplaintStory.reaching(.validated, mentionedStaff: [F.accused.id])
        #expect(
            story.workflow.availableActions(on: story.complaint, for: .staff(F.supervisor)).contains(.confirmMention))
        try story.perform(
            .confirmMention(user: F.accused.id, concerned: true, note: "客户确认是马师傅"), by: .staff(F.supervisor))
        #expect(story.complaint.isRecused(F.accused.id))
        #expect(story.complaint.unconfirmedMentions.isEmpty)
        #expect(
            story.error(of: .assign(F.assignment(handler: F.accused.id)), by: .staff(F.supervisor))
                == .assigneeRecused(F.accused.id))
        #expect(story.error(of: F.sample(.addNote, now: story.nextInstant), by: .staff(F.accused)) == .recused)
        // Nothing is left to confirm.
        #expect(
            !story.workflow.availableActions(on: story.complaint, for: .staff(F.supervisor)).contains(.confirmMention))
    }

    @Test("Cleared as someone else: assignable again, and the answer is in the history")
    func confirmedNotConcerned() throws {
        var story = try ComplaintStory.reaching(.validated, mentionedStaff: [F.accused.id])
        let events = try story.perform(
            .confirmMention(user: F.accused.id, concerned: false, note: "客户说的是另一位马师傅"), by: .staff(F.supervisor))
        #expect(
            events.map(\.change)
                == [.mentionConfirmed(.init(user: F.accused.id, concerned: false, note: "客户说的是另一位马师傅"))])
        #expect(!story.complaint.isRecused(F.accused.id))
        #expect(story.complaint.staffMentions == [StaffMention(user: F.accused.id, concerned: false)])
        try story.perform(.assign(F.assignment(handler: F.accused.id)), by: .staff(F.supervisor))
        #expect(story.complaint.handler == F.accused.id)
    }

    @Test("Only a supervisor answers, only for a mention awaiting an answer")
    func whoAndWhat() throws {
        let story = try ComplaintStory.reaching(.validated, mentionedStaff: [F.accused.id])
        let answer = ComplaintAction.confirmMention(user: F.accused.id, concerned: false, note: "")
        #expect(story.error(of: answer, by: .staff(F.agent)) == .notAllowed(action: .confirmMention))
        let stranger = story.error(
            of: .confirmMention(user: F.handler.id, concerned: true, note: ""), by: .staff(F.supervisor))
        guard case .validation(let issues) = stranger else {
            Issue.record("expected a validation error, got \(String(describing: stranger))")
            return
        }
        #expect(issues.map(\.field) == ["user"])
        let none = try ComplaintStory.reaching(.validated)
        #expect(
            none.error(of: answer, by: .staff(F.supervisor)) == .wrongState(action: .confirmMention, state: .validated))
    }

    @Test("Confirming the current owner or handler as the person complained about needs a reassignment first")
    func assignedFirst() throws {
        var story = try ComplaintStory.reaching(.investigating, mentionedStaff: [F.accused.id])
        story.complaint.handler = F.accused.id
        let error = story.error(
            of: .confirmMention(user: F.accused.id, concerned: true, note: ""), by: .staff(F.supervisor))
        guard case .validation(let issues) = error else {
            Issue.record("expected a validation error, got \(String(describing: error))")
            return
        }
        #expect(issues.map(\.field) == ["user"])
    }

    @Test("A receipt written before mentions were recorded still reads, with none")
    func olderHistories() throws {
        let received = EventChange.Received(number: "260413001", intake: F.intake(), mentionedStaff: [F.handler.id])
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(received)) as! [String: Any]
        #expect(json["mentionedStaff"] != nil)
        json["mentionedStaff"] = nil
        let older = try JSONDecoder().decode(
            EventChange.Received.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(older.mentionedStaff.isEmpty)
        #expect(older.intake == received.intake)
    }

    @Test(
        "What staff write to the customer carries no colleague's name",
        arguments: [
            ("王芳明天上门更换电容", "工作人员明天上门更换电容"),
            ("wangfang will call, then John Smith visits", "工作人员 will call, then 工作人员 visits"),
            // Too short to tell from ordinary words, as when finding mentions.
            ("the lights were fixed by Li", "the lights were fixed by Li"),
            ("赵先生的订单已退款", "赵先生的订单已退款"),
        ])
    func redacted(text: String, expected: String) {
        #expect(StaffMentions.redact(text, among: Self.directory, with: "工作人员") == expected)
    }
}
