@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The mail intake's administration page: the mailbox settings (the password never shown again), its status, and
/// every received mail with the quarantine's reasons, a retry and the raw message; closed to everyone else.
@Suite("Web administration of the mail intake")
struct WebMailboxTests {
    @Test("An administrator sets the mailbox, sees what arrived, retries the quarantine and downloads a raw message")
    func mailboxPage() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let raw = Data("Subject: broken\r\nMessage-ID: <w1@x>\r\n\r\nno sender here".utf8)
            let quarantined = try await server.services.mail.receive(raw, source: "pipe")
            let number = try #require(created.complaintNumber)

            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let page = try await admin.get("/admin/mailbox")
            #expect(page.status == .ok)
            #expect(page.contains("邮件受理") && page.contains("zhang.wei@example.cn") && page.contains(number))
            #expect(page.contains("隔离 (1)") && page.contains("no sender"))
            #expect(page.contains("closeloop mail receive"))

            let refused = try await admin.post(
                "/admin/mailbox",
                [
                    ("enabled", "on"), ("host", ""), ("port", "993"), ("security", "tls"), ("username", "kefu"),
                    ("password", "pw-1"), ("folder", "INBOX"), ("pollSeconds", "60"), ("maxMessageMB", "25"),
                    ("maxAttachmentMB", "10"),
                ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("the IMAP host is missing"))
            #expect(refused.contains(#"name="username" value="kefu""#))
            let fields: [(String, String)] = [
                ("enabled", "on"), ("host", "imap.exmail.qq.com"), ("port", "993"), ("security", "tls"),
                ("username", "kefu@shop.example.cn"), ("folder", "INBOX"), ("pollSeconds", "120"),
                ("maxMessageMB", "20"), ("maxAttachmentMB", "5"),
            ]
            #expect(try await admin.post("/admin/mailbox", fields + [("password", "s3cret!")]).status == .seeOther)
            // Saved again without a password: the stored one is kept, and never shown.
            #expect(try await admin.post("/admin/mailbox", fields).status == .seeOther)
            let settings = await server.services.settings.mailboxSettings()
            #expect(settings.password == "s3cret!" && settings.pollSeconds == 120)
            #expect(settings.maxAttachmentBytes == 5 << 20)
            let saved = try await admin.get("/admin/mailbox")
            #expect(!saved.contains("s3cret!"))
            let audit = try await admin.get("/admin/audit")
            #expect(audit.contains("修改了邮件受理设置") && !audit.contains("s3cret"))

            let download = try await admin.get("/admin/mailbox/messages/\(quarantined.id)/raw")
            #expect(download.status == .ok && download.html == String(decoding: raw, as: UTF8.self))
            #expect(download.headers[.contentType] == "message/rfc822")
            let retried = try await admin.post("/admin/mailbox/retry", [("id", quarantined.id)])
            #expect(retried.status == .seeOther)
            #expect(try await server.services.store.inboundMessage(id: quarantined.id)?.attempts == 2)
            #expect(try await admin.post("/admin/mailbox/retry", [("id", "nope")]).status == .notFound)

            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(try await agent.get("/admin/mailbox").status == .forbidden)
            #expect(try await agent.get("/admin/mailbox/messages/\(quarantined.id)/raw").status == .forbidden)
        }
    }

    @Test("The portal address and which messages customers get are set on the delivery page")
    func portalAddress() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let page = try await admin.get("/admin/delivery")
            #expect(page.contains("客户门户地址"))
            let base: [(String, String)] = [
                ("emailFrom", "kefu@shop.example.cn"), ("transport", "sendmail"),
                ("sendmailPath", "/usr/sbin/sendmail"),
                ("maxAttempts", "8"), ("retryBaseSeconds", "30"),
            ]
            let bad = try await admin.post("/admin/delivery", base + [("portalURL", "kefu.example.cn")])
            #expect(bad.status == .unprocessableContent && bad.contains("http://"))
            let good = try await admin.post(
                "/admin/delivery",
                base + [
                    ("portalURL", "https://kefu.example.cn"), ("notice_acknowledgement", "on"), ("notice_result", "on"),
                ])
            #expect(good.status == .seeOther)
            #expect(await server.services.settings.deliverySettings().portalURL == "https://kefu.example.cn")
            #expect(
                await server.services.settings.customerNotices()
                    == .init(
                        acknowledgement: true, informationRequest: false, proposal: false, result: true, progress: false
                    ))
            #expect(try await admin.get("/admin/audit").contains("修改了客户通知设置"))
        }
    }
}
