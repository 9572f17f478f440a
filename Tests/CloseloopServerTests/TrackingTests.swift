import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The customer's side: `POST /track` with the complaint number and the phone it was filed with, no login.
@Suite("Customer tracking")
struct TrackingTests {
    @Test(
        "The right number and phone, however formatted, show progress in plain words",
        arguments: DatabaseKind.available,
        ["13800138001", "+86 138-0013-8001", "138 0013 8001", "+86 (138) 0013 8001", "+8613800138001"])
    func progress(kind: DatabaseKind, phone: String) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let chinese = try await server.track(["number": complaint.number, "phone": phone])
                .expect(.ok, TrackedBody.self)
            #expect(chinese.number == complaint.number)
            #expect(chinese.state == "received")
            #expect(chinese.stateText == "我们已收到您的投诉，正在核实")
            #expect(chinese.subject == "新装空调不制冷")
            #expect(chinese.steps.map(\.text) == ["已受理您的投诉，单号 \(complaint.number)"])
            #expect(chinese.steps.first?.at == Instants.wednesdayMorning)
            #expect(!chinese.canRespondToProposal)
            #expect(!chinese.canConfirmResult)

            let english = try await server.track(
                ["number": " \(complaint.number) ", "phone": phone], language: "en-US,en;q=0.9,zh;q=0.5"
            ).expect(.ok, TrackedBody.self)
            #expect(english.stateText == "We have your complaint and are checking it")
            #expect(english.steps.map(\.text) == ["Your complaint was received as number \(complaint.number)"])
        }
    }

    @Test("A wrong phone and an unknown number get the same 404", arguments: DatabaseKind.available)
    func notFound(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let wrongPhone = try await server.track(["number": complaint.number, "phone": "13900139002"])
                .problem(.notFound)
            let unknownNumber = try await server.track(["number": "260408999", "phone": "13800138001"])
                .problem(.notFound)
            let emptyPhone = try await server.track(["number": complaint.number, "phone": "   "]).problem(.notFound)
            #expect(wrongPhone.code == "complaint.not_found")
            #expect(unknownNumber.code == wrongPhone.code)
            #expect(unknownNumber.detail == wrongPhone.detail)
            #expect(emptyPhone.code == wrongPhone.code)
            // The customer's actions are refused the same way.
            let respond = try await server.track(
                ["number": complaint.number, "phone": "13900139002", "accepted": true], path: "/respond")
            #expect(try respond.problem(.notFound).code == "complaint.not_found")
            let confirm = try await server.track(
                ["number": complaint.number, "phone": "13900139002", "solved": true, "satisfied": true],
                path: "/confirm")
            #expect(try confirm.problem(.notFound).code == "complaint.not_found")
        }
    }

    @Test("No internal note, staff name or approval detail reaches the customer", arguments: DatabaseKind.available)
    func noLeaks(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await server.reaching("investigating", assignment: ["priority": "P1"])
            complaint = try await server.perform(
                "add-note", on: complaint, as: Staff.supervisor, ["text": "机密：该客户曾多次索赔", "internal": true])
            complaint = try await server.perform(
                "add-note", on: complaint, as: Staff.agent, ["text": "已电话安抚客户", "internal": false])
            complaint = try await server.perform(
                "record-contact", on: complaint, as: Staff.agent, ["outcome": "reached", "note": "客户情绪激动"])
            complaint = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "安装问题", "rootCause": "staff_behaviour", "findings": "安装师傅漏装排水管"])
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["compensation"], "description": "补偿 800 元", "compensation": "800"])
            #expect(complaint.state == "awaiting_approval")

            // While awaiting approval the customer sees only that it is being looked into.
            let waiting = try await server.track(["number": complaint.number, "phone": "13800138001"])
            let waitingBody = try waiting.expect(.ok, TrackedBody.self)
            #expect(waitingBody.stateText == "正在调查处理")
            #expect(waitingBody.proposal == nil)
            #expect(waitingBody.compensation == nil)
            #expect(!waitingBody.canRespondToProposal)

            complaint = try await server.perform(
                "decide-approval", on: complaint, as: Staff.manager, ["approved": true, "comment": "赵磊批准，控制成本"])
            let tracked = try await server.track(["number": complaint.number, "phone": "13800138001"])
            let body = try tracked.expect(.ok, TrackedBody.self)
            #expect(body.state == "proposed")
            #expect(body.proposal == "补偿 800 元")
            #expect(
                body.steps.map(\.text) == [
                    "已受理您的投诉，单号 \(complaint.number)", "投诉已确认受理", "已安排专人负责处理", "客服已与您联系",
                    "我们提出了处理方案，请确认",
                ])
            for response in [waiting, tracked] {
                for secret in ["机密", "该客户曾多次索赔", "已电话安抚客户", "客户情绪激动", "漏装排水管", "控制成本"] {
                    #expect(!response.text.contains(secret), "\(secret)")
                }
                for name in Staff.displayNames + [Staff.agent, Staff.handler, Staff.manager, Staff.supervisor] {
                    #expect(!response.text.contains(name), "\(name)")
                }
            }
        }
    }

    @Test("The country code written as (+86) or 0086 still finds the complaint", arguments: DatabaseKind.available)
    func otherCountryCodeForms(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            // PhoneKey.normalized strips the country code only when the text starts with "+86"; "(+86) 138…" and
            // "0086 138…", both common ways to write a mainland mobile, keep "86" in front and never match.
            for phone in ["(+86) 138 0013 8001", "0086 138 0013 8001"] {
                let response = try await server.track(["number": complaint.number, "phone": phone])
                #expect(response.status == .ok, "\(phone)")
            }
        }
    }

    @Test("A customer's rejection needs their reason", arguments: DatabaseKind.available)
    func rejectionNeedsReason(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.reaching("proposed")
            let problem = try await server.track(
                ["number": complaint.number, "phone": "13800138001", "accepted": false], path: "/respond"
            ).problem(.unprocessableContent)
            #expect(problem.code == "validation.failed")
            #expect(problem.fields == ["comment"])
            #expect(try await server.complaint(complaint.id, as: Staff.agent).state == "proposed")
        }
    }
}

extension TrackingTests {
    @Test("Guessing phones for one number is stopped after ten misses", arguments: DatabaseKind.available)
    func guessingIsStopped(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            for guess in 0..<10 {
                let miss = try await server.track(["number": complaint.number, "phone": "1390000\(1000 + guess)"])
                #expect(miss.status == .notFound)
            }
            // Even the right phone now waits until the window has passed.
            let blocked = try await server.track(["number": complaint.number, "phone": "13800138001"])
            #expect(try blocked.problem(.tooManyRequests).code == "auth.rate_limited")
        }
    }
}
