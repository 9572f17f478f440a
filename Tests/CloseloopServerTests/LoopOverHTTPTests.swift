import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// SPEC §4 end to end over HTTP: every step taken by the role the SPEC names, approval climbing the authority chain,
/// the customer answering through the tracking API, and the history telling the whole story in order.
@Suite("The loop over HTTP")
struct LoopOverHTTPTests {
    @Test(
        "A complaint goes from intake to closed with the right people at each step", arguments: DatabaseKind.available)
    func wholeLoop(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Intake by an agent.
            var complaint = try await server.createComplaint()
            #expect(complaint.state == "received")
            #expect(complaint.version == 1)
            #expect(complaint.number.hasPrefix("260408"))
            #expect(
                complaint.actions == [
                    "check_completeness", "record_contact", "request_delay", "add_note", "link_incident", "merge",
                ])
            let track: [String: any Sendable] = ["number": complaint.number, "phone": "13800138001"]

            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            #expect(complaint.state == "received")
            #expect(complaint.actions.contains("decide_validity"))

            complaint = try await server.perform("decide-validity", on: complaint, as: Staff.agent, ["valid": true])
            #expect(complaint.state == "validated")
            #expect(complaint.actions == ["record_contact", "request_delay", "add_note", "link_incident", "merge"])
            #expect(try await server.complaint(complaint.id, as: Staff.supervisor).actions.contains("assign"))

