@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// SPEC §1: the employee complained about is recused (回避), and personal data is masked for roles that do not need
/// it.
@Suite("Recusal and personal data")
struct RecusalAndPrivacyTests {
    /// A complaint about the after-sales handler, checked and judged valid, ready for assignment.
    private func complaintAboutHandler(_ server: TestServer) async throws -> ComplaintBody {
        let complaint = try await server.reaching(
            "validated",
            ["subject": "维修师傅态度恶劣", "complainedAboutUser": Staff.handler, "complainedAboutDepartment": "after_sales"])
        #expect(complaint.complainedAboutUser == Staff.handler)
        return complaint
    }

    private static func assignment(owner: String, handler: String?) -> [String: any Sendable] {
        var fields: [String: any Sendable] = [
            "category": "service_attitude", "priority": "P1", "severity": "very_dissatisfied",
            "department": "after_sales", "owner": owner,
        ]
        if let handler { fields["handler"] = handler }
        return fields
    }

    @Test("The person complained about cannot be assigned", arguments: DatabaseKind.available)
    func cannotBeAssigned(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await complaintAboutHandler(server)
            for fields in [
                Self.assignment(owner: Staff.agent, handler: Staff.handler),
                Self.assignment(owner: Staff.handler, handler: nil),
            ] {
                let problem = try await server.act("assign", on: complaint, as: Staff.supervisor, fields)
                    .problem(.unprocessableContent)
                #expect(problem.code == "assignment.recused")
            }
            let unchanged = try await server.complaint(complaint.id, as: Staff.supervisor)
            #expect(unchanged.version == complaint.version)
            #expect(unchanged.state == "validated")
            #expect(unchanged.handler == nil)
        }
    }

    @Test(
        "The person complained about may not act on it and does not see internal notes",
        arguments: DatabaseKind.available)
    func recusedActions(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var complaint = try await complaintAboutHandler(server)
            complaint = try await server.perform(
                "assign", on: complaint, as: Staff.supervisor,
                Self.assignment(owner: Staff.agent, handler: Staff.logisticsHandler))
            complaint = try await server.perform(
                "add-note", on: complaint, as: Staff.supervisor,
                ["text": "内部备注：王芳此前已有两次类似投诉", "internal": true])
            complaint = try await server.perform(
                "add-note", on: complaint, as: Staff.supervisor, ["text": "已致电客户致歉", "internal": false])

            // The handler's department rights do not help: they are the person complained about.
            let recusedView = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(recusedView.actions.isEmpty)
            #expect(recusedView.personalDataMasked)
            let attempts: [(String, [String: any Sendable])] = [
                ("add-note", ["text": "我没有态度恶劣", "internal": true]),
                ("submit-analysis", ["problemType": "服务态度", "rootCause": "staff_behaviour", "findings": "客户误会"]),
                ("request-delay", ["reason": "联系不上客户", "until": Instants.text(Instants.wednesdayMorning + 86_400)]),
                ("record-contact", ["outcome": "reached"]),
            ]
            for (action, fields) in attempts {
                let problem = try await server.act(action, on: complaint, as: Staff.handler, fields).problem(.forbidden)
                #expect(problem.code == "complaint.recused", "\(action)")
            }
            #expect(try await server.complaint(complaint.id, as: Staff.supervisor).version == complaint.version)

            // The history hides the internal note from them, and only from them.
            let hidden = try await server.send(.get, "/complaints/\(complaint.id)/history", as: Staff.handler)
            #expect(hidden.status == .ok)
            #expect(!hidden.text.contains("王芳此前已有两次类似投诉"))
            #expect(hidden.text.contains("已致电客户致歉"))
            #expect(try hidden.decode(HistoryBody.self).events.filter { $0.type == "note_added" }.count == 1)

            let visible = try await server.send(.get, "/complaints/\(complaint.id)/history", as: Staff.logisticsHandler)
            #expect(visible.text.contains("王芳此前已有两次类似投诉"))
            #expect(try visible.decode(HistoryBody.self).events.filter { $0.type == "note_added" }.count == 2)
        }
    }

    @Test("Every view of unmasked personal data is logged, and only those", arguments: DatabaseKind.available)
    func viewsAreLogged(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let id = ComplaintID(complaint.id)
            server.time.advance(by: 60)
            _ = try await server.complaint(complaint.id, as: Staff.otherAgent)
            _ = try await server.complaint(complaint.id, as: Staff.handler)
            _ = try await server.complaint(complaint.id, as: Staff.quality)
            _ = try await server.send(.get, "/complaints", as: Staff.agent)
            let views = try await server.services.store.personalDataViews(of: id)
            // The intake's own answer is not a view: the received event already names the agent who typed it.
            #expect(views.map(\.user.rawValue) == [Staff.otherAgent])
            #expect(views.map(\.purpose) == ["view"])
            #expect(views.map(\.at) == [Instants.wednesdayMorning.addingTimeInterval(60)])
        }
    }

    @Test(
        "A handler sees the customer's phone masked; an agent and the owner see it in full",
        arguments: DatabaseKind.available)
    func maskedPersonalData(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.reaching("investigating")
            // The supervisor who assigned it sees the customer's contact details in full.
            #expect(!complaint.personalDataMasked)
            #expect(complaint.customer.phone == "13800138001")
            #expect(complaint.customer.email == "zhou@example.com")

            let handlerView = try await server.complaint(complaint.id, as: Staff.handler)
            #expect(handlerView.personalDataMasked)
            #expect(handlerView.customer.phone == "138****8001")
            #expect(handlerView.customer.email == "z***@example.com")
            #expect(handlerView.customer.name == "周女士")

            // The department manager, quality and approvers do not need it either.
            for user in [Staff.manager, Staff.quality, Staff.vicePresident] {
                let raw = try await server.send(.get, "/complaints/\(complaint.id)", as: user)
                #expect(!raw.text.contains("13800138001"), "\(user)")
                #expect(try raw.decode(ComplaintBody.self).personalDataMasked, "\(user)")
            }
            for user in [Staff.agent, Staff.otherAgent, Staff.supervisor] {
                let view = try await server.complaint(complaint.id, as: user)
                #expect(!view.personalDataMasked, "\(user)")
                #expect(view.customer.phone == "13800138001", "\(user)")
            }
            // Lists mask contact details for everyone; the full number is shown only on opening one complaint.
            for user in [Staff.agent, Staff.supervisor, Staff.handler, Staff.manager] {
                let list = try await server.send(.get, "/complaints", as: user).expect(.ok, ComplaintListBody.self)
                #expect(list.items.first?.customer.phone == "138****8001", "\(user)")
                let full = try await server.send(.get, "/complaints?view=full", as: user)
                    .expect(.ok, FullListBody.self)
                #expect(full.items.first?.customer.phone == "138****8001", "\(user)")
                #expect(full.items.first?.personalDataMasked == true, "\(user)")
            }
        }
    }
}
