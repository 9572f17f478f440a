@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The loop through the complaint page's forms: each action a person may take now has a form, the server checks
/// roles and recusal whatever the page showed, and a refused form keeps what was typed.
@Suite("Web complaint page")
struct WebLoopTests {
    /// Signs `username` in and performs `action` on the complaint through its form.
    private func act(
        _ browser: WebBrowser, _ number: String, _ action: String, _ fields: [(String, String)]
    ) async throws -> WebBrowser.Page {
        let page = try await browser.get("/complaints/\(number)")
        let version = try #require(page.inputValue("version"))
        return try await browser.post(
            "/complaints/\(number)/actions/\(action)", [("version", version)] + fields)
    }

    @Test(
        "Intake to close through the pages, with an approval over the handler's authority",
        arguments: DatabaseKind.available)
    func wholeLoop(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let created = try await server.createComplaint()
            let number = created.number
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            var page = try await agent.get("/complaints/\(number)")
            #expect(page.contains("id=\"action-check_completeness\""))
            #expect(!page.contains("id=\"action-assign\""), "an agent is not offered the supervisor's assignment")
            page = try await act(agent, number, "check_completeness", [("complete", "yes")])
            #expect(page.status == .seeOther)
            page = try await agent.follow(page)
            #expect(page.contains("已完成：完整性校验"))
            #expect(try await act(agent, number, "decide_validity", [("valid", "yes")]).status == .seeOther)

            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let assigned = try await act(
                supervisor, number, "assign",
                [
                    ("category", "delivery.damage"), ("priority", "P1"), ("severity", "dissatisfied"),
                    ("department", "after_sales"), ("owner", Staff.agent), ("handler", Staff.handler),
                ])
            #expect(assigned.status == .seeOther)
            var record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.category == "delivery")
            #expect(record.complaint.subcategory == "delivery.damage")
            #expect(record.complaint.handler == UserID(Staff.handler))

            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            #expect(
                try await act(
                    handler, number, "submit_analysis",
                    [
                        ("problemType", "安装问题"), ("rootCause", "process_gap"), ("findings", "冷媒未加注"),
                        ("suggestedSolution", "上门加注并补偿"),
                    ]
                ).status == .seeOther)
            #expect(
                try await act(
                    handler, number, "propose_solution",
                    [
                        ("types", "repair"), ("types", "compensation"), ("description", "上门维修并补偿"),
                        ("compensation", "800"),
                    ]
                ).status == .seeOther)
            record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.state == .awaitingApproval)
            #expect(record.complaint.proposal?.requiredApprover == .departmentManager)

            // The manager finds it in their approvals queue; the handler does not.
            let manager = WebBrowser(server)
            try await manager.signIn(Staff.manager)
            #expect(try await manager.get("/queue?view=approvals").contains(number))
            #expect(!(try await handler.get("/queue?view=approvals").contains(number)))
            #expect(try await act(manager, number, "decide_approval", [("approved", "yes")]).status == .seeOther)

            #expect(
                try await act(agent, number, "respond_to_proposal", [("accepted", "yes"), ("comment", "客户同意")])
                    .status == .seeOther)
            let evidence = WebBrowser.Upload(
                field: "files", name: "现场照片.png", type: "image/png", bytes: [0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
            page = try await handler.get("/complaints/\(number)")
            let version = try #require(page.inputValue("version"))
            let progress = try await handler.post(
                "/complaints/\(number)/actions/record_progress",
                [("version", version), ("note", "已上门维修"), ("workFinished", "1")], files: [evidence])
            #expect(progress.status == .seeOther)
            page = try await handler.follow(progress)
            #expect(page.contains("现场照片.png"))
            #expect(try await act(handler, number, "return_result", [("summary", "维修完成，制冷正常")]).status == .seeOther)
            #expect(
                try await act(
                    agent, number, "verify", [("solved", "yes"), ("satisfied", "yes"), ("score", "5")]
                ).status == .seeOther)
            #expect(try await act(agent, number, "record_return_visit", [("notes", "客户表示满意")]).status == .seeOther)
            #expect(try await act(supervisor, number, "close", [("note", "会签")]).status == .seeOther)
            record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.state == .closed)
            #expect(record.complaint.satisfaction == 5)
            let closed = try await supervisor.get("/complaints/\(number)")
            #expect(closed.contains("已结案"))
            #expect(closed.contains("上门维修并补偿"))
        }
    }

    @Test("A refused form shows what is wrong beside the field and keeps everything typed")
    func validationKeepsInput() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(
                try await act(agent, created.number, "check_completeness", [("complete", "yes")]).status == .seeOther)
            let page = try await act(
                agent, created.number, "decide_validity", [("valid", "no"), ("reason", "  ")])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("请修正下面标出的问题后再提交"))
            #expect(page.contains("id=\"action-decide_validity\" open>"))
            #expect(page.contains("class=\"field-error\""))
            let note = try await act(
                agent, created.number, "request_delay", [("reason", "客户出差，下周才能联系"), ("until", "不是日期")])
            #expect(note.status == .unprocessableContent)
            #expect(note.textarea(id: "f-request_delay-reason") == "客户出差，下周才能联系")
            #expect(note.contains("请选择日期和时间"))
            let record = try #require(try await server.services.store.record(number: created.number))
            #expect(record.complaint.version == 2)
        }
    }

    @Test("A form submitted after someone else changed the complaint is refused and keeps the text")
    func staleVersion() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let page = try await agent.get("/complaints/\(created.number)")
            let staleVersion = try #require(page.inputValue("version"))
            _ = try await server.perform("add-note", on: created, as: Staff.otherAgent, ["text": "另一位客服的备注"])
            let refused = try await agent.post(
                "/complaints/\(created.number)/actions/add_note",
                [("version", staleVersion), ("text", "我写了很长的备注")])
            #expect(refused.status == .conflict)
            #expect(refused.contains("该投诉已被他人更新"))
            #expect(refused.textarea(id: "f-add_note-text") == "我写了很长的备注")
        }
    }

    @Test(
        "The employee complained about sees no forms, and posting one anyway is refused",
        arguments: DatabaseKind.available)
    func recusal(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let created = try await server.createComplaint([
                "subject": "维修师傅态度恶劣", "complainedAboutUser": Staff.handler,
            ])
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            let page = try await handler.get("/complaints/\(created.number)")
            #expect(page.status == .ok)
            #expect(page.contains("按回避规则"))
            #expect(!page.contains("<details class=\"action\""))
            let forced = try await handler.post(
                "/complaints/\(created.number)/actions/add_note", [("version", "1"), ("text", "我没有")])
            #expect(forced.status == .forbidden)
            let record = try #require(try await server.services.store.record(number: created.number))
            #expect(record.complaint.version == 1)
        }
    }

    @Test("Contact details are masked until a role that needs them reveals them, and each reveal is logged")
    func revealIsLogged() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let before = try await server.services.store.personalDataViews(of: ComplaintID(created.id)).count
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let masked = try await agent.get("/complaints/\(created.number)")
            #expect(masked.contains("138****8001"))
            #expect(!masked.contains("13800138001"))
            let revealed = try await agent.post("/complaints/\(created.number)/reveal", [])
            #expect(revealed.contains("13800138001"))
            let views = try await server.services.store.personalDataViews(of: ComplaintID(created.id))
            #expect(views.count == before + 1)
            #expect(views.last?.user == UserID(Staff.agent))
            #expect(views.last?.purpose == "web view")

            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            let page = try await quality.get("/complaints/\(created.number)")
            #expect(!page.contains("/reveal"))
            let tried = try await quality.post("/complaints/\(created.number)/reveal", [])
            #expect(!tried.contains("13800138001"))
            #expect(try await server.services.store.personalDataViews(of: ComplaintID(created.id)).count == before + 1)
        }
    }

    @Test("Pages need a signed-in member of staff with a role")
    func access() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let anonymous = WebBrowser(server)
            let page = try await anonymous.get("/complaints/\(created.number)")
            #expect(page.status == .seeOther)
            #expect(page.location?.hasPrefix("/login?next=") == true)
            let roleless = WebBrowser(server)
            try await roleless.signIn(Staff.roleless)
            #expect(try await roleless.get("/complaints/\(created.number)").status == .forbidden)
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let admin = try await agent.get("/admin/users")
            #expect(admin.status == .forbidden)
            #expect(admin.contains("无权访问"))
            #expect(try await agent.get("/complaints/999999999").status == .notFound)
        }
    }
}
