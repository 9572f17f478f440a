@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The administration of the webhook sources and WeChat accounts (issue 13): added, changed and removed on a page,
/// secrets never shown again (a new source's made secret shown once), and closed to everyone else.
@Suite("Web administration of the channels")
struct WebChannelsTests {
    @Test("A webhook source is added with a made secret shown once, posts with it, keeps it when edited, and goes")
    func webhookSource() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let empty = try await admin.get("/admin/channels")
            #expect(empty.status == .ok && empty.contains("接入渠道") && empty.contains("还没有接入来源。"))

            let refused = try await admin.post(
                "/admin/channels/webhooks/new",
                [("name", "Shop App"), ("secret", ""), ("channel", "im"), ("enabled", "on")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("must be 1–64 of a–z") && refused.inputValue("name") == "Shop App")

            let added = try await admin.post(
                "/admin/channels/webhooks/new",
                [
                    ("name", "shop-app"), ("secret", ""), ("channel", "im"), ("enabled", "on"),
                    ("department", "after_sales"), ("category", ""),
                ])
            #expect(added.status == .ok && added.contains("签名密钥只显示这一次"))
            let source = try #require(await server.services.settings.webhookSettings().sources.first)
            #expect(source.name == "shop-app" && source.department == Staff.afterSales && source.secret.count >= 16)
            #expect(added.contains(source.secret))

            // The made secret signs a customer's message.
            let posted = try await WebhookIntakeTests.post(server, WebhookIntakeTests.message, secret: source.secret)
            #expect(posted.status == .created)

            // Edited without a secret: the saved one is kept and never shown again.
            let form = try await admin.get("/admin/channels/webhooks/shop-app")
            #expect(
                form.contains("/api/v1/intake/webhook/shop-app") == false
                    && form.selected("department") == "after_sales")
            #expect(!form.contains(source.secret))
            let edited = try await admin.post(
                "/admin/channels/webhooks/shop-app",
                [("name", "shop-app"), ("secret", ""), ("channel", "api"), ("department", ""), ("category", "")])
            #expect(edited.status == .seeOther)
            let after = try #require(await server.services.settings.webhookSettings().sources.first)
            #expect(after.secret == source.secret && after.channel == .api && !after.enabled && after.department == nil)
            let overview = try await admin.get("/admin/channels")
            #expect(overview.contains("/api/v1/intake/webhook/shop-app") && !overview.contains(source.secret))
            #expect(overview.contains("新建投诉") && overview.contains("吴先生") == false)
            let audit = try await admin.get("/admin/audit")
            #expect(audit.contains("修改了 Webhook 来源") && !audit.contains(source.secret))

            #expect(try await admin.post("/admin/channels/webhooks/shop-app/delete", []).status == .seeOther)
            #expect(await server.services.settings.webhookSettings().sources.isEmpty)
            #expect(try await admin.get("/admin/channels/webhooks/shop-app").status == .notFound)

            let agent = WebBrowser(server)
            try await agent.signIn(Staff.supervisor)
            #expect(try await agent.get("/admin/channels").status == .forbidden)
            #expect(try await agent.get("/admin/channels/webhooks/new").status == .forbidden)
        }
    }

    @Test("A WeChat account is set up to send template messages; its token and AppSecret are kept and never shown")
    func weChatAccount() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let fields: [(String, String)] = [
                ("name", "shop"), ("enabled", "on"), ("appID", "wx5823bf96d3bd56c7"), ("templateID", "Kc3xq2oU"),
                ("field_number", "character_string1"), ("field_state", "thing2"), ("field_summary", ""),
                ("apiURL", ""),
            ]
            let noToken = try await admin.post(
                "/admin/channels/wechat/new", fields + [("token", ""), ("appSecret", "b1c7e3a9f0d24c6e")])
            #expect(noToken.status == .unprocessableContent && noToken.contains("3–32 letters and digits"))
            #expect(noToken.inputValue("field_state") == "thing2")
            let twice = try await admin.post(
                "/admin/channels/wechat/new",
                fields + [("token", "kefuToken2026"), ("appSecret", "b1c7e3a9f0d24c6e"), ("field_notice", "thing2")])
            #expect(twice.status == .unprocessableContent && twice.contains("模板字段 thing2 只能显示一项内容"))
            let added = try await admin.post(
                "/admin/channels/wechat/new", fields + [("token", "kefuToken2026"), ("appSecret", "b1c7e3a9f0d24c6e")])
            #expect(added.status == .seeOther)
            let account = try #require(await server.services.settings.weChatSettings().account(named: "shop"))
            #expect(account.sends && account.templateFields == ["character_string1": .number, "thing2": .state])
            let overview = try await admin.get("/admin/channels")
            #expect(overview.contains("/wechat/shop") && overview.contains("模板消息"))

            let form = try await admin.get("/admin/channels/wechat/shop")
            #expect(!form.contains("kefuToken2026") && !form.contains("b1c7e3a9f0d24c6e"))
            #expect(form.inputValue("field_number") == "character_string1")
            let resaved = try await admin.post(
                "/admin/channels/wechat/shop", fields + [("token", ""), ("appSecret", "")])
            #expect(resaved.status == .seeOther)
            let kept = try #require(await server.services.settings.weChatSettings().account(named: "shop"))
            #expect(kept.token == "kefuToken2026" && kept.appSecret == "b1c7e3a9f0d24c6e")
            // The server check answers with the kept token.
            let check = try await server.client.execute(
                uri: "/wechat/shop?\(WeChatIntakeTests.signedQuery(token: "kefuToken2026"))&echostr=42", method: .get)
            #expect(String(buffer: check.body) == "42")
        }
    }
}
