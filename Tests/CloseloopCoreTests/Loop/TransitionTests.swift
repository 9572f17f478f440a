import Foundation
import Testing

@testable import CloseloopCore

@Suite("Every other arrow of the SPEC §4 diagram")
struct TransitionTests {
    typealias F = LoopFixtures

    // MARK: Validity

    @Test("An invalid complaint is closed as invalid with its reason, and still counts as closed")
    func invalidIsClosed() throws {
        var story = try ComplaintStory.reaching(.received)
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        let events = try story.perform(
            .decideValidity(valid: false, reason: "产品已过三年保修期"),
            by: .staff(F.agent),
            at: "2026-04-13T09:30:00+08:00"
        )
        #expect(events.map(\.change) == [.validityDecided(.init(valid: false, reason: "产品已过三年保修期"))])
        #expect(story.complaint.state == .closed)
        #expect(story.complaint.resolution == .invalid)
        #expect(story.complaint.closedAt == F.instant("2026-04-13T09:30:00+08:00"))
    }

    @Test("Judging a complaint invalid needs a reason", arguments: ["", "   \n"])
    func invalidNeedsReason(reason: String) throws {
        var story = try ComplaintStory.reaching(.received)
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        let error = story.error(of: .decideValidity(valid: false, reason: reason), by: .staff(F.agent))
        #expect(error == .validation([.required("reason")]))
        #expect(error?.code == "validation.failed")
    }

    @Test("Validity cannot be judged before completeness is checked")
    func validityNeedsCompleteness() throws {
        let story = try ComplaintStory.reaching(.received)
        let error = story.error(of: F.sample(.decideValidity, now: story.nextInstant), by: .staff(F.agent))
        #expect(error == .missingPrerequisite(action: .decideValidity, prerequisite: "check_completeness"))
        #expect(error?.code == "action.missing_prerequisite")
    }

    // MARK: Completeness

    @Test("An incomplete complaint waits for the customer's information, then is checked again")
    func incompleteWaitsForInformation() throws {
        var story = try ComplaintStory.reaching(.received)
        try story.perform(
            .checkCompleteness(complete: false, missing: [" 订单号 ", "", "破损照片"], note: "请补充"),
            by: .staff(F.agent)
        )
        #expect(story.complaint.state == .awaitingInformation)
        guard case .completenessChecked(let check) = story.history.last?.change else {
            Issue.record("no completeness check recorded")
            return
        }
        #expect(check.missing == ["订单号", "破损照片"])

        let photo = AttachmentReference(
            id: "a-1",
            fileName: "扶手.jpg",
            contentType: "image/jpeg",
            size: 204_800,
            sha256: "ab12"
        )
        try story.perform(.provideInformation(note: "订单号 SO-2026-04-0088", attachments: [photo]), by: .customer)
        #expect(story.complaint.state == .received)
        #expect(story.complaint.intake.attachments == [photo])
        #expect(!story.complaint.completenessConfirmed)

        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        try story.perform(F.sample(.decideValidity, now: story.nextInstant), by: .staff(F.agent))
        #expect(story.complaint.state == .validated)
    }

