@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The administration of notifications: channels per user and department, delivery and alert settings, and the
/// outbox with its failures, each change validated, audited, and closed to everyone but administrators.
@Suite("Web administration of notifications")
struct WebAdminNotificationTests {
    @Test("Channels are added per user and per department, listed, refused with reasons, and removed")
    func channels() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let empty = try await admin.get("/admin/notifications")
            #expect(empty.contains("还没有任何通知渠道"))
            let handler = try #require(try await server.services.store.user(username: Staff.handler))
            let added = try await admin.post(
                "/admin/notifications",
                [("owner", "user:\(handler.id.rawValue)"), ("channel", "email"), ("address", "wangfang@example.com")])
            #expect(added.status == .seeOther)
            let robot = "https://oapi.dingtalk.com/robot/send?access_token=abc"
            try await admin.post(
                "/admin/notifications",
                [
                    ("owner", "department:after_sales"), ("channel", "dingtalk"), ("address", robot),
                    ("secret", "SECabc"),
                ])
            let listing = try await admin.get("/admin/notifications")
            #expect(listing.contains("wangfang@example.com") && listing.contains("钉钉机器人"))
            #expect(!listing.contains("SECabc"))
            let targets = try await server.services.store.notificationTargets(of: [
                .user(handler.id), .department(Staff.afterSales),
            ])
            #expect(targets.count == 2)
            #expect(targets.first { $0.channel == "dingtalk" }?.secret == "SECabc")

