@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// Administration pages: users and roles, departments and settings, each change validated and audited.
@Suite("Web administration")
struct WebAdminTests {
    @Test(
        "An administrator creates a user who can then sign in; the change is in the audit log",
        arguments: DatabaseKind.available)
    func createUser(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            try await admin.get("/admin/users")
            let created = try await admin.post(
                "/admin/users",
                [
                    ("username", "xiaoli"), ("displayName", "小李"), ("password", "long-enough-password"),
                    ("department", "after_sales"), ("role.handler", "after_sales"), ("role.agent", ""),
                ])
            #expect(created.status == .seeOther)
            let user = try #require(try await server.services.store.user(username: "xiaoli"))
            #expect(user.grants == [RoleGrant(.handler, in: Staff.afterSales)])
            #expect(user.passwordHash != "long-enough-password")
            let newcomer = WebBrowser(server)
            #expect(try await newcomer.signIn("xiaoli", password: "long-enough-password").status == .ok)
            let audit = try await admin.get("/admin/audit")
            #expect(audit.contains("新建用户"))
            #expect(audit.contains("xiaoli"))
        }
    }

    @Test("Bad user input is reported field by field and nothing is saved")
    func invalidUser() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            try await admin.get("/admin/users")
            let page = try await admin.post(
                "/admin/users", [("username", Staff.agent), ("displayName", ""), ("password", "short")])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("该用户名已存在"))
            #expect(page.contains("密码至少 10 个字符"))
            #expect(try await server.services.store.users().count == Staff.roster.count)
        }
    }

    @Test("Deactivating a user ends their sessions at once")
    func deactivate() async throws {
        try await withServer(.sqlite) { server in
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            try await admin.get("/admin/users/\(Staff.agent)")
            let saved = try await admin.post(
                "/admin/users/\(Staff.agent)",
                [("displayName", "张伟"), ("department", "call_centre"), ("language", "zh-Hans"), ("role.agent", "*")])
            #expect(saved.status == .seeOther)
            #expect(try await admin.follow(saved).contains("已保存"))
            #expect(try await agent.get("/queue").status == .seeOther)
            #expect(try await WebBrowser(server).signIn(Staff.agent).status == .unauthorized)
        }
    }

    @Test("An administrator cannot lock themselves out")
    func keepOwnAdmin() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            try await admin.get("/admin/users/\(Staff.admin)")
            let page = try await admin.post(
                "/admin/users/\(Staff.admin)", [("displayName", "系统管理员"), ("language", "zh-Hans"), ("active", "1")])
            #expect(page.status == .unprocessableContent)
            let user = try #require(try await server.services.store.user(username: Staff.admin))
            #expect(user.grants == [RoleGrant(.administrator)])
        }
    }

    @Test(
        "A policy with a bad limit is refused with the reason; a good one applies at once",
        arguments: DatabaseKind.available)
    func policy(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let form = try await admin.get("/admin/policy")
            #expect(form.inputValue("p.P1.firstResponse") == "4h")
            var fields = Self.fields(of: form)
            fields = fields.map { $0.0 == "p.P1.firstResponse" ? ($0.0, "four hours") : $0 }
            let refused = try await admin.post("/admin/policy", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("four hours"))
            #expect(await server.services.settings.current().policy == .standard)

            fields = fields.map { $0.0 == "p.P1.firstResponse" ? ($0.0, "2h") : $0 }
            let saved = try await admin.post("/admin/policy", fields)
            #expect(saved.location == "/admin/policy?saved=1")
            let policy = await server.services.settings.current().policy
            #expect(policy.priorities[.p1]?.firstResponse == .hours(2))
            #expect(policy.severities == ServicePolicy.standard.severities)
            #expect(policy.authority == ServicePolicy.standard.authority)
            #expect(try await server.services.store.setting(LoopSettings.policyKey, as: ServicePolicy.self) == policy)
            #expect(try await admin.get("/admin/audit").contains("修改时效与等级"))
        }
    }

    @Test("Categories, calendar, authority and templates round-trip through their pages unchanged")
    func settingsRoundTrip() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            for section in ["categories", "calendar", "authority", "templates"] {
                let form = try await admin.get("/admin/\(section)")
                #expect(form.status == .ok, "\(section)")
                let saved = try await admin.post("/admin/\(section)", Self.fields(of: form))
                #expect(saved.status == .seeOther, "\(section)")
                #expect(try await admin.follow(saved).contains("已保存"), "\(section)")
            }
            let settings = server.services.settings
            #expect(await settings.categories() == .standard)
            #expect(await settings.current().calendar == .chinaMainland)
            #expect(await settings.current().policy.authority == .standard)
            #expect(await settings.messageTemplates() == .standard)
        }
    }

    @Test("A new category appears in the supervisor's assignment form at once")
    func categoryEdit() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let form = try await admin.get("/admin/categories")
            let text = try #require(form.textarea("text")) + "\ninstallation | 安装问题 | installation"
            #expect(try await admin.post("/admin/categories", [("text", text)]).status == .seeOther)
            let broken = try await admin.post("/admin/categories", [("text", "orphan.child | 孤儿 | orphan")])
            #expect(broken.status == .unprocessableContent)
            #expect(await server.services.settings.categories().category("installation") != nil)

            let complaint = try await server.reaching("validated")
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            #expect(try await supervisor.get("/complaints/\(complaint.number)").contains("安装问题"))
        }
    }

    @Test("A calendar with a bad date names the line")
    func calendarError() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let form = try await admin.get("/admin/calendar")
            let fields = Self.fields(of: form).map { $0.0 == "makeUp" ? ($0.0, "2026-02-30") : $0 }
            let page = try await admin.post("/admin/calendar", fields)
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("2026-02-30"))
            #expect(await server.services.settings.current().calendar == .chinaMainland)
        }
    }

    /// Every input, checked box, selected option and textarea of a page's main form, as a browser would send it.
    static func fields(of page: WebBrowser.Page) -> [(String, String)] {
        let html = page.html
        var fields: [(String, String)] = []
        guard let formStart = html.range(of: "<form method=\"post\" action=\"/admin/")?.lowerBound else { return [] }
        let form = String(html[formStart...])
        for tag in WebBrowser.Page.tags("input", in: form) {
            guard let name = WebBrowser.Page.attribute("name", in: tag), name != "_csrf" else { continue }
            let type = WebBrowser.Page.attribute("type", in: tag) ?? "text"
            if type == "checkbox" || type == "radio" {
                if tag.contains(" checked") {
                    fields.append((name, WebBrowser.Page.attribute("value", in: tag) ?? "on"))
                }
            } else if type != "file" {
                fields.append((name, WebBrowser.Page.unescape(WebBrowser.Page.attribute("value", in: tag) ?? "")))
            }
        }
        var rest = form[...]
        while let open = rest.range(of: "<textarea ") {
            let tagEnd = rest[open.upperBound...].range(of: ">")!
            let tag = String(rest[open.lowerBound..<tagEnd.upperBound])
            let close = rest[tagEnd.upperBound...].range(of: "</textarea>")!
            if let name = WebBrowser.Page.attribute("name", in: tag) {
                fields.append((name, WebBrowser.Page.unescape(String(rest[tagEnd.upperBound..<close.lowerBound]))))
            }
            rest = rest[close.upperBound...]
        }
        for select in form.components(separatedBy: "<select ").dropFirst() {
            guard let name = WebBrowser.Page.attribute("name", in: "<select " + select) else { continue }
            let body = select.components(separatedBy: "</select>")[0]
            for option in WebBrowser.Page.tags("option", in: body) where option.contains(" selected") {
                fields.append((name, WebBrowser.Page.attribute("value", in: option) ?? ""))
            }
        }
        return fields
    }
}
