import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The defects an outside tester found through the API (issue 11), each tried again the same way.
@Suite("What the outside test found, refused")
struct OutsideTesterFindingsTests {
    @Test("The employee complained about is a staff id from the directory; names and unknown ids are refused")
    func recusalByDirectoryID() async throws {
        try await withServer(.sqlite) { server in
            for typed in ["王芳", "WangFang", " wangfang ", "nosuchuser"] {
                let problem = try await server.send(
                    .post, "/complaints", as: Staff.agent,
                    json: TestServer.complaintFields(["complainedAboutUser": typed])
                ).problem(.unprocessableContent)
                #expect(problem.fields == ["complainedAboutUser"], "\(typed)")
            }
            #expect(try await server.complaintCount() == 0)
            // Named by id, the recusal holds: she cannot be made the handler.
            let complaint = try await server.reaching("validated", ["complainedAboutUser": Staff.handler])
            let refused = try await server.act(
                "assign", on: complaint, as: Staff.supervisor,
                [
                    "category": "service", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                    "owner": Staff.agent, "handler": Staff.handler,
                ]
            ).problem(.unprocessableContent)
            #expect(refused.code == "assignment.recused")
        }
    }

    @Test("A staff member named in the customer's words waits for the supervisor before anyone may assign them")
    func namedInFreeText() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching(
                "validated", ["complainedAboutText": "上周来安装的王芳师傅态度很差", "description": "WangFang 说是我自己弄坏的"])
            #expect(complaint.complainedAboutUser == nil)
            #expect(complaint.complainedAboutText == "上周来安装的王芳师傅态度很差")
            #expect(complaint.staffMentions == [StaffMentionBody(user: Staff.handler, status: "unconfirmed")])
            let supervisorView = try await server.complaint(complaint.id, as: Staff.supervisor)
            #expect(supervisorView.actions.contains("confirm_mention"))
            #expect(!complaint.actions.contains("confirm_mention"), "an agent does not answer it")

            // Until the supervisor answers, she cannot be assigned, and an agent cannot answer for them.
            let assignment: [String: any Sendable] = [
                "category": "service", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                "owner": Staff.agent, "handler": Staff.handler,
            ]
            let early = try await server.act("assign", on: complaint, as: Staff.supervisor, assignment)
                .problem(.unprocessableContent)
            #expect(early.code == "assignment.mention_unconfirmed")
            #expect(early.detail.contains(Staff.handler))
            let byAgent = try await server.act(
                "confirm-mention", on: complaint, as: Staff.agent, ["user": Staff.handler, "concerned": true])
            #expect(try byAgent.problem(.forbidden).code == "action.not_allowed")
            let stranger = try await server.act(
                "confirm-mention", on: complaint, as: Staff.supervisor, ["user": Staff.otherAgent, "concerned": true]
            ).problem(.unprocessableContent)
            #expect(stranger.fields == ["user"])

            // Confirmed as the person complained about: recused, exactly as if chosen from the directory.
            let confirmed = try await server.perform(
                "confirm-mention", on: complaint, as: Staff.supervisor,
                ["user": Staff.handler, "concerned": true, "note": "客户电话确认是王芳"])
            #expect(confirmed.staffMentions == [StaffMentionBody(user: Staff.handler, status: "concerned")])
            let refused = try await server.act("assign", on: confirmed, as: Staff.supervisor, assignment)
                .problem(.unprocessableContent)
            #expect(refused.code == "assignment.recused")
            let herView = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(herView.actions.isEmpty)
            #expect(herView.personalDataMasked)