            let refused = try await admin.post(
                "/admin/notifications",
                [("owner", "user:\(handler.id.rawValue)"), ("channel", "email"), ("address", "not-an-address")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("邮箱地址格式不正确"))
            #expect(refused.contains(#"name="address" value="not-an-address""#))
            let nobody = try await admin.post(
                "/admin/notifications", [("owner", "user:ghost"), ("channel", "sms"), ("address", "13800138000")])
            #expect(nobody.contains("请选择员工或部门"))

            try await admin.post(
                "/admin/notifications/remove",
                [("owner", "department:after_sales"), ("channel", "dingtalk"), ("address", robot)])
            #expect(try await server.services.store.notificationTargets(of: [.department(Staff.afterSales)]).isEmpty)
            let audit = try await admin.get("/admin/audit")
            #expect(audit.contains("添加通知渠道") && audit.contains("删除通知渠道"))
        }
    }

    @Test("Only administrators reach these pages, and forged posts are refused")
    func administratorsOnly() async throws {
        try await withServer(.sqlite) { server in
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            for path in ["/admin/notifications", "/admin/delivery", "/admin/alerts", "/admin/outbox"] {
                #expect(try await supervisor.get(path).status == .forbidden)
            }
            let forged = try await supervisor.post(
                "/admin/notifications",
                [
                    ("owner", "department:after_sales"), ("channel", "slack"),
                    ("address", "https://hooks.example.com/x"),
                ])
            #expect(forged.status == .forbidden)
            #expect(try await server.services.store.notificationTargets(of: [.department(Staff.afterSales)]).isEmpty)
        }
    }

    @Test("SMTP delivery settings are saved without ever showing the password again, and checked field by field")
    func delivery() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            try await admin.get("/admin/delivery")
            var fields: [(String, String)] = [
                ("emailFrom", "alerts@example.com"), ("transport", "smtp"), ("sendmailPath", "/usr/sbin/sendmail"),
                ("smtpHost", "smtp.example.com"), ("smtpPort", "587"), ("smtpSecurity", "starttls"),
                ("smtpUsername", "mailer"), ("smtpPassword", "relay-secret"), ("smtpHost", "smtp.example.com"),
                ("smsGatewayURL", "https://sms.example.com/send"), ("smsGatewayToken", "sms-secret-token-42"),
                ("maxAttempts", "5"), ("retryBaseSeconds", "60"),
            ]
            #expect(try await admin.post("/admin/delivery", fields).status == .seeOther)
            var saved = await server.services.settings.deliverySettings()
            #expect(saved.smtp == SMTPSettings(host: "smtp.example.com", username: "mailer", password: "relay-secret"))
            #expect(saved.smsGatewayToken == "sms-secret-token-42" && saved.maxAttempts == 5)
            let page = try await admin.get("/admin/delivery")
            #expect(!page.contains("relay-secret") && !page.contains("sms-secret-token-42"))
            #expect(page.contains("已保存；留空则保持不变"))
            // Saving again with the password fields empty keeps both secrets.
            fields.removeAll { $0.0 == "smtpPassword" || $0.0 == "smsGatewayToken" }
            fields.append(("smtpPort", "2525"))
            fields.removeAll { $0 == ("smtpPort", "587") }
            #expect(try await admin.post("/admin/delivery", fields).status == .seeOther)
            saved = await server.services.settings.deliverySettings()
            #expect(saved.smtp?.password == "relay-secret" && saved.smtp?.port == 2525)
            #expect(saved.smsGatewayToken == "sms-secret-token-42")
            let audit = try await server.services.store.auditEntries(limit: 10)
            #expect(audit.contains { $0.action == "settings.delivery" })
            #expect(!audit.contains { $0.detail.contains("relay-secret") || $0.detail.contains("sms-secret-token-42") })

            let refused = try await admin.post(
                "/admin/delivery",
                [
                    ("emailFrom", "alerts"), ("transport", "smtp"), ("smtpHost", ""), ("smtpPort", "70000"),
                    ("smtpSecurity", "plain"), ("smtpUsername", "mailer"), ("smsGatewayURL", "ftp://x"),
                    ("maxAttempts", "0"), ("retryBaseSeconds", "abc"),
                ])
            #expect(refused.status == .unprocessableContent)
            for message in [
                "发件人必须是邮箱地址", "SMTP 服务器：必填", "端口必须在 1 到 65535 之间", "密码不会在不加密的连接上发送",
                "短信网关必须是 http(s) URL", "最多尝试次数：请输入有效的数字", "首次重试等待（秒）：请输入有效的数字",
            ] {
                #expect(refused.contains(message), "missing: \(message)")
            }
            #expect(refused.inputValue("smtpPort") == "70000")
            #expect(await server.services.settings.deliverySettings() == saved)
        }
    }

    @Test("Alert settings: warning point, escalation levels, penalty clocks and monitoring targets")
    func alerts() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let page = try await admin.get("/admin/alerts")
            #expect(page.inputValue("warningPercent") == "75")
            #expect(page.textarea("escalation")?.hasPrefix("owner, supervisor") == true)
            let fields: [(String, String)] = [
                ("warningPercent", "60"), ("escalation", "owner, supervisor\ndepartment_manager\ngeneral_manager"),
                ("directorSeverity", "crisis"), ("penaltyClock", "first_contact"), ("penaltyClock", "resolution"),
                ("reminderClock", "customer_update"), ("closurePercent", "90"), ("satisfaction", "85"),
                ("negativePercent", "10"), ("windowDays", "14"), ("dailyReportAt", "07:30"),
                ("burstEnabled", "1"), ("burstCount", "6"), ("burstWindowMinutes", "60"), ("burstScorePercent", "40"),
                ("burstWatchSeconds", "30"), ("healthIntakeFailures", "3"), ("healthSlowMilliseconds", "1500"),
                ("healthStaleMinutes", "15"), ("healthOutboxBacklog", "200"),
            ]
            #expect(page.inputValue("burstCount") == "10" && page.inputValue("burstWatchSeconds") == "60")
            #expect(
                page.inputValue("healthSlowMilliseconds") == "2000" && page.inputValue("healthStaleMinutes") == "10")
            #expect(try await admin.post("/admin/alerts", fields).status == .seeOther)
            let alerts = await server.services.settings.alertPolicy()
            #expect(alerts.warningAt == 0.6)
            #expect(alerts.escalation.count == 3 && alerts.escalation[2].roles == [.generalManager])
            #expect(alerts.directorSeverities == [.crisis])
            #expect(alerts.penaltyClocks == [.firstContact, .resolution])
            #expect(
                alerts.monitoring
                    == MonitoringTargets(closureRate: 0.9, satisfaction: 85, negativeRate: 0.1, windowDays: 14))
            #expect(alerts.dailyReportAt.description == "07:30")
            #expect(alerts.burst == BurstRule(count: 6, windowMinutes: 60, minimumScore: 0.4, watchSeconds: 30))
            #expect(
                alerts.health
                    == HealthTargets(
                        intakeFailures: 3, slowPageMilliseconds: 1500, staleMinutes: 15, outboxBacklog: 200))

            let refused = try await admin.post(
                "/admin/alerts",
                [
                    ("warningPercent", "100"), ("escalation", "owner, emperor"), ("closurePercent", "90"),
                    ("satisfaction", "85"), ("negativePercent", "10"), ("windowDays", "0"), ("dailyReportAt", "25:00"),
                    ("burstCount", "2"), ("burstWindowMinutes", "60"), ("burstScorePercent", "40"),
                    ("burstWatchSeconds", "30"), ("healthIntakeFailures", "3"), ("healthSlowMilliseconds", "10"),
                    ("healthStaleMinutes", "15"), ("healthOutboxBacklog", "200"),
                ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("件数（3–1000）"))
            #expect(refused.contains("请求 p99 超过（毫秒，50–600000）"))
            #expect(refused.contains("“emperor”") && refused.contains("“25:00”不是时间"))
            #expect(await server.services.settings.alertPolicy() == alerts)
        }
    }

    @Test(
        "The outbox lists messages by state; a failed one is sent again on request", arguments: DatabaseKind.available)
    func outbox(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let store = server.services.store
            let now = server.time.instant()
            let waiting = OutboxMessage(
                createdAt: now, complaintID: nil, topic: "alert.breach", channel: "email",
                recipient: "wangfang@example.com", subject: "【超时告警】投诉 260408001", body: "…")
            let refused = OutboxMessage(
                createdAt: now, complaintID: nil, topic: "report.daily", channel: "webhook",
                recipient: "https://hooks.example.com/ops", subject: "系统监控日报 2026-04-07", body: "…")
            try await store.enqueue([waiting, refused])
            try await store.markAttemptFailed(refused.id, error: "HTTP 410: gone", retryAt: nil)

            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let all = try await admin.get("/admin/outbox")
            #expect(all.contains("全部 (2)") && all.contains("待发送 (1)") && all.contains("失败 (1)"))
            let failed = try await admin.get("/admin/outbox?status=failed")
            #expect(failed.contains("HTTP 410: gone") && failed.contains("系统监控日报"))
            #expect(!failed.contains("wangfang@example.com"))
            let retried = try await admin.post("/admin/outbox/retry", [("id", refused.id)])
            #expect(retried.status == .seeOther)
            #expect(try await store.outboxMessages(status: .failed).isEmpty)
            #expect(try await store.outboxMessages(status: .pending).count == 2)
            // Only a failed message can be queued again.
            #expect(try await admin.post("/admin/outbox/retry", [("id", waiting.id)]).status == .notFound)
        }
    }
}

