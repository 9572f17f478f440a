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

    @Test("A name typed on the intake form is put to the supervisor, who confirms it on the complaint page")
    func mentionConfirmedOnThePage() async throws {
        try await withServer(.sqlite) { server in
            let agent = WebBrowser(server)
            _ = try await agent.signIn(Staff.agent)
            let form = try await agent.get("/intake")
            #expect(form.contains("客户对被投诉人的描述"))
            let key = try #require(form.inputValue("submissionKey"))
            let fields: [(String, String)] = [
                ("channel", "phone"), ("customer.name", "周女士"), ("customer.phone", "13800138001"),
                ("subject", "安装师傅态度恶劣"), ("description", "安装时摔坏了墙角，还说是我家墙不结实。"),
                ("complainedAboutText", "姓王的女师傅，好像叫王芳"), ("submissionKey", key),
            ]
            let saved = try await agent.post("/intake", fields)
            #expect(saved.status == .seeOther)
            let number = try #require(saved.location?.split(separator: "/").last?.split(separator: "?").first)
            var complaint = try await server.complaint(String(number), as: Staff.agent)
            #expect(complaint.complainedAboutText == "姓王的女师傅，好像叫王芳")
            #expect(complaint.staffMentions?.map(\.status) == ["unconfirmed"])
            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            complaint = try await server.perform("decide-validity", on: complaint, as: Staff.agent, ["valid": true])

            let supervisor = WebBrowser(server)
            _ = try await supervisor.signIn(Staff.supervisor)
            let page = try await supervisor.get("/complaints/\(number)")
            #expect(page.contains("待主管确认：客户的描述提到了员工 王芳。"))
            #expect(page.contains("action-confirm_mention"))
            let answered = try await supervisor.post(
                "/complaints/\(number)/actions/confirm_mention",
                [
                    ("version", "\(complaint.version)"), ("user", Staff.handler), ("concerned", "yes"),
                    ("note", "客户电话确认"),
                ])
            #expect(answered.status == .seeOther)
            let after = try await supervisor.get("/complaints/\(number)")
            #expect(!after.contains("待主管确认：客户的描述提到了员工"))
            #expect(after.contains("已确认为被投诉人（回避）"))
            #expect(after.contains("确认被提及员工"), "the answer is in the timeline")
            #expect(
                try await server.complaint(String(number), as: Staff.agent).staffMentions?.map(\.status) == [
                    "concerned"
                ])
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