            // Cleared as someone else on another complaint: she may be assigned there.
            let other = try await server.reaching("validated", ["complainedAboutText": "王芳"])
            let cleared = try await server.perform(
                "confirm-mention", on: other, as: Staff.supervisor, ["user": Staff.handler, "concerned": false])
            let assigned = try await server.perform("assign", on: cleared, as: Staff.supervisor, assignment)
            #expect(assigned.handler == Staff.handler)
        }
    }

    @Test("Without a token nothing is validated or looked up: every caller gets the same 401")
    func authenticationFirst() async throws {
        try await withServer(.sqlite) { server in
            for owner in ["nosuchuser", Staff.handler] {
                let problem = try await server.send(
                    .post, "/complaints/x/assign", json: ["version": 1, "owner": owner, "department": "nowhere"]
                ).problem(.unauthorized)
                #expect(problem.code == "auth.required")
            }
            // A staff member without the role is refused before the body is looked at, too.
            let forbidden = try await server.send(
                .post, "/complaints", as: Staff.handler, json: ["channel": "fax"]
            ).problem(.forbidden)
            #expect(forbidden.code == "auth.forbidden")
        }
    }

    @Test("Received-at outside the live window, or an impossible date, is refused; numbers a century apart differ")
    func receivedAt() async throws {
        try await withServer(.sqlite) { server in
            for (text, code) in [
                ("1926-12-03T00:00:00Z", "too_old"), ("0001-01-01T00:00:00Z", "invalid_date"),
                ("2026-02-30T10:00:00+08:00", "invalid_date"), ("2026-04-07T24:00:00+08:00", "invalid_date"),
                ("2099-01-01T00:00:00Z", "in_future"),
            ] {
                let problem = try await server.send(
                    .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["receivedAt": text])
                ).problem(.unprocessableContent)
                #expect(problem.errors?.map(\.field) == ["receivedAt"], "\(text)")
                #expect(problem.errors?.first?.code == code, "\(text)")
            }
            #expect(try await server.complaintCount() == 0)
            let letter = try await server.createComplaint(["receivedAt": "2026-03-30T09:00:00+08:00"])
            #expect(letter.number == "260330001")
        }
    }

    @Test("The execution step is not skipped: a result needs progress that finished the work")
    func executionStep() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("proposed")
            let executing = try await server.perform(
                "respond-to-proposal", on: complaint, as: Staff.agent, ["accepted": true])
            let problem = try await server.act("return-result", on: executing, as: Staff.handler, ["summary": "好了"])
                .problem(.conflict)
            #expect(problem.code == "action.missing_prerequisite")
            #expect(try await server.complaint(executing.id, as: Staff.handler).state == "executing")
        }
    }

    @Test("Action bodies are held to the document's limits, with the field named")
    func actionLimits() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("investigating")
            let cases: [(String, String, [String: any Sendable], String)] = [
                ("add-note", Staff.agent, ["text": String(repeating: "a", count: 900_000)], "text"),
                ("link-incident", Staff.agent, ["incident": String(repeating: "I", count: 5_000)], "incident"),
                ("add-note", Staff.agent, ["text": "好\u{0}"], "text"),
                ("link-incident", Staff.agent, ["incident": "INC\n2"], "incident"),
                ("request-delay", Staff.agent, ["reason": "客户出国", "until": "9999-12-31T00:00:00Z"], "until"),
                (
                    "submit-analysis", Staff.handler,
                    [
                        "problemType": "x", "rootCause": "hardware_fault",
                        "findings": String(repeating: "y", count: 20_001),
                    ],
                    "findings"
                ),
            ]
            for (action, user, fields, field) in cases {
                let problem = try await server.act(action, on: complaint, as: user, fields)
                    .problem(.unprocessableContent)
                #expect(problem.fields == [field], "\(action) \(field)")
            }
            _ = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "x", "rootCause": "hardware_fault", "findings": "y"])
            let analysed = try await server.complaint(complaint.id, as: Staff.handler)
            for amount in ["9999999999999", " 100", "1e3", "-5"] {
                let problem = try await server.act(
                    "propose-solution", on: analysed, as: Staff.handler,
                    ["types": ["compensation"], "description": "补偿", "compensation": amount]
                ).problem(.unprocessableContent)
                #expect(problem.fields == ["compensation"], "\(amount)")
            }
            let search = try await server.send(
                .get, "/complaints?q=" + String(repeating: "a", count: 201), as: Staff.agent
            ).problem(.unprocessableContent)
            #expect(search.fields == ["q"])
            #expect(try await server.complaint(complaint.id, as: Staff.agent).version == analysed.version)
        }
    }

    @Test("A subject carrying control characters is refused; nothing is stored")
    func controlCharacters() async throws {
        try await withServer(.sqlite) { server in
            for subject in ["空调\u{0}不制冷", "\u{1B}[2J清屏", "响铃\u{7}"] {
                let problem = try await server.send(
                    .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(["subject": subject])
                ).problem(.unprocessableContent)
                #expect(problem.errors?.first?.code == "control_character")
            }
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test("The customer cannot confirm without their score")
    func confirmWithoutScore() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("verifying")
            let track: [String: any Sendable] = ["number": complaint.number, "phone": "13800138001"]
            let problem = try await server.track(
                track.merging(["solved": true, "satisfied": true]) { $1 }, path: "/confirm"
            ).problem(.unprocessableContent)
            #expect(problem.fields == ["score"])
            #expect(try await server.complaint(complaint.id, as: Staff.agent).state == "verifying")
        }
    }

    @Test("Methods the server does not serve are 405 with Allow, on the API and the pages")
    func unsupportedMethods() async throws {
        try await withServer(.sqlite) { server in
            for (method, path) in [
                (HTTPRequest.Method.trace, "/api/v1/complaints"), (.delete, "/api/v1/complaints/x"), (.put, "/queue"),
                (.trace, "/"),
            ] {
                let response = try await server.client.execute(uri: path, method: method, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] != nil)
            }
            let wrongMethod = try await server.client.execute(
                uri: "/api/v1/complaints/x/assign", method: .get, headers: [:], body: nil)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
        }
    }
}