    @Test("An incomplete check must say what is missing; information must carry a note or an attachment")
    func completenessInputs() throws {
        let received = try ComplaintStory.reaching(.received)
        #expect(
            received.error(of: .checkCompleteness(complete: false, missing: ["  "], note: ""), by: .staff(F.agent))
                == .validation([.required("missing")])
        )
        let waiting = try ComplaintStory.reaching(.awaitingInformation)
        #expect(
            waiting.error(of: .provideInformation(note: " ", attachments: []), by: .customer)
                == .validation([.required("note")])
        )
    }

    // MARK: Requests

    @Test(
        "A request (inquiry, help, suggestion, venting) is answered directly and closed as answered",
        arguments: [ComplaintKind.inquiry, .help, .suggestion, .venting]
    )
    func requestAnswered(kind: ComplaintKind) throws {
        var story = try ComplaintStory(F.intake(kind: kind))
        try story.perform(
            .answerRequest(answer: "已解释：划痕属于正常木纹"),
            by: .staff(F.agent),
            at: "2026-04-13T09:40:00+08:00"
        )
        #expect(story.history.last?.change == .requestAnswered(.init(text: "已解释：划痕属于正常木纹")))
        #expect(story.complaint.state == .closed)
        #expect(story.complaint.resolution == .answered)
        #expect(story.complaint.closedAt == F.instant("2026-04-13T09:40:00+08:00"))
    }

    @Test(
        "A complaint proper cannot be answered as a request, in any state where requests can",
        arguments: [ComplaintState.received, .validated, .investigating]
    )
    func complaintIsNotARequest(state: ComplaintState) throws {
        let story = try ComplaintStory.reaching(state)
        let error = story.error(of: .answerRequest(answer: "已答复"), by: .staff(F.everything))
        #expect(error == .wrongState(action: .answerRequest, state: state))
        #expect(error?.code == "action.wrong_state")
    }

    // MARK: Approval and the customer's answer

    @Test("A rejected approval sends the proposal back to investigating; a rejection needs a comment")
    func approvalRejected() throws {
        var story = try ComplaintStory.reaching(.awaitingApproval)
        #expect(
            story.error(of: .decideApproval(approved: false, comment: ""), by: .staff(F.departmentManager))
                == .validation([.required("comment")])
        )
        try story.perform(.decideApproval(approved: false, comment: "补偿过高，改为维修"), by: .staff(F.departmentManager))
        #expect(story.complaint.state == .investigating)
        #expect(story.history.last?.change == .approvalDecided(.init(approved: false, comment: "补偿过高，改为维修")))
    }

    @Test("An approved proposal goes to the customer")
    func approvalApproved() throws {
        var story = try ComplaintStory.reaching(.awaitingApproval)
        try story.perform(.decideApproval(approved: true, comment: "同意"), by: .staff(F.departmentManager))
        #expect(story.complaint.state == .proposed)
    }

    @Test("The customer rejecting the proposal returns it to investigating with the customer's words")
    func customerRejects() throws {
        var story = try ComplaintStory.reaching(.proposed)
        #expect(
            story.error(of: .respondToProposal(accepted: false, comment: " "), by: .customer)
                == .validation([.required("comment")])
        )
        try story.perform(.respondToProposal(accepted: false, comment: "只接受换新"), by: .customer)
        #expect(story.complaint.state == .investigating)
        #expect(story.history.last?.change == .customerResponded(.init(approved: false, comment: "只接受换新")))
        #expect(story.history.last?.actor.kind == .customer)
    }

    // MARK: Verification

    @Test(
        "Verification that is not both solved and satisfied reopens the analysis",
        arguments: [(true, false, 2), (false, true, 3), (false, false, 1)]
    )
    func notSatisfied(solved: Bool, satisfied: Bool, score: Int) throws {
        var story = try ComplaintStory.reaching(.verifying)
        try story.perform(
            .verify(solved: solved, satisfied: satisfied, score: score, note: "扶手仍有划痕"),
            by: .staff(F.agent)
        )
        #expect(story.complaint.state == .investigating)
        #expect(story.complaint.satisfaction == score)
    }

    @Test("After a rejection the loop runs again: a new proposal, new work, and the work's finish is forgotten")
    func loopRunsAgain() throws {
        var story = try ComplaintStory.reaching(.verifying)
        try story.perform(.verify(solved: false, satisfied: false, score: 1, note: "没修好"), by: .staff(F.agent))
        try story.advance(to: .executing)
        #expect(story.complaint.workFinishedAt == nil)
        try story.advance(to: .returnVisit)
        #expect(story.complaint.satisfaction == 5)
    }

    // MARK: Reopen

    @Test(
        "A complaint reopened within the window goes back to investigating with severity at least major",
        arguments: [
            (Severity.dissatisfied, Severity.major), (.veryDissatisfied, .major), (.major, .major), (.crisis, .crisis),
        ]
    )
    func reopenRaisesSeverity(initial: Severity, reopened: Severity) throws {
        var story = try ComplaintStory(F.intake(severity: initial))
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        try story.perform(F.sample(.decideValidity, now: story.nextInstant), by: .staff(F.agent))
        try story.perform(.assign(F.assignment(severity: initial)), by: .staff(F.supervisor))
        try story.advance(to: .closed)
        let closedAt = try #require(story.complaint.closedAt)
        let events = try story.workflow.apply(
            .reopen(reason: "扶手再次开裂"),
            to: story.complaint,
            by: .customer,
            at: closedAt.addingTimeInterval(30 * 86_400)
        )
        for event in events { story.complaint.apply(event) }
        #expect(events.map(\.change.type) == ["reopened"])
        #expect(story.complaint.state == .investigating)
        #expect(story.complaint.severity == reopened)
        #expect(story.complaint.reopenCount == 1)
        #expect(story.complaint.resolution == nil)
        #expect(story.complaint.closedAt == nil)
    }

    @Test("A complaint closed as invalid reopens to received, to be judged again")
    func reopenInvalid() throws {
        var story = try ComplaintStory.reaching(.received)
        try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        try story.perform(.decideValidity(valid: false, reason: "已过保"), by: .staff(F.agent))
        try story.perform(.reopen(reason: "保修卡显示仍在保内"), by: .customer)
        #expect(story.complaint.state == .received)
        #expect(story.complaint.reopenCount == 1)
    }

    /// Policy windows and how long after the close the customer comes back.
    static let lateReopens: [(windowDays: Int, secondsAfterClose: TimeInterval)] = [
        (30, 30 * 86_400 + 60), (30, 90 * 86_400), (7, 7 * 86_400 + 1), (0, 1),
    ]

    @Test("Reopening after the policy's window fails with reopen.window_passed", arguments: lateReopens)
    func reopenWindowPassed(windowDays: Int, secondsAfterClose: TimeInterval) throws {
        var policy = ServicePolicy.standard
        policy.reopenWindowDays = windowDays
        let story = try ComplaintStory.reaching(.closed, policy: policy)
        let closedAt = try #require(story.complaint.closedAt)
        let error = F.error { () throws(DomainError) in
            try story.workflow.apply(
                .reopen(reason: "又坏了"),
                to: story.complaint,
                by: .customer,
                at: closedAt.addingTimeInterval(secondsAfterClose)
            )
        }
        #expect(error == .reopenWindowPassed)
        #expect(error?.code == "reopen.window_passed")
    }

    @Test("Reopening needs a reason")
    func reopenNeedsReason() throws {
        let story = try ComplaintStory.reaching(.closed)
        #expect(story.error(of: .reopen(reason: ""), by: .customer) == .validation([.required("reason")]))
    }

    // MARK: Delays

    @Test("A delay request waits for an approver; approved or rejected, it is then settled", arguments: [true, false])
    func delayDecided(approved: Bool) throws {
        var story = try ComplaintStory.reaching(.investigating)
        let until = F.instant("2026-04-20T09:00:00+08:00")
        try story.perform(.requestDelay(reason: "客户出差，电话无人接听", until: until), by: .staff(F.agent))
        #expect(story.complaint.pendingDelay == EventChange.DelayRequested(reason: "客户出差，电话无人接听", until: until))
        #expect(
            story.error(of: .requestDelay(reason: "再延", until: until), by: .staff(F.agent))
                == .wrongState(action: .requestDelay, state: .investigating)
        )
        try story.perform(.decideDelay(approved: approved, comment: "已核实"), by: .staff(F.departmentManager))
        #expect(story.complaint.pendingDelay == nil)
        #expect(story.complaint.state == .investigating)
        #expect(story.history.last?.change == .delayDecided(.init(approved: approved, comment: "已核实")))
    }

    @Test("Deciding a delay when none is pending fails with delay.none_pending")
    func noPendingDelay() throws {
        let story = try ComplaintStory.reaching(.investigating)
        let error = story.error(of: .decideDelay(approved: true, comment: "同意"), by: .staff(F.departmentManager))
        #expect(error == .noPendingDelay)
        #expect(error?.code == "delay.none_pending")
    }

    @Test("Closing drops a delay request still pending")
    func closeDropsPendingDelay() throws {
        var story = try ComplaintStory.reaching(.awaitingCountersign)
        try story.perform(
            .requestDelay(reason: "等待客户签字", until: F.instant("2026-05-01T09:00:00+08:00")),
            by: .staff(F.agent)
        )
        try story.perform(F.sample(.close, now: story.nextInstant), by: .staff(F.supervisor))
        #expect(story.complaint.pendingDelay == nil)
    }

    // MARK: Along the way

    @Test("Reassigning to another department clears the handler; reclassifying changes only what is given")
    func reassignAndReclassify() throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(
            .reassign(department: F.logistics, owner: nil, handler: nil, reason: "破损系承运商责任"),
            by: .staff(F.supervisor)
        )
        #expect(story.complaint.department == F.logistics)
        #expect(story.complaint.handler == nil)
        #expect(story.complaint.owner == F.agent.id)
        try story.perform(
            .reclassify(category: nil, subcategory: nil, priority: .p1, severity: .major, reason: "客户投诉至消协"),
            by: .staff(F.supervisor)
        )
        #expect(story.complaint.priority == .p1)
        #expect(story.complaint.severity == .major)
        #expect(story.complaint.category == "delivery")
    }

    @Test("Contact attempts are counted; only reaching the customer sets the first contact")
    func contactAttempts() throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(.recordContact(outcome: .noAnswer, note: "无人接听"), by: .staff(F.agent))
        try story.perform(.recordContact(outcome: .wrongNumber, note: "空号"), by: .staff(F.agent))
        #expect(story.complaint.firstContactAt == nil)
        try story.perform(
            .recordContact(outcome: .reached, note: "已联系"),
            by: .staff(F.agent),
            at: "2026-04-13T10:00:00+08:00"
        )
        try story.perform(.recordContact(outcome: .reached, note: "再次联系"), by: .staff(F.agent))
        #expect(story.complaint.contactAttempts == 4)
        #expect(story.complaint.firstContactAt == F.instant("2026-04-13T10:00:00+08:00"))
    }

    @Test("Linking to a mass incident records the trimmed incident reference")
    func linkIncident() throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(.linkIncident(incident: " INC-2026-04-01 "), by: .staff(F.agent))
        #expect(story.complaint.incident == "INC-2026-04-01")
    }
}