extension OutboxDispatcherTests {
    @Test("The channels page's test button delivers to the receiver at once, signed with the stored secret")
    func testButton() async throws {
        try await withServer(.sqlite) { server in
            try await withReceiver { base, inbox in
                let admin = WebBrowser(server)
                try await admin.signIn(Staff.admin)
                try await admin.get("/admin/notifications")
                try await admin.post(
                    "/admin/notifications",
                    [
                        ("owner", "department:after_sales"), ("channel", "webhook"), ("address", "\(base)/ops"),
                        ("secret", "hook-secret"),
                    ])
                let page = try await admin.post(
                    "/admin/notifications/test", [("channel", "webhook"), ("address", "\(base)/ops")])
                #expect(page.status == .ok)
                #expect(page.contains("测试消息已发送至"))
                let delivery = try #require(await inbox.deliveries.first)
                #expect(delivery.body.contains("通知渠道已经接通"))
                #expect(delivery.headers[HTTPField.Name("X-Closeloop-Signature")!]?.hasPrefix("sha256=") == true)
                // A receiver that refuses: the page says so, with the receiver's answer.
                await inbox.refuseNext(1)
                let refused = try await admin.post(
                    "/admin/notifications/test", [("channel", "webhook"), ("address", "\(base)/ops")])
                #expect(refused.status == .badGateway)
                #expect(refused.contains("测试消息未能发送至 \(base)/ops：HTTP 500"))
            }
        }
    }
}
