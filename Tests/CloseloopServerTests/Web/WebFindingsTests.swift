import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// What the outside test found through the pages (issue 11): the forms follow the same rules and statuses as the API.
@Suite("Web pages hold the same rules as the API")
struct WebFindingsTests {
    @Test("An action form without its version is refused as stale, never let past the optimistic lock")
    func versionRequired() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("investigating")
            let agent = WebBrowser(server)
            _ = try await agent.signIn(Staff.agent)
            let refused = try await agent.post(
                "/complaints/\(complaint.number)/actions/add_note", [("text", "没有版本号的备注"), ("internal", "1")])
            #expect(refused.status == .conflict)
            #expect(try await server.complaint(complaint.id, as: Staff.agent).version == complaint.version)
        }
    }

    @Test("An approval beyond one's authority is 403 on the page, as on the API")
    func insufficientAuthority() async throws {
        try await withServer(.sqlite) { server in
            var complaint = try await server.reaching("investigating")
            complaint = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "产品质量", "rootCause": "hardware_fault", "findings": "电容老化"])
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["compensation"], "description": "补偿 3000 元", "compensation": "3000"])
            #expect(complaint.state == "awaiting_approval")
            let api = try await server.act("decide-approval", on: complaint, as: Staff.manager, ["approved": true])
                .problem(.forbidden)
            #expect(api.code == "approval.insufficient_authority")
            let manager = WebBrowser(server)
            _ = try await manager.signIn(Staff.manager)
            let page = try await manager.post(
                "/complaints/\(complaint.number)/actions/decide_approval",
                [("version", "\(complaint.version)"), ("approved", "yes")])
            #expect(page.status == .forbidden)
            #expect(try await server.complaint(complaint.id, as: Staff.manager).state == "awaiting_approval")
        }
    }

    @Test("Users and departments follow the same rules on /admin as with the command-line tool")
    func oneRuleForStaff() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            _ = try await admin.signIn(Staff.admin)
            for username in ["Li Na", "LINA", "x", String(repeating: "a", count: 41)] {
                let page = try await admin.post(
                    "/admin/users",
                    [("username", username), ("displayName", "李娜"), ("password", "long-enough-password")])
                #expect(page.status == .unprocessableContent, "\(username)")
            }
            for id in ["After_Sales", "a", "售后"] {
                let page = try await admin.post("/admin/departments", [("id", id), ("zh", "部门"), ("en", "Dept")])
                #expect(page.status == .unprocessableContent, "\(id)")
            }
            #expect(try await server.services.staff.users().count == Staff.roster.count)
            #expect(try await server.services.staff.departments().count == Staff.departments.count)
            // The id of a user made on the page is their username, as with `closeloop user add`.
            let created = try await admin.post(
                "/admin/users", [("username", "lina"), ("displayName", "李娜"), ("password", "long-enough-password")])
            #expect(created.status == .seeOther)
            #expect(try await server.services.staff.user(username: "lina")?.id.rawValue == "lina")
        }
    }
}