            // The supervisor classifies and assigns.
            complaint = try await server.perform(
                "assign", on: complaint, as: Staff.supervisor,
                [
                    "category": "after_sales", "priority": "P1", "severity": "very_dissatisfied",
                    "department": "after_sales", "owner": Staff.agent, "handler": Staff.handler,
                ])
            #expect(complaint.state == "investigating")
            #expect(complaint.department == "after_sales")
            #expect(complaint.owner == Staff.agent)
            #expect(complaint.handler == Staff.handler)
            #expect(
                complaint.actions == [
                    "reassign", "reclassify", "record_contact", "request_delay", "add_note", "link_incident", "merge",
                ])

            // The handler investigates and proposes ¥3,000: beyond a handler's ¥200, a supervisor's ¥500 and a
            // department manager's ¥2,000, so it needs a vice-president.
            let handlerView = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(handlerView.actions == ["submit_analysis", "request_delay", "add_note"])
            complaint = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                [
                    "problemType": "产品质量", "rootCause": "hardware_fault", "technical": true,
                    "findings": "压缩机启动电容老化", "suggestedSolution": "更换电容并补偿",
                ])
            #expect(complaint.actions == ["submit_analysis", "propose_solution", "request_delay", "add_note"])
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["repair", "compensation"], "description": "免费更换电容并补偿 3000 元", "compensation": "3000"])
            #expect(complaint.state == "awaiting_approval")
            #expect(complaint.proposal?.requiredApprover == "vice_president")
            #expect(complaint.proposal?.compensation == "3000.00")
            #expect(complaint.actions == ["request_delay", "add_note"])

            // The department manager's authority does not reach it.
            let managerView = try await server.complaint(complaint.id, as: Staff.manager)
            #expect(!managerView.actions.contains("decide_approval"))
            let refused = try await server.act("decide-approval", on: complaint, as: Staff.manager, ["approved": true])
                .problem(.forbidden)
            #expect(refused.code == "approval.insufficient_authority")
            #expect(try await server.complaint(complaint.id, as: Staff.manager).version == complaint.version)

            // The vice-president approves.
            let vicePresidentView = try await server.complaint(complaint.id, as: Staff.vicePresident)
            // Management may put a complaint into an incident (they open incidents); merging stays the call centre's.
            #expect(vicePresidentView.actions == ["decide_approval", "add_note", "link_incident"])
            complaint = try await server.perform(
                "decide-approval", on: complaint, as: Staff.vicePresident, ["approved": true, "comment": "同意"])
            #expect(complaint.state == "proposed")

            // The customer sees the proposal and rejects it in their own words.
            var tracked = try await server.track(track).expect(.ok, TrackedBody.self)
            #expect(tracked.state == "proposed")
            #expect(tracked.canRespondToProposal)
            #expect(tracked.proposal == "免费更换电容并补偿 3000 元")
            #expect(tracked.compensation == "3000.00")
            tracked = try await server.track(
                track.merging(["accepted": false, "comment": "希望直接换新机"]) { $1 }, path: "/respond"
            ).expect(.ok, TrackedBody.self)
            #expect(tracked.state == "investigating")
            #expect(!tracked.canRespondToProposal)

            // A second proposal within the handler's own authority goes straight to the customer.
            complaint = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(complaint.state == "investigating")
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["replacement", "compensation"], "description": "更换整机并补偿 150 元", "compensation": "150"])
            #expect(complaint.state == "proposed")
            #expect(complaint.proposal?.requiredApprover == nil)
            tracked = try await server.track(track.merging(["accepted": true]) { $1 }, path: "/respond")
                .expect(.ok, TrackedBody.self)
            #expect(tracked.state == "executing")

            // Execution and the department's result.
            complaint = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(complaint.actions == ["record_progress", "request_delay", "add_note"])
            complaint = try await server.perform(
                "record-progress", on: complaint, as: Staff.handler, ["note": "已上门更换整机", "workFinished": true])
            complaint = try await server.perform(
                "return-result", on: complaint, as: Staff.handler, ["summary": "整机已更换，测试合格"])
            #expect(complaint.state == "verifying")

            // The customer confirms and rates it.
            tracked = try await server.track(track).expect(.ok, TrackedBody.self)
            #expect(tracked.canConfirmResult)
            tracked = try await server.track(
                track.merging(["solved": true, "satisfied": true, "score": 5]) { $1 }, path: "/confirm"
            ).expect(.ok, TrackedBody.self)
            #expect(tracked.state == "return_visit")
            #expect(tracked.satisfaction == 5)
            #expect(!tracked.canConfirmResult)

            // The owner's return visit and the supervisor's countersignature close it.
            complaint = try await server.complaint(complaint.id, as: Staff.agent)
            #expect(complaint.actions.contains("record_return_visit"))
            #expect(!complaint.actions.contains("close"))
            complaint = try await server.perform(
                "record-return-visit", on: complaint, as: Staff.agent, ["notes": "回访：客户确认新机运行正常"])
            #expect(complaint.state == "awaiting_countersign")
            #expect(
                try await server.act("close", on: complaint, as: Staff.agent).problem(.forbidden).code
                    == "action.not_allowed")
            complaint = try await server.complaint(complaint.id, as: Staff.supervisor)
            #expect(complaint.actions.contains("close"))
            complaint = try await server.perform("close", on: complaint, as: Staff.supervisor, ["note": "同意结案"])
            #expect(complaint.state == "closed")
            #expect(complaint.resolution == "resolved")
            #expect(complaint.satisfaction == 5)
            #expect(complaint.closedAt == Instants.wednesdayMorning)
            #expect(complaint.actions == ["reopen", "add_note", "write_case", "archive"])
            #expect(complaint.clocks.allSatisfy { $0.stoppedAt != nil })
            #expect(complaint.nextDueAt == nil)

            // Found by number as well as by id.
            #expect(try await server.complaint(complaint.number, as: Staff.agent).id == complaint.id)

            // The history lists every event, in order, with who did it.
            let history = try await server.send(.get, "/complaints/\(complaint.id)/history", as: Staff.quality)
                .expect(.ok, HistoryBody.self)
            #expect(history.events.map(\.sequence) == Array(1...complaint.version))
            #expect(
                history.events.map(\.type) == [
                    "received", "completeness_checked", "validity_decided", "assigned", "analysis_submitted",
                    "solution_proposed", "approval_decided", "customer_responded", "solution_proposed",
                    "customer_responded", "progress_recorded", "result_returned", "verified",
                    "return_visit_recorded", "closed",
                ])
            #expect(
                history.events.map { $0.actor.userId ?? $0.actor.kind } == [
                    Staff.agent, Staff.agent, Staff.agent, Staff.supervisor, Staff.handler, Staff.handler,
                    Staff.vicePresident, "customer", Staff.handler, "customer", Staff.handler, Staff.handler,
                    "customer", Staff.agent, Staff.supervisor,
                ])
        }
    }

    @Test("An invalid complaint is explained and closed with its reason", arguments: DatabaseKind.available)
    func invalidComplaint(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.createComplaint()
            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            let missingReason = try await server.act(
                "decide-validity", on: complaint, as: Staff.agent, ["valid": false]
            )
            .problem(.unprocessableContent)
            #expect(missingReason.code == "validation.failed")
            #expect(missingReason.fields == ["reason"])
            complaint = try await server.perform(
                "decide-validity", on: complaint, as: Staff.agent, ["valid": false, "reason": "产品已过保修期且属人为损坏"])
            #expect(complaint.state == "closed")
            #expect(complaint.resolution == "invalid")
            let tracked = try await server.track(["number": complaint.number, "phone": "13800138001"])
                .expect(.ok, TrackedBody.self)
            #expect(tracked.steps.last?.text.contains("产品已过保修期且属人为损坏") == true)
        }
    }

    @Test("A request (inquiry) is answered directly and closed", arguments: DatabaseKind.available)
    func answeredRequest(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.createComplaint(["kind": "inquiry", "subject": "咨询延保政策"])
            #expect(complaint.actions.contains("answer_request"))
            #expect(complaint.clock("request_answer") != nil)
            #expect(complaint.clock("resolution") == nil)
            complaint = try await server.perform(
                "answer-request", on: complaint, as: Staff.agent, ["answer": "延保两年 199 元"])
            #expect(complaint.state == "closed")
            #expect(complaint.resolution == "answered")
        }
    }

    /// A complaint taken through the loop to closed, with a proposal the handler may grant alone.
    static func closedComplaint(_ server: TestServer) async throws -> ComplaintBody {
        var complaint = try await server.reaching("verifying")
        let missingScore = try await server.act(
            "verify", on: complaint, as: Staff.agent, ["solved": true, "satisfied": true]
        ).problem(.unprocessableContent)
        #expect(missingScore.fields == ["score"])
        complaint = try await server.perform(
            "verify", on: complaint, as: Staff.agent, ["solved": true, "satisfied": true, "score": 4])
        complaint = try await server.perform("record-return-visit", on: complaint, as: Staff.agent, ["notes": "回访满意"])
        return try await server.perform("close", on: complaint, as: Staff.supervisor)
    }

    @Test(
        "A closed complaint reopens within the window, more severe, and not after it", arguments: DatabaseKind.available
    )
    func reopen(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await Self.closedComplaint(server)
            #expect(complaint.state == "closed")
            server.time.advance(by: 29 * 86_400)
            complaint = try await server.perform("reopen", on: complaint, as: Staff.agent, ["reason": "空调又不制冷了"])
            #expect(complaint.state == "investigating")
            #expect(complaint.severity == "major")
            #expect(complaint.resolution == nil)
            #expect(complaint.clock("resolution")?.stoppedAt == nil)

            var late = try await Self.closedComplaint(server)
            server.time.advance(by: 31 * 86_400)
            late = try await server.complaint(late.id, as: Staff.agent)
            let refused = try await server.act("reopen", on: late, as: Staff.agent, ["reason": "还是坏的"])
                .problem(.conflict)
            #expect(refused.code == "reopen.window_passed")
        }
    }

    @Test(
        "Quality writes the case up and archives it; an archived complaint takes no more actions",
        arguments: DatabaseKind.available)
    func caseLibraryAndArchive(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await Self.closedComplaint(server)
            complaint = try await server.perform(
                "write-case", on: complaint, as: Staff.quality,
                ["cause": "电容批次质量问题", "handling": "上门更换", "lesson": "加强来料检验", "prevention": "供应商整改"])
            complaint = try await server.perform("archive", on: complaint, as: Staff.quality)
            #expect(complaint.state == "archived")
            #expect(complaint.actions.isEmpty)
            let note = try await server.act("add-note", on: complaint, as: Staff.supervisor, ["text": "补充说明"])
            #expect(try note.problem(.conflict).code == "action.wrong_state")
            let handlerArchive = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(handlerArchive.actions.isEmpty)
        }
    }
}
